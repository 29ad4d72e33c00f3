import { BaseError } from '@agentpmt-kit/canonical-json'
import type { ErrorBody } from '@agentpmt-kit/message-builder'
import { type ErrorCode, errorCodes } from './errorCodes.js'
import { redactText, redactValue } from './redact.js'
import { parseRetryAfter } from './retryAfter.js'

/**
 * The `details` object of an error body, always with a `checklist` (empty when the server sent
 * none). Every string in it has signatures shortened and key-shaped values hidden.
 *
 * @example
 * ```ts
 * import type { ErrorDetails } from '@agentpmt-kit/error-recovery'
 *
 * const details: ErrorDetails = { checklist: ['Generate a fresh request_id and sign again.'] }
 * ```
 */
export type ErrorDetails = ErrorBody['details']

/**
 * The call of the external API that a response answers. {@link parseApiError} needs it to
 * classify a `409` whose `error_code` it does not know: on `reserve` the job is taken, on
 * `complete` proof was already submitted, elsewhere a plain {@link ConflictError}.
 *
 * @example
 * ```ts
 * import { type ApiEndpoint, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * const endpoint: ApiEndpoint = 'reserve'
 * parseApiError(409, { error_code: 'JOB_TAKEN' }, { endpoint }).name // 'ErrorRecovery.JobAlreadyReservedError'
 * ```
 */
export type ApiEndpoint =
  | 'session'
  | 'list'
  | 'reserve'
  | 'complete'
  | 'status'
  | 'workflow'
  | 'tool'
  | 'balance'

/**
 * Where a failed response came from, for messages, for `Retry-After` and, through `endpoint`,
 * for classifying a code this toolkit does not know. All fields optional.
 *
 * @example
 * ```ts
 * import type { ApiErrorContext } from '@agentpmt-kit/error-recovery'
 *
 * const context: ApiErrorContext = {
 *   method: 'POST',
 *   url: 'https://www.agentpmt.com/api/external/jobs/list',
 *   endpoint: 'list',
 *   requestId: 'req-1',
 *   retryAfter: '5',
 * }
 * ```
 */
export type ApiErrorContext = {
  /** HTTP method of the request, e.g. `POST`. */
  method?: string | undefined
  /** URL (or path) of the request. */
  url?: string | undefined
  /** The call the response answers; decides what an unknown `409` means. */
  endpoint?: ApiEndpoint | undefined
  /** The `request_id` that was signed. */
  requestId?: string | undefined
  /** The raw `Retry-After` header value. */
  retryAfter?: string | null | undefined
  /** Response headers; `Retry-After` is read from them when `retryAfter` is not given. */
  headers?: HeadersLike | undefined
  /**
   * Milliseconds since the epoch when the response arrived, on the local clock: an HTTP-date
   * `Retry-After` is measured from it only when the answer has no readable `Date` header.
   */
  now?: number | undefined
}

/**
 * Anything `Retry-After` can be read from: a fetch `Headers` or a plain record.
 *
 * @example
 * ```ts
 * import type { HeadersLike } from '@agentpmt-kit/error-recovery'
 *
 * const headers: HeadersLike = { 'retry-after': '2' }
 * ```
 */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * What every {@link ApiError} is built from; {@link parseApiError} fills it in.
 *
 * @example
 * ```ts
 * import { ApiError, type ApiErrorInit } from '@agentpmt-kit/error-recovery'
 *
 * const init: ApiErrorInit = { status: 418, errorCode: undefined, detail: undefined, errorDetails: { checklist: [] }, body: '' }
 * new ApiError(init)
 * ```
 */
export type ApiErrorInit = {
  status: number
  errorCode: string | undefined
  detail: string | undefined
  errorDetails: ErrorDetails
  /** The response body as read (JSON value or text), redacted. */
  body: unknown
  context?: ApiErrorContext | undefined
  retryAfterMs?: number | undefined
}

const docsPage = '/documents/Errors.html'
const maxDetailLength = 500
/** A `detail` made from a text or markup body is short: it is one line of a message. */
const maxTextDetailLength = 200
/** A text body (a proxy's whole HTML page, say) is kept only this long on `body`. */
const maxBodyTextLength = 2000

