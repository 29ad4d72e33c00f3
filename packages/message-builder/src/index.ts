export { BaseError } from '@agentpmt-kit/canonical-json'
export {
  balanceMessage,
  jobActions,
  jobCompleteMessage,
  jobListMessage,
  jobReserveMessage,
  jobStatusMessage,
  type Signing,
  toolInvokeMessage,
} from './jobMessages.js'
export {
  type ActionScope,
  buildMessage,
  InvalidMessageFieldError,
  type MessageFields,
  type MessageInput,
  type MessageLine,
  MessageParseError,
  messageLines,
  messagePrefix,
  type PathScope,
  parseMessage,
  type Scope,
} from './message.js'
export { acceptedPathCandidates, canonicalPath, toolInvokePath } from './paths.js'
export { type Envelope, envelopeFields, payloadOf } from './payload.js'
export { type FieldRule, fieldProblem, isAddress } from './rules.js'
export type { Hex, MessageSigner } from './Signer.js'
export {
  assertSignableMessage,
  createSignatureVerifier,
  InvalidMessageError,
  InvalidSignatureError,
  type RecoverAddress,
  readAddress,
  readSignature,
  type SignatureParts,
  type SignatureReading,
  type SignatureVerifier,
  SignerMismatchError,
  SigningFailedError,
  serializeSignature,
  toMessageSigner,
  UnsupportedSourceError,
  type WalletSigning,
} from './signature.js'
export { isIsoDateTime, type ProofIssue, socialPostIssues } from './socialProof.js'
export { parseHttpDate, parseTimestamp } from './timestamps.js'
export {
  apiPaths,
  type BalanceResponse,
  type CompleteResponse,
  type CompletionPayload,
  type ErrorBody,
  type JobListItem,
  type JobListResponse,
  type JobState,
  type JobStatusResponse,
  type JobType,
  type ReservationState,
  type ReserveResponse,
  type SessionResponse,
  type SocialPost,
  type Submission,
  type ToolInvokeResponse,
  type VerificationStatus,
  type WorkflowDefinition,
  type WorkflowResponse,
  workflowTokenHeader,
} from './wire.js'
