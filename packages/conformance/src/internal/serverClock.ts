import { parseHttpDate, parseTimestamp } from '@agentpmt-kit/message-builder'
import type { ClockSkew, ProbeExchange } from '../probeTypes.js'

/**
 * The server's clock against this machine's, from the `Date` headers: each bounds the server's
 * time at the answer to [date, date + 1 s), and the answer came between sending and receiving;
 * the bounds of all answers are intersected (an answer that contradicts the others is left out).
 */
export function dateHeaderSkew(exchanges: readonly ProbeExchange[]): ClockSkew | null {
  let low = Number.NEGATIVE_INFINITY
  let high = Number.POSITIVE_INFINITY
  for (const exchange of exchanges) {
    const date = serverDateOf(exchange)
    if (date === undefined) continue
    const lowHere = date - exchange.receivedAt
    const highHere = date + 1000 - exchange.sentAt
    if (Math.max(low, lowHere) > Math.min(high, highHere)) continue
    low = Math.max(low, lowHere)
    high = Math.min(high, highHere)
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null
  return { skewMs: Math.round((low + high) / 2), plusMinusMs: Math.round((high - low) / 2) }
}

/** The answer's `Date` header in ms since the epoch (an HTTP date is always GMT), if any. */
export function serverDateOf(exchange: ProbeExchange): number | undefined {
  return parseHttpDate(exchange.headers.get('date'))
}

/**
 * How long an answer's expiry lasts by the server's own clock: `expires_in` seconds, or
 * `expires_at` (offset-less read as UTC, by the toolkit's one reader `parseTimestamp`) minus the
 * same answer's `Date`. Never this machine's clock, which may be minutes or days off.
 */
export type ServerLifetime = { ms: number; source: string } | { ms: undefined; source: string }

/** The lifetime of `record`'s expiry (see {@link ServerLifetime}), read from `answer`. */
export function serverLifetime(
  record: Record<string, unknown> | undefined,
  answer: ProbeExchange,
): ServerLifetime {
  const expiresIn = record?.expires_in
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn >= 0)
    return { ms: expiresIn * 1000, source: `expires_in ${expiresIn}` }
  const text = record?.expires_at
  const at = parseTimestamp(text)
  if (typeof text !== 'string' || at === undefined)
    return { ms: undefined, source: 'no expires_in and no readable expires_at' }
  const utc = hasNoOffset(text) ? ', no offset: read as UTC' : ''
  const date = serverDateOf(answer)
  if (date === undefined)
    return {
      ms: undefined,
      source: `expires_at ${text}${utc}, but no Date header: the server's clock is unknown`,
    }
  return {
    ms: at - date,
    source: `expires_at ${text}${utc}, minus the answer's Date ${answer.headers.get('date')}`,
  }
}

/** Whether an ISO-8601 timestamp has no offset (`Z`, `+00:00`): then it is read as UTC. */
export function hasNoOffset(text: string): boolean {
  return !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text.trim())
}
