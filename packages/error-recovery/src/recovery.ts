import {
  ApiError,
  ConflictError,
  CreditsInsufficientError,
  ForbiddenError,
  InternalServerError,
  NotFoundError,
  PayloadTooLargeError,
  ProofInvalidError,
  RateLimitedError,
  RequestInvalidError,
  RequestReplayError,
  ServiceUnavailableError,
  SessionNonceExpiredError,
  SessionNonceInvalidError,
  SignatureMalformedError,
  UnknownAuthError,
  WalletMismatchError,
} from './ApiError.js'
import type { Recovery } from './errorCodes.js'
import { RequestAbortedError, TransportError } from './TransportError.js'

/**
 * The next step after an error:
 * - `new-session`: the session nonce is invalid or expired, or a `401` without a documented code;
 *   open a new session, use a fresh request id and sign again, once;
 * - `new-request`: a replay or a server failure (500); sign again with a fresh request id;
 * - `fix-signature`: malformed signature or wallet mismatch; retrying the same way cannot work
 *   (see {@link diagnoseSignature});
 * - `retry-later`: 429, 502, 503, 504, network errors and timeouts; wait and retry with a fresh
 *   request id (see {@link retryPolicy});
 * - `none`: 400, 402, 403, 404, 409 conflicts, 410, 413, an aborted request and anything that is
 *   not an API or transport error: do not retry.
 *
 * Decided by the error's class, so an error classified by its status (an `error_code` this
 * toolkit does not know) gets the same recovery as the known code of its class; an
 * {@link UnknownApiError} (or an {@link ApiError} built by hand) by its status alone. Never by a code that
 * only this project's sandbox sends.
 *
 * @example
 * ```ts
 * import { parseApiError, recoveryFor } from '@agentpmt-kit/error-recovery'
 *
 * recoveryFor(parseApiError(503, 'Service Unavailable')) // 'retry-later'
 * recoveryFor(parseApiError(401, { error_code: 'AUTH_FAILED' })) // 'new-session'
 * recoveryFor(new Error('bug')) // 'none'
 * ```
 */
export function recoveryFor(error: unknown): Recovery {
  if (error instanceof ApiError) return recoveryForApiError(error)
  if (error instanceof RequestAbortedError) return 'none'
  if (error instanceof TransportError) return 'retry-later'
  return 'none'
}

function recoveryForApiError(error: ApiError): Recovery {
  if (
    error instanceof SessionNonceInvalidError ||
    error instanceof SessionNonceExpiredError ||
    error instanceof UnknownAuthError
  )
    return 'new-session'
  if (error instanceof SignatureMalformedError || error instanceof WalletMismatchError)
    return 'fix-signature'
  if (error instanceof RequestReplayError || error instanceof InternalServerError)
    return 'new-request'
  if (error instanceof RateLimitedError || error instanceof ServiceUnavailableError)
    return 'retry-later'
  // A request that must change, or a job that moved on, whatever the status.
  if (
    error instanceof RequestInvalidError ||
    error instanceof ProofInvalidError ||
    error instanceof CreditsInsufficientError ||
    error instanceof ForbiddenError ||
    error instanceof NotFoundError ||
    error instanceof ConflictError ||
    error instanceof PayloadTooLargeError
  )
    return 'none'
  // UnknownApiError, and an ApiError built by hand.
  return recoveryForStatus(error.status)
}

/** The same recoveries as the classes {@link parseApiError} picks for these statuses. */
function recoveryForStatus(status: number): Recovery {
  if (status === 401) return 'new-session'
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'retry-later'
  if (status === 500) return 'new-request'
  return 'none'
}
