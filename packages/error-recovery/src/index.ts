export { BaseError } from '@agentpmt-kit/canonical-json'
export {
  type ApiEndpoint,
  ApiError,
  type ApiErrorContext,
  type ApiErrorInit,
  ConflictError,
  CreditsInsufficientError,
  type ErrorDetails,
  ForbiddenError,
  type HeadersLike,
  InternalServerError,
  JobAlreadyReservedError,
  JobAlreadySubmittedError,
  NotFoundError,
  PayloadTooLargeError,
  ProofInvalidError,
  parseApiError,
  RateLimitedError,
  RequestInvalidError,
  RequestReplayError,
  ReservationExpiredError,
  ServiceUnavailableError,
  SessionNonceExpiredError,
  SessionNonceInvalidError,
  SignatureError,
  SignatureMalformedError,
  UnknownApiError,
  UnknownAuthError,
  WalletMismatchError,
} from './ApiError.js'
export {
  type CanonicalJsonDiagnosis,
  type DiagnoseCanonicalJsonInput,
  diagnoseCanonicalJson,
} from './diagnoseCanonicalJson.js'
export { type DiagnoseSignatureInput, diagnoseSignature } from './diagnoseSignature.js'
export { type ErrorCode, errorCodes, type Recovery } from './errorCodes.js'
export { type PayloadHashHypothesis, payloadHashHypotheses } from './payloadHashHypotheses.js'
export { recoveryFor } from './recovery.js'
export { redactText } from './redact.js'
export { parseRetryAfter } from './retryAfter.js'
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retryBudget.js'
export {
  type RetryEvent,
  type RetryPolicy,
  type RetryPolicyOptions,
  retryPolicy,
} from './retryPolicy.js'
export type {
  EncoderMistake,
  MessageLineName,
  PayloadFinding,
  SignatureDiagnosis,
  SignatureFinding,
  SignatureMistake,
  SignatureProblem,
  SignatureProblemKind,
} from './signatureDiagnosis.js'
export {
  NetworkError,
  RequestAbortedError,
  TimeoutError,
  type ToTransportErrorOptions,
  TransportError,
  type TransportErrorContext,
  toTransportError,
} from './TransportError.js'