/**
 * A refused request: an HTTP error status from the external API, with the server's
 * `error_code`, `detail` and `details` (as {@link ApiError.errorDetails}: `details` itself is the
 * toolkit's one-line explanation, as on every {@link BaseError}). Subclasses name each known
 * code; a code this toolkit does not know is classified by HTTP status and endpoint
 * ({@link ApiError.classifiedBy} says which), and {@link UnknownApiError} stands for the rest.
 * Branch on the class, or on {@link recoveryFor}, never on the message or on `errorCode`: only the
 * five `EXTERNAL_SIGNATURE_*` codes are guaranteed by the public guides.
 *
 * @example
 * ```ts
 * import { ApiError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(402, { error_code: 'EXTERNAL_CREDITS_INSUFFICIENT', detail: 'Not enough credits.', details: { checklist: [] } })
 * error instanceof ApiError // true
 * error.status // 402
 * ```
 */
export class ApiError extends BaseError {
  override name = 'ErrorRecovery.ApiError'
  /** HTTP status of the response. */
  readonly status: number
  /** `error_code` of the body as sent (known or not), `undefined` when there was none. */
  readonly errorCode: string | undefined
  /**
   * How the class was chosen: `'error_code'` when the body's `error_code` is one this toolkit
   * knows ({@link errorCodes}), `'status'` when it is unknown or missing and the HTTP status (and
   * endpoint) decided, {@link UnknownApiError} included.
   */
  readonly classifiedBy: 'error_code' | 'status'
  /** `detail` of the body (redacted, at most 500 characters). */
  readonly detail: string | undefined
  /** `details` of the body: `checklist`, `expected_message`, `accepted_path_candidates`, ... */
  readonly errorDetails: ErrorDetails
  /** The response body as read (JSON value or text), redacted. */
  readonly body: unknown
  /** The request that failed, as given to {@link parseApiError}. */
  readonly method: string | undefined
  readonly url: string | undefined
  /** The call the response answers, as given in {@link ApiErrorContext.endpoint}. */
  readonly endpoint: ApiEndpoint | undefined
  readonly requestId: string | undefined
  /** Milliseconds to wait before trying again, from `Retry-After`. */
  readonly retryAfterMs: number | undefined

  constructor(init: ApiErrorInit, summary?: string) {
    const { context = {} } = init
    const classifiedBy = isKnownCode(init.errorCode) ? 'error_code' : 'status'
    const request = [context.method, context.url].filter(Boolean).join(' ')
    const metaMessages = [
      ...(request ? [`Request: ${redactText(request)}`] : []),
      ...(context.requestId ? [`request_id: ${redactText(context.requestId)}`] : []),
      ...(classifiedBy === 'status' && init.errorCode
        ? [
            `Unknown error_code: classified by HTTP status${context.endpoint ? ` on ${context.endpoint}` : ''}.`,
          ]
        : []),
      ...(init.errorDetails.checklist.length
        ? ['Checklist:', ...init.errorDetails.checklist.map((item) => `- ${item}`)]
        : []),
    ]
    const label = init.errorCode ? `HTTP ${init.status} ${init.errorCode}` : `HTTP ${init.status}`
    super(`${summary ?? 'The API refused the request.'} (${label})`, {
      details: init.detail,
      docsPath: `${docsPage}#${classifiedBy === 'error_code' ? init.errorCode?.toLowerCase() : 'codes-we-do-not-know'}`,
      metaMessages,
    })
    this.status = init.status
    this.errorCode = init.errorCode
    this.classifiedBy = classifiedBy
    this.detail = init.detail
    this.errorDetails = init.errorDetails
    this.body = init.body
    this.method = context.method
    this.url = context.url === undefined ? undefined : redactText(context.url)
    this.endpoint = context.endpoint
    this.requestId = context.requestId
    this.retryAfterMs = init.retryAfterMs
  }
}

/** The server's `details` before redaction, per error that {@link parseApiError} made. */
const unredactedDetails = new WeakMap<ApiError, ErrorDetails>()

