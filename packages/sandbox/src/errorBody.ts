import { type ErrorCode, errorCodes } from '@agentpmt-kit/error-recovery'
import type { ErrorBody } from '@agentpmt-kit/message-builder'

/**
 * An error answer: the HTTP status of its code and the body of PROTOCOL section 5.
 *
 * @example
 * ```ts
 * import type { ErrorReply } from '@agentpmt-kit/sandbox'
 *
 * const reply: ErrorReply = {
 *   status: 409,
 *   body: { error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY', detail: 'Replay.', details: { checklist: [] } },
 * }
 * ```
 */
export type ErrorReply = { status: number; body: ErrorBody; headers?: Record<string, string> }

const defaults: { readonly [code in ErrorCode]: { detail: string; checklist: string[] } } = {
  EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID: {
    detail: 'The session nonce does not exist for this wallet.',
    checklist: [
      'Create a fresh session nonce with POST /api/external/auth/session for this wallet_address.',
      'Use a fresh request_id and re-sign.',
    ],
  },
  EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED: {
    detail: 'The session nonce expired.',
    checklist: [
      'Create a new session nonce with POST /api/external/auth/session.',
      'Use a fresh request_id and re-sign.',
    ],
  },
  EXTERNAL_SIGNATURE_MALFORMED: {
    detail: 'The signature could not be recovered as an EIP-191 personal_sign signature.',
    checklist: [
      'Sign the exact UTF-8 message string with EIP-191 personal_sign.',
      'Send a 0x-prefixed 65-byte signature (132 characters) with v = 27 or 28.',
    ],
  },
  EXTERNAL_SIGNATURE_WALLET_MISMATCH: {
    detail: 'The signature recovered to a different wallet than wallet_address.',
    checklist: [
      'Compare your message with details.expected_message line by line.',
      'Hash exactly the payload object you send, keys sorted (details.expected_payload_hash).',
      'For tool invokes, sign one of details.accepted_path_candidates.',
      'Sign with the private key of wallet_address, lower-cased in the message.',
      'Rebuild the message from your own fields; never sign details.expected_message as is.',
    ],
  },
  EXTERNAL_SIGNATURE_REQUEST_REPLAY: {
    detail: 'The request_id was already used for this session.',
    checklist: ['Generate a fresh request_id and sign again.'],
  },
  EXTERNAL_REQUEST_INVALID: {
    detail: 'The request body does not match the schema of this endpoint.',
    checklist: ['Send a JSON object with the fields of this endpoint, of the right types.'],
  },
  EXTERNAL_PROOF_INVALID: {
    detail: 'The completion proof was refused.',
    checklist: ['Fix the proof and complete again with a fresh request_id.'],
  },
  EXTERNAL_CREDITS_INSUFFICIENT: {
    detail: 'Not enough credits for this call.',
    checklist: ['Check POST /api/external/credits/balance and add credits.'],
  },
  EXTERNAL_FORBIDDEN: {
    detail: 'This caller may not do this.',
    checklist: ['Use the wallet or token that owns the reservation.'],
  },
  EXTERNAL_NOT_FOUND: {
    detail: 'Not found.',
    checklist: ['Check the path and the ids in it; every endpoint takes POST.'],
  },
  EXTERNAL_JOB_ALREADY_RESERVED: {
    detail: 'The job is reserved by another wallet.',
    checklist: ['Pick another job from POST /api/external/jobs/list.'],
  },
  EXTERNAL_JOB_ALREADY_SUBMITTED: {
    detail: 'A completion was already submitted for this job.',
    checklist: ['Check POST /api/external/jobs/{jobId}/status; do not submit again.'],
  },
  EXTERNAL_RESERVATION_EXPIRED: {
    detail: 'The reservation expired.',
    checklist: ['Reserve the job again if it is still open, then redo the work.'],
  },
  EXTERNAL_PAYLOAD_TOO_LARGE: {
    detail: 'The request body is too large.',
    checklist: ['Send a smaller body.'],
  },
  EXTERNAL_RATE_LIMITED: {
    detail: 'Too many requests.',
    checklist: ['Wait for Retry-After seconds, then retry with a fresh request_id and signature.'],
  },
  EXTERNAL_INTERNAL_ERROR: {
    detail: 'Internal error.',
    checklist: [
      'For a completion, read the job status first: it may have been recorded.',
      'Otherwise retry with a fresh request_id and a new signature.',
    ],
  },
  EXTERNAL_SERVICE_UNAVAILABLE: {
    detail: 'The service is unavailable.',
    checklist: ['Wait for Retry-After seconds, then retry with a fresh request_id and signature.'],
  },
}

/**
 * Builds the error answer for `code`: its status from `errorCodes`, a `detail` (the default one
 * unless given) and `details.checklist` (the code's default unless given), plus extra details.
 */
export function errorReply(
  code: ErrorCode,
  options: {
    detail?: string | undefined
    checklist?: string[] | undefined
    details?: Record<string, unknown> | undefined
  } = {},
): ErrorReply {
  const fallback = defaults[code]
  return {
    status: errorCodes[code].status,
    body: {
      error_code: code,
      detail: options.detail ?? fallback.detail,
      details: { ...options.details, checklist: options.checklist ?? [...fallback.checklist] },
    },
  }
}
