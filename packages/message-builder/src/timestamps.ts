/**
 * Reading the server's time: its ISO-8601 timestamps and its HTTP dates. One reader for the
 * whole toolkit (client, sandbox, probe, server check), so that a timestamp without an offset
 * means UTC everywhere.
 *
 * @module
 */

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * Milliseconds since the epoch of a timestamp: ISO-8601 with any offset (`Z`, `+00:00`) and any
 * number of fractional digits; one without an offset is UTC (Python's naive `isoformat()`).
 * `undefined` for anything else.
 *
 * @example
 * ```ts
 * import { parseTimestamp } from '@agentpmt-kit/message-builder'
 *
 * parseTimestamp('2026-05-17T14:30:00.123456+00:00') // 1779028200123
 * parseTimestamp('2026-05-17T14:30:00') // 1779028200000 (UTC)
 * ```
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = isoPattern.exec(value.trim())
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match
  if (
    Number(month) < 1 ||
    Number(month) > 12 ||
    Number(day) < 1 ||
    Number(day) > 31 ||
    Number(hour) > 24 ||
    Number(minute) > 59 ||
    Number(second) > 60
  )
    return undefined
  let time = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  )
  time += Math.floor(Number(`0.${fraction || '0'}`) * 1000)
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')
    time -= sign * offsetMinutes * 60_000
  }
  return Number.isFinite(time) ? time : undefined
}

/**
 * Milliseconds since the epoch of an HTTP date (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`, and
 * the obsolete RFC 850 and asctime forms), as the `Date` and `Retry-After` headers carry it.
 * `undefined` for anything else: a weekday or month name must be present, so that numbers such
 * as `"1.5"` are not read as a year.
 *
 * @example
 * ```ts
 * import { parseHttpDate } from '@agentpmt-kit/message-builder'
 *
 * parseHttpDate('Wed, 21 Oct 2015 07:28:00 GMT') // 1445412480000
 * parseHttpDate('120') // undefined: delay-seconds, not a date
 * ```
 */
export function parseHttpDate(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (!/[A-Za-z]{3}/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : at
}