/**
 * The server's `details` as sent, for comparing with the message that was signed: redaction
 * would change a session nonce or request id that looks like `0x` + 64 hex, and with it the
 * diagnosis. Never shown: what a diagnosis displays is redacted again.
 *
 * @internal
 */
export function detailsForComparison(error: ApiError): ErrorDetails {
  return unredactedDetails.get(error) ?? error.errorDetails
}

function isKnownCode(code: string | undefined): code is ErrorCode {
  return code !== undefined && Object.hasOwn(errorCodes, code)
}

/**
 * One of the five `EXTERNAL_SIGNATURE_*` errors: the server could not accept the signature.
 *
 * @example
 * ```ts
 * import { parseApiError, SignatureError } from '@agentpmt-kit/error-recovery'
 *
 * declare const body: unknown
 * if (parseApiError(401, body) instanceof SignatureError) console.log('re-sign')
 * ```
 */
export class SignatureError extends ApiError {
  override name = 'ErrorRecovery.SignatureError'
}

/**
 * `401 EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID`: the session nonce does not exist for this
 * wallet. Recovery: a new session, a fresh request id, sign again.
 *
 * @example
 * ```ts
 * import { parseApiError, SessionNonceInvalidError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(401, { error_code: 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID', detail: '', details: { checklist: [] } })
 * error instanceof SessionNonceInvalidError // true
 * ```
 */
export class SessionNonceInvalidError extends SignatureError {
  override name = 'ErrorRecovery.SessionNonceInvalidError'
  constructor(init: ApiErrorInit) {
    super(init, 'The session nonce is not known for this wallet.')
  }
}

/**
 * `401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED`: the session nonce expired. Recovery: a new
 * session, a fresh request id, sign again.
 *
 * @example
 * ```ts
 * import { parseApiError, SessionNonceExpiredError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(401, { error_code: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED', detail: '', details: { checklist: [] } })
 * error instanceof SessionNonceExpiredError // true
 * ```
 */
export class SessionNonceExpiredError extends SignatureError {
  override name = 'ErrorRecovery.SessionNonceExpiredError'
  constructor(init: ApiErrorInit) {
    super(init, 'The session nonce expired.')
  }
}

/**
 * `401 EXTERNAL_SIGNATURE_MALFORMED`: the signature is not a recoverable EIP-191 signature.
 * Recovery: sign the exact UTF-8 message and send `0x` + 65 bytes of hex.
 *
 * @example
 * ```ts
 * import { parseApiError, SignatureMalformedError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(401, { error_code: 'EXTERNAL_SIGNATURE_MALFORMED', detail: '', details: { checklist: [] } })
 * error instanceof SignatureMalformedError // true
 * ```
 */
export class SignatureMalformedError extends SignatureError {
  override name = 'ErrorRecovery.SignatureMalformedError'
  constructor(init: ApiErrorInit) {
    super(init, 'The signature could not be recovered as an EIP-191 personal_sign signature.')
  }
}

/**
 * `401 EXTERNAL_SIGNATURE_WALLET_MISMATCH`: the signature recovered to another wallet than
 * `wallet_address`, usually because the signed text differs from the server's. Its
 * `errorDetails` carry `expected_message`, `accepted_path_candidates` and
 * `expected_payload_hash`; pass the error to {@link diagnoseSignature} to see which line differs.
 *
 * @example
 * ```ts
 * import { diagnoseSignature, parseApiError, WalletMismatchError } from '@agentpmt-kit/error-recovery'
 *
 * declare const body: unknown
 * declare const message: string
 * const error = parseApiError(401, body)
 * if (error instanceof WalletMismatchError) console.log(diagnoseSignature({ message, error }).summary)
 * ```
 */
export class WalletMismatchError extends SignatureError {
  override name = 'ErrorRecovery.WalletMismatchError'
  constructor(init: ApiErrorInit) {
    super(init, 'The signature recovered to a different wallet than wallet_address.')
  }
}

