/**
 * What a client should do after an error: open a new session (and re-sign with a fresh request
 * id), re-sign with a fresh request id, fix how it signs, wait and retry, or nothing at all.
 *
 * @example
 * ```ts
 * import type { Recovery } from '@agentpmt-kit/error-recovery'
 *
 * const recovery: Recovery = 'new-session'
 * ```
 */
export type Recovery = 'new-session' | 'new-request' | 'fix-signature' | 'retry-later' | 'none'

/**
 * Every `error_code` of the external API that this toolkit knows, with the HTTP status it comes
 * with and the recovery it calls for. Only the five `EXTERNAL_SIGNATURE_*` codes, with their
 * statuses, are the public guide's; the others are this project's names for the other statuses
 * the guides mention, sent by the sandbox. A real server may name those otherwise: a code missing
 * here is classified by its HTTP status (see {@link parseApiError}), into the same class and
 * recovery, so a client never needs one of this project's names.
 *
 * @example
 * ```ts
 * import { errorCodes } from '@agentpmt-kit/error-recovery'
 *
 * errorCodes.EXTERNAL_SIGNATURE_REQUEST_REPLAY // { status: 409, recovery: 'new-request' }
 * ```
 */
export const errorCodes: {
  readonly [code in ErrorCode]: { readonly status: number; readonly recovery: Recovery }
} = {
  EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID: { status: 401, recovery: 'new-session' },
  EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED: { status: 401, recovery: 'new-session' },
  EXTERNAL_SIGNATURE_MALFORMED: { status: 401, recovery: 'fix-signature' },
  EXTERNAL_SIGNATURE_WALLET_MISMATCH: { status: 401, recovery: 'fix-signature' },
  EXTERNAL_SIGNATURE_REQUEST_REPLAY: { status: 409, recovery: 'new-request' },
  EXTERNAL_REQUEST_INVALID: { status: 400, recovery: 'none' },
  EXTERNAL_PROOF_INVALID: { status: 400, recovery: 'none' },
  EXTERNAL_CREDITS_INSUFFICIENT: { status: 402, recovery: 'none' },
  EXTERNAL_FORBIDDEN: { status: 403, recovery: 'none' },
  EXTERNAL_NOT_FOUND: { status: 404, recovery: 'none' },
  EXTERNAL_JOB_ALREADY_RESERVED: { status: 409, recovery: 'none' },
  EXTERNAL_JOB_ALREADY_SUBMITTED: { status: 409, recovery: 'none' },
  EXTERNAL_RESERVATION_EXPIRED: { status: 409, recovery: 'none' },
  EXTERNAL_PAYLOAD_TOO_LARGE: { status: 413, recovery: 'none' },
  EXTERNAL_RATE_LIMITED: { status: 429, recovery: 'retry-later' },
  EXTERNAL_INTERNAL_ERROR: { status: 500, recovery: 'new-request' },
  EXTERNAL_SERVICE_UNAVAILABLE: { status: 503, recovery: 'retry-later' },
}

/**
 * An `error_code` this toolkit knows; see {@link errorCodes}.
 *
 * @example
 * ```ts
 * import type { ErrorCode } from '@agentpmt-kit/error-recovery'
 *
 * const code: ErrorCode = 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'
 * ```
 */
export type ErrorCode =
  | 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'
  | 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'
  | 'EXTERNAL_SIGNATURE_MALFORMED'
  | 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'
  | 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'
  | 'EXTERNAL_REQUEST_INVALID'
  | 'EXTERNAL_PROOF_INVALID'
  | 'EXTERNAL_CREDITS_INSUFFICIENT'
  | 'EXTERNAL_FORBIDDEN'
  | 'EXTERNAL_NOT_FOUND'
  | 'EXTERNAL_JOB_ALREADY_RESERVED'
  | 'EXTERNAL_JOB_ALREADY_SUBMITTED'
  | 'EXTERNAL_RESERVATION_EXPIRED'
  | 'EXTERNAL_PAYLOAD_TOO_LARGE'
  | 'EXTERNAL_RATE_LIMITED'
  | 'EXTERNAL_INTERNAL_ERROR'
  | 'EXTERNAL_SERVICE_UNAVAILABLE'
