import { parseHttpDate } from '@agentpmt-kit/message-builder'

/**
 * Reads a `Retry-After` header: delay-seconds (`"120"`) or an HTTP date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`), as milliseconds to wait. A date is the server's time, so
 * it is measured from the same answer's `Date` header (`date`) when that is readable, and only
 * otherwise from `now` (the local clock): a server whose clock is 40 minutes behind still means
 * "in 10 seconds". A date in the past gives `0`; a missing or unreadable value gives `undefined`.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from '@agentpmt-kit/error-recovery'
 *
 * parseRetryAfter('3') // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('2015-10-21T07:28:00Z')) // 10000
 * // The server's clock is behind the local one: its Date header is the reference.
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.now(), 'Wed, 21 Oct 2015 07:28:00 GMT') // 10000
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
  date?: string | null | undefined,
): number | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text === '') return undefined
  if (/^\d+$/.test(text)) {
    const seconds = Number(text)
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined
  }
  const at = parseHttpDate(text)
  if (at === undefined) return undefined
  return Math.max(0, at - (parseHttpDate(date) ?? now))
}
