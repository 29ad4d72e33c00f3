export { InvalidArgumentError } from './arguments.js'
export { type Clock, systemClock } from './Clock.js'
export {
  type CallOptions,
  CompletionAlreadySentError,
  createJobsClient,
  type JobsClient,
  type JobsClientOptions,
} from './createJobsClient.js'
export { InvalidResponseError } from './internal/validate.js'
export type { JobsOptions } from './jobsIterator.js'
export type { JobsClientEvent, JobsClientLogger } from './Logger.js'
export { type CompletionProof, checkProof, ProofCheckError } from './proofChecks.js'
export { type Reservation, ReservationDeadlineError } from './Reservation.js'
export type { JobWorker, RunOptions, RunOutcome, RunResult } from './run.js'
export type { Session } from './session.js'
export { CompletionNotRecordedError, SignatureRejectedError } from './signedRequest.js'
export {
  type FinalVerificationStatus,
  NoSubmissionError,
  type VerifiedStatus,
  type WaitForVerificationOptions,
} from './waitForVerification.js'
export { WorkflowTokenMissingError } from './workflow.js'
