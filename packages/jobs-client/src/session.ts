import { apiPaths } from '@agentpmt-kit/message-builder'
import { readSessionAnswer } from './answers.js'
import type { ClientContext } from './internal/context.js'
import { logNotes } from './internal/context.js'
import { sendSafe } from './internal/http.js'

/**
 * A session as the client holds it: the nonce, `expiresAtMs` (when it expires: the time the
 * request was sent plus `expires_in` on the client's clock, else the server's `expires_at`, else
 * `undefined`: then it is used until the server says the nonce expired or is invalid), and `raw`,
 * the answer as received.
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
  let session: (Session & { openedAt: number }) | undefined
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

  const fresh = (candidate: Session & { openedAt: number }): boolean => {
    if (candidate.expiresAtMs === undefined) return true
    const lifetimeMs = candidate.expiresAtMs - candidate.openedAt
    const margin = Math.min(renewMarginMs, Math.max(0, lifetimeMs / 10))
    return context.clock.now() < candidate.expiresAtMs - margin
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

async function openSession(
  context: ClientContext,
  signal: AbortSignal | undefined,
): Promise<Session & { openedAt: number }> {
  const path = apiPaths.session
  const sentAt = context.clock.now()
  const result = await sendSafe(
    context,
    {
      path,
      body: JSON.stringify({ wallet_address: context.signer.address.toLowerCase() }),
      requestId: null,
      signal,
      resend: true,
      endpoint: 'session',
    },
    { repeatable: true },
  )
  if (!result.ok) throw result.error
  const { value, notes } = readSessionAnswer(result.body, { sentAt, path })
  logNotes(context, path, notes)
  const opened = { ...value, openedAt: sentAt }
  Object.defineProperties(opened, {
    raw: { value: result.body, enumerable: false },
    openedAt: { value: sentAt, enumerable: false },
  })
  return opened as Session & { openedAt: number }
}