/**
 * `409 EXTERNAL_SIGNATURE_REQUEST_REPLAY`: the request id was already used in this session.
 * Recovery: a fresh request id and a new signature.
 *
 * @example
 * ```ts
 * import { parseApiError, RequestReplayError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(409, { error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY', detail: '', details: { checklist: [] } })
 * error instanceof RequestReplayError // true
 * ```
 */
export class RequestReplayError extends SignatureError {
  override name = 'ErrorRecovery.RequestReplayError'
  constructor(init: ApiErrorInit) {
    super(init, 'The request_id was already used in this session.')
  }
}

/**
 * `400 EXTERNAL_REQUEST_INVALID`: the body does not match the endpoint's schema. Not retried:
 * the request must change.
 *
 * @example
 * ```ts
 * import { parseApiError, RequestInvalidError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(400, { error_code: 'EXTERNAL_REQUEST_INVALID', detail: 'limit must be an integer', details: { checklist: [] } }) instanceof RequestInvalidError // true
 * ```
 */
export class RequestInvalidError extends ApiError {
  override name = 'ErrorRecovery.RequestInvalidError'
  constructor(init: ApiErrorInit) {
    super(init, 'The request body does not match the schema.')
  }
}

/**
 * `400 EXTERNAL_PROOF_INVALID`: a completion's proof was refused (e.g. `target_url_used` is not
 * the tracked URL). Not retried.
 *
 * @example
 * ```ts
 * import { parseApiError, ProofInvalidError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(400, { error_code: 'EXTERNAL_PROOF_INVALID', detail: '', details: { checklist: [] } }) instanceof ProofInvalidError // true
 * ```
 */
export class ProofInvalidError extends ApiError {
  override name = 'ErrorRecovery.ProofInvalidError'
  constructor(init: ApiErrorInit) {
    super(init, 'The completion proof was refused.')
  }
}

/**
 * `402 EXTERNAL_CREDITS_INSUFFICIENT`: not enough credits. Not retried.
 *
 * @example
 * ```ts
 * import { CreditsInsufficientError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(402, { error_code: 'EXTERNAL_CREDITS_INSUFFICIENT', detail: '', details: { checklist: [] } }) instanceof CreditsInsufficientError // true
 * ```
 */
export class CreditsInsufficientError extends ApiError {
  override name = 'ErrorRecovery.CreditsInsufficientError'
  constructor(init: ApiErrorInit) {
    super(init, 'Not enough credits.')
  }
}

/**
 * `403 EXTERNAL_FORBIDDEN`: this wallet may not do this (e.g. another wallet's reservation, or a
 * workflow token for another job). Not retried.
 *
 * @example
 * ```ts
 * import { ForbiddenError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(403, { error_code: 'EXTERNAL_FORBIDDEN', detail: '', details: { checklist: [] } }) instanceof ForbiddenError // true
 * ```
 */
export class ForbiddenError extends ApiError {
  override name = 'ErrorRecovery.ForbiddenError'
  constructor(init: ApiErrorInit) {
    super(init, 'This wallet may not do this.')
  }
}

/**
 * `404 EXTERNAL_NOT_FOUND`: no such job, reservation or workflow. Not retried.
 *
 * @example
 * ```ts
 * import { NotFoundError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(404, { error_code: 'EXTERNAL_NOT_FOUND', detail: '', details: { checklist: [] } }) instanceof NotFoundError // true
 * ```
 */
export class NotFoundError extends ApiError {
  override name = 'ErrorRecovery.NotFoundError'
  constructor(init: ApiErrorInit) {
    super(init, 'Not found.')
  }
}

/**
 * A `409` about the state of a job (already reserved, already submitted, reservation expired);
 * not a replay. Not retried: the job moved on. A `409` with a code this toolkit does not know, on
 * another endpoint than `reserve` or `complete`, is a plain `ConflictError`.
 *
 * @example
 * ```ts
 * import { ConflictError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(409, { error_code: 'EXTERNAL_JOB_ALREADY_RESERVED', detail: '', details: { checklist: [] } }) instanceof ConflictError // true
 * parseApiError(409, { error_code: 'WORKFLOW_LOCKED' }, { endpoint: 'workflow' }).name // 'ErrorRecovery.ConflictError'
 * ```
 */
