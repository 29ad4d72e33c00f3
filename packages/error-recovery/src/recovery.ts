import { ApiError } from './ApiError.js'
import { type ErrorCode, errorCodes, type Recovery } from './errorCodes.js'
import { RequestAbortedError, TransportError } from './TransportError.js'

/**
 * The next step after an error:
 * - `new-session`: the session nonce is invalid or expired; open a new session, use a fresh
 *   request id and sign again;
 * - `new-request`: a replay or a server failure (500); sign again with a fresh request id;
 * - `fix-signature`: malformed signature or wallet mismatch; retrying the same way cannot work
 *   (see {@link diagnoseSignature});
 * - `retry-later`: 429, 502, 503, 504, network errors and timeouts; wait and retry with a fresh
 *   request id (see {@link retryPolicy});
 * - `none`: 400, 402, 403, 404, job conflicts, an aborted request and anything that is not an API
 *   or transport error: do not retry.
 *
 * Known `error_code`s decide first; an unknown code or no code falls back on the status.
 *
 * @example
 * ```ts
 * import { parseApiError, recoveryFor } from '@agentpmt-kit/error-recovery'
 *
 * recoveryFor(parseApiError(503, 'Service Unavailable')) // 'retry-later'
 * recoveryFor(new Error('bug')) // 'none'
 * ```
 */
export function recoveryFor(error: unknown): Recovery {
  if (error instanceof ApiError) {
    const code = error.errorCode
    if (code !== undefined && Object.hasOwn(errorCodes, code))
      return errorCodes[code as ErrorCode].recovery
    return recoveryForStatus(error.status)
  }
  if (error instanceof RequestAbortedError) return 'none'
  if (error instanceof TransportError) return 'retry-later'
  return 'none'
}

function recoveryForStatus(status: number): Recovery {
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'retry-later'
  if (status === 500) return 'new-request'
  return 'none'
}
