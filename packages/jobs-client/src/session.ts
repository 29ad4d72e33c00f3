import { apiPaths } from '@agentpmt-kit/message-builder'
import { readSessionAnswer } from './answers.js'
import { monotonicNow } from './Clock.js'
import { exchangeWith, safeToRepeat } from './exchange.js'
import type { ClientContext } from './internal/context.js'
import { logNotes } from './internal/context.js'

/**
 * A session as the client holds it: the nonce, `expiresAtMs` (when it expires on the server's
 * clock, ms since the epoch: `expires_in` counted from the request's sending, else the server's
 * `expires_at`, else `undefined`: then it is used until the server says the nonce expired or is
 * invalid), and `raw`, the answer as received. The client renews it by its expiry converted once
 * to the local monotonic clock, so a local clock that is off never renews a session the server
 * still accepts.
 *
 * @example
 * ```ts
 * import type { Session } from '@agentpmt-kit/jobs-client'
 *
 * declare const session: Session
 * session.session_nonce
 * ```
 */
export type Session = {
  readonly session_nonce: string
  readonly expiresAtMs: number | undefined
  readonly raw: unknown
}

/** Opens, reuses and renews the session that every signed request carries. */
export type SessionManager = {
  /** The current session; opens one when there is none or it is about to expire. */
  current(signal?: AbortSignal | undefined): Promise<Session>
  /** Opens a new session now, unless another renewal of `stale` is already under way. */
  renew(stale?: Session | undefined, signal?: AbortSignal | undefined): Promise<Session>
}

/** Renew a session this long before it expires (at most a tenth of its lifetime). */
const renewMarginMs = 30_000

/**
 * Sessions are opened lazily, shared by concurrent requests (one `POST /auth/session` at a time)
 * and renewed before they expire or when the server says the nonce is invalid or expired.
 */
export function createSessionManager(context: ClientContext): SessionManager {
  let session: OpenedSession | undefined
  let pending: Promise<Session> | undefined

  const open = (signal: AbortSignal | undefined): Promise<Session> => {
    pending ??= openSession(context, signal).then(
      (opened) => {
        session = opened
        pending = undefined
        return opened
      },
      (error: unknown) => {
        pending = undefined
        throw error
      },
    )
    return pending
  }

  const fresh = (candidate: OpenedSession): boolean => {
    if (candidate.expiresAtLocal === undefined) return true
    const lifetimeMs = candidate.expiresAtLocal - candidate.openedAt
    const margin = Math.min(renewMarginMs, Math.max(0, lifetimeMs / 10))
    return monotonicNow(context.clock) < candidate.expiresAtLocal - margin
  }

  return {
    current(signal) {
      if (session !== undefined && fresh(session)) return Promise.resolve(session)
      return open(signal)
    },
    renew(stale, signal) {
      if (session !== undefined && stale !== undefined && session !== stale)
        return Promise.resolve(session)
      session = undefined
      return open(signal)
    },
  }
}

/** A session with when it was asked for and when it expires, on the local monotonic clock. */
type OpenedSession = Session & { openedAt: number; expiresAtLocal: number | undefined }

async function openSession(
  context: ClientContext,
  signal: AbortSignal | undefined,
): Promise<OpenedSession> {
  const path = apiPaths.session
  const result = await exchangeWith(context, {
    path,
    body: JSON.stringify({ wallet_address: context.signer.address.toLowerCase() }),
    signal,
    endpoint: 'session',
    // Opening a session twice does no harm.
    retryOn: safeToRepeat,
  })
  if (!result.ok) throw result.error
  const { serverClock } = context
  const { value, notes } = readSessionAnswer(result.body, {
    sentAt: serverClock.toServer(result.sentAt),
    path,
  })
  logNotes(context, path, notes)
  const opened = { ...value }
  const expiresAtLocal =
    value.expiresAtMs === undefined ? undefined : serverClock.toLocal(value.expiresAtMs)
  Object.defineProperties(opened, {
    raw: { value: result.body, enumerable: false },
    openedAt: { value: result.sentAt, enumerable: false },
    expiresAtLocal: { value: expiresAtLocal, enumerable: false },
  })
  return opened as OpenedSession
}