export class ConflictError extends ApiError {
  override name = 'ErrorRecovery.ConflictError'
  constructor(init: ApiErrorInit, summary?: string) {
    super(init, summary ?? 'The request conflicts with the current state of the job.')
  }
}

/**
 * `409 EXTERNAL_JOB_ALREADY_RESERVED`: another wallet holds the reservation.
 *
 * @example
 * ```ts
 * import { JobAlreadyReservedError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(409, { error_code: 'EXTERNAL_JOB_ALREADY_RESERVED', detail: '', details: { checklist: [] } }) instanceof JobAlreadyReservedError // true
 * ```
 */
export class JobAlreadyReservedError extends ConflictError {
  override name = 'ErrorRecovery.JobAlreadyReservedError'
  constructor(init: ApiErrorInit) {
    super(init, 'The job is already reserved.')
  }
}

/**
 * `409 EXTERNAL_JOB_ALREADY_SUBMITTED`: proof was already submitted for this reservation.
 *
 * @example
 * ```ts
 * import { JobAlreadySubmittedError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(409, { error_code: 'EXTERNAL_JOB_ALREADY_SUBMITTED', detail: '', details: { checklist: [] } }) instanceof JobAlreadySubmittedError // true
 * ```
 */
export class JobAlreadySubmittedError extends ConflictError {
  override name = 'ErrorRecovery.JobAlreadySubmittedError'
  constructor(init: ApiErrorInit) {
    super(init, 'Proof was already submitted for this job.')
  }
}

/**
 * `409 EXTERNAL_RESERVATION_EXPIRED`: the reservation expired before the completion arrived.
 *
 * @example
 * ```ts
 * import { parseApiError, ReservationExpiredError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(409, { error_code: 'EXTERNAL_RESERVATION_EXPIRED', detail: '', details: { checklist: [] } }) instanceof ReservationExpiredError // true
 * ```
 */
export class ReservationExpiredError extends ConflictError {
  override name = 'ErrorRecovery.ReservationExpiredError'
  constructor(init: ApiErrorInit) {
    super(init, 'The reservation expired.')
  }
}

/**
 * `413 EXTERNAL_PAYLOAD_TOO_LARGE`: the body is larger than the server takes. Not retried.
 *
 * @example
 * ```ts
 * import { parseApiError, PayloadTooLargeError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(413, { error_code: 'EXTERNAL_PAYLOAD_TOO_LARGE', detail: '', details: { checklist: [] } }) instanceof PayloadTooLargeError // true
 * ```
 */
export class PayloadTooLargeError extends ApiError {
  override name = 'ErrorRecovery.PayloadTooLargeError'
  constructor(init: ApiErrorInit) {
    super(init, 'The request body is too large.')
  }
}

/**
 * `429 EXTERNAL_RATE_LIMITED`: too many requests. Recovery: wait (at least `retryAfterMs`) and
 * retry with a fresh request id.
 *
 * @example
 * ```ts
 * import { parseApiError, RateLimitedError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(429, { error_code: 'EXTERNAL_RATE_LIMITED', detail: '', details: { checklist: [] } }, { retryAfter: '2' })
 * error instanceof RateLimitedError && error.retryAfterMs // 2000
 * ```
 */
export class RateLimitedError extends ApiError {
  override name = 'ErrorRecovery.RateLimitedError'
  constructor(init: ApiErrorInit) {
    super(init, 'Too many requests.')
  }
}

/**
 * `500 EXTERNAL_INTERNAL_ERROR`: the server failed. Recovery: a fresh request id; a call that must
 * not take effect twice (a completion) reads the server's record (the job's status) first.
 *
 * @example
 * ```ts
 * import { InternalServerError, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(500, { error_code: 'EXTERNAL_INTERNAL_ERROR', detail: '', details: { checklist: [] } }) instanceof InternalServerError // true
 * ```
 */
export class InternalServerError extends ApiError {
  override name = 'ErrorRecovery.InternalServerError'
  constructor(init: ApiErrorInit) {
    super(init, 'The server failed to handle the request.')
  }
}

