/**
 * What the client tells its `logger`: one event per HTTP request and response, per retry and per
 * recovery. Events never hold the private key, a signature, the session nonce, a request body or
 * the workflow token: they are safe to write to any log.
 *
 * - `request`: a request is sent (`attempt` counts re-sends of the same signed request);
 * - `response`: its status, and the server's `error_code` when it failed;
 * - `retry`: the client waits `delayMs` then sends again (`transport`: the same signed request
 *   after a lost connection or a timeout; `retry-later`: a new request after 429/503);
 * - `recovery`: the client recovers from an API error (`new-session`, `new-request`,
 *   `check-status` for a completion whose fate is unknown, `resubmit` when the server holds no
 *   submission and the deadline allows sending it again, `adopt` when it holds one);
 * - `guess`: an answer lacked a field the guides do not guarantee, and the client used a
 *   fallback (`field`, `guess`); a reservation without readable expiry logs one `guess` for
 *   `expires_at` naming the default deadline it uses.
 *
 * @example
 * ```ts
 * import type { JobsClientEvent } from '@agentpmt-kit/jobs-client'
 *
 * const logger = (event: JobsClientEvent) => console.log(event.type, event.path)
 * ```
 */
export type JobsClientEvent =
  | {
      type: 'request'
      method: 'POST'
      path: string
      /** `null` for requests that are not signed (session, workflow endpoints). */
      requestId: string | null
      attempt: number
    }
  | {
      type: 'response'
      path: string
      requestId: string | null
      status: number
      errorCode: string | null
      durationMs: number
    }
  | {
      type: 'retry'
      path: string
      requestId: string | null
      reason: 'transport' | 'retry-later'
      attempt: number
      delayMs: number
      error: string
    }
  | {
      type: 'recovery'
      path: string
      requestId: string | null
      recovery: 'new-session' | 'new-request' | 'check-status' | 'resubmit' | 'adopt'
      errorCode: string | null
    }
  | { type: 'guess'; path: string; field: string; guess: string }

/**
 * The `logger` option: called synchronously with every {@link JobsClientEvent}. An exception it
 * throws is ignored.
 *
 * @example
 * ```ts
 * import type { JobsClientLogger } from '@agentpmt-kit/jobs-client'
 *
 * const logger: JobsClientLogger = (event) => console.log(JSON.stringify(event))
 * ```
 */
export type JobsClientLogger = (event: JobsClientEvent) => void

/**
 * Wraps the user's logger so that a throwing logger never breaks a request.
 *
 * @internal
 */
export function safeLogger(logger: JobsClientLogger | undefined): (event: JobsClientEvent) => void {
  if (logger === undefined) return () => {}
  return (event) => {
    try {
      logger(event)
    } catch {}
  }
}
