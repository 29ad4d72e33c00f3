/**
 * Reads a `Retry-After` header: delay-seconds (`"120"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`), as milliseconds from `now`. A date in the past gives `0`;
 * a missing or unreadable value gives `undefined`.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from '@agentpmt-kit/error-recovery'
 *
 * parseRetryAfter('3') // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('2015-10-21T07:28:00Z')) // 10000
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+$/.test(text)) {
    const seconds = Number(text)
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined
  }
  // Only the HTTP-date shapes (RFC 9110): a weekday or month name must be present, so that
  // numbers like "1.5" or "-1" are refused rather than read by Date.parse as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}