/**
 * `503 EXTERNAL_SERVICE_UNAVAILABLE`, or a `502`, `503` or `504` without a known code (often a
 * gateway's HTML page): the service is down for a while. Recovery: wait and retry.
 *
 * @example
 * ```ts
 * import { parseApiError, ServiceUnavailableError } from '@agentpmt-kit/error-recovery'
 *
 * parseApiError(503, { error_code: 'EXTERNAL_SERVICE_UNAVAILABLE', detail: '', details: { checklist: [] } }) instanceof ServiceUnavailableError // true
 * ```
 */
export class ServiceUnavailableError extends ApiError {
  override name = 'ErrorRecovery.ServiceUnavailableError'
  constructor(init: ApiErrorInit) {
    super(init, 'The service, or a gateway in front of it, is unavailable.')
  }
}

/**
 * A `401` without a known `error_code`: the server refused the signature or the session without
 * saying how (an unknown code, no code, a text or HTML body). Recovery: `new-session`: open a
 * new session and sign again with a fresh request id, once; a second refusal is final. Not a
 * {@link SignatureError}, which stands for the five documented codes only.
 *
 * @example
 * ```ts
 * import { parseApiError, recoveryFor, UnknownAuthError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(401, { detail: 'Invalid signature' })
 * error instanceof UnknownAuthError // true
 * error.classifiedBy // 'status'
 * recoveryFor(error) // 'new-session'
 * ```
 */
export class UnknownAuthError extends ApiError {
  override name = 'ErrorRecovery.UnknownAuthError'
  constructor(init: ApiErrorInit) {
    super(init, 'The server refused the signature or the session without a documented code.')
  }
}

/**
 * An error response that neither a known `error_code` nor its HTTP status classifies: a status
 * outside the table of {@link parseApiError} (a `418`, a `501`, a redirect) with an unknown code,
 * no code, a body that is not JSON or not an object. Its recovery follows the status alone.
 *
 * @example
 * ```ts
 * import { parseApiError, UnknownApiError } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(501, '<html><title>Not Implemented</title></html>')
 * error instanceof UnknownApiError // true
 * error.detail // 'HTML page: "Not Implemented"'
 * ```
 */
export class UnknownApiError extends ApiError {
  override name = 'ErrorRecovery.UnknownApiError'
  constructor(init: ApiErrorInit) {
    super(init, summaryForStatus(init.status))
  }
}

/** Statuses the table of {@link parseApiError} classifies never reach an UnknownApiError. */
function summaryForStatus(status: number): string {
  if (status >= 500) return 'The server failed.'
  if (status >= 400) return 'The API refused the request.'
  return 'Unexpected response.'
}

const classes: { readonly [code in ErrorCode]: ApiErrorClass } = {
  EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID: SessionNonceInvalidError,
  EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED: SessionNonceExpiredError,
  EXTERNAL_SIGNATURE_MALFORMED: SignatureMalformedError,
  EXTERNAL_SIGNATURE_WALLET_MISMATCH: WalletMismatchError,
  EXTERNAL_SIGNATURE_REQUEST_REPLAY: RequestReplayError,
  EXTERNAL_REQUEST_INVALID: RequestInvalidError,
  EXTERNAL_PROOF_INVALID: ProofInvalidError,
  EXTERNAL_CREDITS_INSUFFICIENT: CreditsInsufficientError,
  EXTERNAL_FORBIDDEN: ForbiddenError,
  EXTERNAL_NOT_FOUND: NotFoundError,
  EXTERNAL_JOB_ALREADY_RESERVED: JobAlreadyReservedError,
  EXTERNAL_JOB_ALREADY_SUBMITTED: JobAlreadySubmittedError,
  EXTERNAL_RESERVATION_EXPIRED: ReservationExpiredError,
  EXTERNAL_PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  EXTERNAL_RATE_LIMITED: RateLimitedError,
  EXTERNAL_INTERNAL_ERROR: InternalServerError,
  EXTERNAL_SERVICE_UNAVAILABLE: ServiceUnavailableError,
}

