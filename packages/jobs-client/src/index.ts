export { BaseError } from '@agentpmt-kit/canonical-json'
export { parseTimestamp } from '@agentpmt-kit/message-builder'
export {
  type JobKind,
  type ListAnswer,
  type ListedJob,
  type Read,
  type ReadNote,
  type ReserveAnswer,
  type ReservedJob,
  readCompleteAnswer,
  readListAnswer,
  readReserveAnswer,
  readSessionAnswer,
  readStatusAnswer,
  readWorkflowAnswer,
  type StatusAnswer,
  type SubmissionView,
  type WorkflowAnswer,
} from './answers.js'
export { InvalidArgumentError } from './arguments.js'
export { type Clock, systemClock } from './Clock.js'
export {
  type Completion,
  CompletionAlreadySentError,
  CompletionUnknownError,
} from './completion.js'
export {
  type CallOptions,
  createJobsClient,
  type JobListPage,
  type JobStatus,
  type JobsClient,
  type JobsClientOptions,
} from './createJobsClient.js'
export {
  type ExchangeAnswer,
  type ExchangeAttempt,
  type ExchangeOptions,
  type ExchangeRequest,
  exchange,
  type WorkflowTokenHeader,
} from './exchange.js'
export { InvalidResponseError } from './InvalidResponseError.js'
export {
  checkJournalEntry,
  createMemoryJournal,
  type Journal,
  type JournalEntry,
  JournalEntryError,
  type JournalStep,
} from './Journal.js'
export type { JobsOptions } from './jobsIterator.js'
export type { JobsClientEvent, JobsClientLogger } from './Logger.js'
export { type CompletionProof, checkProof, ProofCheckError } from './proofChecks.js'
export { type Reservation, ReservationDeadlineError } from './Reservation.js'
export { ResponseTooLargeError } from './ResponseTooLargeError.js'
export type { JobWorker, RunOptions, RunOutcome, RunResult } from './run.js'
export type { ServerClockReading } from './ServerClock.js'
export { findSecret, SecretInRequestError, secretPattern } from './secrets.js'
export type { Session } from './session.js'
export { SignatureRejectedError } from './signedRequest.js'
export {
  type FinalVerificationStatus,
  NoSubmissionError,
  type VerifiedStatus,
  type WaitForVerificationOptions,
} from './waitForVerification.js'
export { WorkflowTokenMissingError } from './workflow.js'
