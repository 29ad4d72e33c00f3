import type { SessionResponse } from '@agentpmt-kit/message-builder'
import { apiPaths } from '@agentpmt-kit/message-builder'
import type { ClientContext } from './internal/context.js'
import { send } from './internal/http.js'
import { expectFields } from './internal/validate.js'

/**
 * A session as the client holds it: the wire answer plus `expiresAtMs`, when it expires on the
 * client's clock (the time the request was sent plus `expires_in`).
 *
 * @example
 * ```ts
 * import type { Session } from '@agentpmt-kit/jobs-client'
 *
 * declare const session: Session
 * session.session_nonce
 * ```
 */
export type Session = SessionResponse & { readonly expiresAtMs: number }

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
 * and renewed before `expires_at` or when the server says the nonce is invalid or expired.
 */
export function createSessionManager(context: ClientContext): SessionManager {
  let session: Session | undefined
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

  const fresh = (candidate: Session): boolean => {
    const lifetimeMs = candidate.expires_in * 1000
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
): Promise<Session> {
  const path = apiPaths.session
  const sentAt = context.clock.now()
  const result = await send(context, {
    path,
    body: JSON.stringify({ wallet_address: context.signer.address.toLowerCase() }),
    requestId: null,
    signal,
    resend: true,
  })
  if (!result.ok) throw result.error
  const body = expectFields<SessionResponse>(path, result.body, {
    session_nonce: 'string',
    expires_in: 'number',
    expires_at: 'date',
  })
  // From `expires_in` and the local clock, so that a server clock ahead or behind ours does not
  // make the client keep an expired nonce or drop a good one.
  return { ...body, expiresAtMs: sentAt + body.expires_in * 1000 }
}