/**
 * Turns an error response into an {@link ApiError}. A known `error_code` ({@link errorCodes})
 * decides the class. An unknown or missing one (and a body that is not JSON, or not an object)
 * is classified by HTTP status and `context.endpoint`, the raw code kept on `errorCode`:
 *
 * | status | class |
 * | --- | --- |
 * | 400, 422 | {@link RequestInvalidError} |
 * | 401 | {@link UnknownAuthError} |
 * | 402 | {@link CreditsInsufficientError} |
 * | 403 | {@link ForbiddenError} |
 * | 404 | {@link NotFoundError} |
 * | 409 on `reserve` | {@link JobAlreadyReservedError} |
 * | 409 on `complete` | {@link JobAlreadySubmittedError} |
 * | 409 elsewhere | {@link ConflictError} |
 * | 410 | {@link ReservationExpiredError} |
 * | 413 | {@link PayloadTooLargeError} |
 * | 429 | {@link RateLimitedError} |
 * | 500 | {@link InternalServerError} |
 * | 502, 503, 504 | {@link ServiceUnavailableError} |
 * | any other | {@link UnknownApiError} |
 *
 * `body` is the parsed JSON value or the raw text (text that holds JSON is parsed here). A body
 * of text becomes a short `detail` (an HTML page its title or text, tags stripped). Never throws.
 * Signatures in the body are shortened and key-shaped strings hidden, so the error is safe to
 * log. `retryAfterMs` comes from `context.retryAfter` or `context.headers` (a date in it is read
 * against the answer's own `Date` header).
 *
 * @example
 * ```ts
 * import { parseApiError, recoveryFor } from '@agentpmt-kit/error-recovery'
 *
 * const error = parseApiError(
 *   401,
 *   {
 *     error_code: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
 *     detail: 'The session nonce expired.',
 *     details: { checklist: ['Create a new session nonce, use a fresh request_id, and re-sign.'] },
 *   },
 *   { method: 'POST', url: 'https://www.agentpmt.com/api/external/jobs/list', requestId: 'req-1' },
 * )
 * error.name // 'ErrorRecovery.SessionNonceExpiredError'
 * recoveryFor(error) // 'new-session'
 * ```
 */
export function parseApiError(
  status: number,
  body: unknown,
  context: ApiErrorContext = {},
): ApiError {
  const unredacted = readBody(body)
  const redacted = redactValue(unredacted)
  const value = typeof redacted === 'string' ? truncate(redacted, maxBodyTextLength) : redacted
  const record = errorRecord(value)
  const errorCode = typeof record?.error_code === 'string' ? record.error_code : undefined
  const init: ApiErrorInit = {
    status,
    errorCode,
    detail: readDetail(record, redacted),
    errorDetails: readDetails(record?.details),
    body: value,
    context,
    retryAfterMs: parseRetryAfter(
      context.retryAfter ?? headerValue(context.headers, 'retry-after'),
      context.now,
      headerValue(context.headers, 'date'),
    ),
  }
  const ErrorClass = isKnownCode(errorCode)
    ? classes[errorCode]
    : classForStatus(status, context.endpoint)
  const error = new ErrorClass(init)
  const unredactedRecord = errorRecord(unredacted)
  if (unredactedRecord) unredactedDetails.set(error, readDetails(unredactedRecord.details))
  return error
}

type ApiErrorClass = new (init: ApiErrorInit) => ApiError

/** The class of a response whose `error_code` this toolkit does not know; see {@link parseApiError}. */
function classForStatus(status: number, endpoint: ApiEndpoint | undefined): ApiErrorClass {
  switch (status) {
    case 400:
    case 422:
      return RequestInvalidError
    case 401:
      return UnknownAuthError
    case 402:
      return CreditsInsufficientError
    case 403:
      return ForbiddenError
    case 404:
      return NotFoundError
    case 409:
      if (endpoint === 'reserve') return JobAlreadyReservedError
      if (endpoint === 'complete') return JobAlreadySubmittedError
      return ConflictError
    case 410:
      return ReservationExpiredError
    case 413:
      return PayloadTooLargeError
    case 429:
      return RateLimitedError
    case 500:
      return InternalServerError
    case 502:
    case 503:
    case 504:
      return ServiceUnavailableError
    default:
      return UnknownApiError
  }
}

/**
 * The error object of a body: the body itself, or, when it has no `error_code` and its `detail`
 * is an object that has one, that `detail` (a Python server that raised its error body as an
 * HTTP exception's detail answers `{ "detail": { "error_code": ... } }`).
 */
function errorRecord(value: unknown): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined
  if (value.error_code === undefined && isRecord(value.detail) && 'error_code' in value.detail)
    return value.detail
  return value
}

/** `detail` of the body, or a short readable line made from a body of text or markup. */
function readDetail(
  record: Record<string, unknown> | undefined,
  value: unknown,
): string | undefined {
  if (typeof record?.detail === 'string') return truncate(record.detail, maxDetailLength)
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text === '') return undefined
  const markup = markupDetail(text)
  return markup ?? truncate(collapse(text), maxTextDetailLength)
}

const markupStart = /^<[!?a-zA-Z]/
const maxMarkupLength = 10_000
const htmlShape = /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<title[\s>]/i

/**
 * A body of markup (a proxy's or load balancer's error page) as one short line: its `<title>`,
 * else its first heading, else its text; tags, comments, scripts and styles removed, a few
 * entities decoded, whitespace collapsed. The markup itself never reaches a message.
 */
function markupDetail(whole: string): string | undefined {
  if (!markupStart.test(whole)) return undefined
  // The title and first heading sit near the top; a bound keeps the regexes linear enough.
  const text = whole.slice(0, maxMarkupLength)
  const label = htmlShape.test(text) ? 'HTML page' : 'Markup'
  const title = readableText(/<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(text)?.[1] ?? '')
  const heading = readableText(/<h1[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(text)?.[1] ?? '')
  const body = readableText(text.replace(/<(head|script|style)[\s>][\s\S]*?<\/\1\s*>/gi, ' '))
  const line = title || heading || body
  return line ? `${label}: "${truncate(line, maxTextDetailLength)}"` : label
}

function readableText(markup: string): string {
  const text = markup
    .replace(/(?:<!--[\s\S]*?(?:-->|$)|<[^>]*(?:>|$))+/g, tagsBetween)
    .replace(/&(#x?)?([0-9a-z]{1,8});/gi, decodeEntity)
  // Stripping tags and decoding entities can join what redaction saw apart: redact again.
  return redactText(collapse(text))
}

/**
 * Tags become a space, except inside a long run of hex digits: a signature split by `<wbr>` or
 * `<span>` stays one run, so that redaction sees it whole instead of showing both halves.
 */
function tagsBetween(tags: string, offset: number, markup: string): string {
  const before = /[0-9a-fA-F]*$/.exec(markup.slice(Math.max(0, offset - 16), offset))?.[0] ?? ''
  const after =
    /^[0-9a-fA-F]*/.exec(markup.slice(offset + tags.length, offset + tags.length + 16))?.[0] ?? ''
  const joined = before.length > 0 && after.length > 0 && before.length + after.length >= 16
  return joined ? '' : ' '
}

const namedEntities: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

function decodeEntity(entity: string, hash: string | undefined, name: string): string {
  if (hash === undefined) return namedEntities[name.toLowerCase()] ?? entity
  const codePoint = Number.parseInt(name, hash.length > 1 ? 16 : 10)
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : ' '
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function readBody(body: unknown): unknown {
  if (typeof body !== 'string') return body
  const text = body.trim()
  if (!text.startsWith('{')) return body
  try {
    return JSON.parse(text) as unknown
  } catch {
    return body
  }
}

function readDetails(details: unknown): ErrorDetails {
  if (!isRecord(details)) return { checklist: [] }
  const checklist = Array.isArray(details.checklist)
    ? details.checklist.filter((item): item is string => typeof item === 'string')
    : typeof details.checklist === 'string'
      ? [details.checklist]
      : []
  return { ...details, checklist }
}

function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined
  if (typeof headers.get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === name) return typeof value === 'string' ? value : value?.[0]
  return undefined
}

function truncate(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
