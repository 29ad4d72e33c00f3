import { BaseError } from '@agentpmt-kit/canonical-json'
import {
  ApiError,
  RequestAbortedError,
  RequestReplayError,
  recoveryFor,
} from '@agentpmt-kit/error-recovery'
import { apiPaths, jobActions } from '@agentpmt-kit/message-builder'
import { readCompleteAnswer, type StatusAnswer, type SubmissionView } from './answers.js'
import { checkReservation } from './arguments.js'
import { type ClientContext, logNotes } from './internal/context.js'
import { type CompletionProof, checkProof, ProofCheckError } from './proofChecks.js'
import {
  pastDeadline,
  type Reservation,
  ReservationDeadlineError,
  releaseReservation,
  safetyTimeLeft,
} from './Reservation.js'
import { SecretInRequestError } from './secrets.js'
import type { SessionManager } from './session.js'
import { SignatureRejectedError, signedRequest } from './signedRequest.js'

/**
 * What `client.complete` returns: the submission the server holds for the reservation. `adopted`
 * is `true` when the client learned of it from the job's status (an attempt whose answer was
 * lost had reached the server), `false` when the complete call itself answered. `submission` is
 * `undefined` when the complete answer had none the client could read (it was accepted all the
 * same); `raw` is the answer as received (not enumerable).
 *
 * @example
 * ```ts
 * import type { Completion } from '@agentpmt-kit/jobs-client'
 *
 * declare const completion: Completion
 * completion.submission?.verification.status // 'queued', ...
 * ```
 */
export type Completion = {
  job_id: string
  reservation_id: string
  submission: SubmissionView | undefined
  adopted: boolean
  readonly raw: unknown
}

/** What the server's record says of one reservation's completion. */
type Record =
  | { kind: 'held'; submission: SubmissionView; status: StatusAnswer }
  | { kind: 'none'; status: StatusAnswer }
  | { kind: 'unreadable'; error: unknown }

/** Longest wait between two completion attempts, unless `Retry-After` asks for more. */
const maxBackoffMs = 30_000

/**
 * The completion of reservations, decided by the server's record: after any failure whose
 * effect is not certain, the client reads the job's status; it adopts a submission the server
 * holds for the reservation, and otherwise submits again with a fresh request id (backing off,
 * honouring `Retry-After`) while the safety deadline allows.
 *
 * @internal
 */
export function createCompleter(
  sessions: SessionManager,
  status: (jobId: string, signal: AbortSignal | undefined) => Promise<StatusAnswer>,
): (
  context: ClientContext,
  reservation: Reservation,
  proof: CompletionProof,
  signal: AbortSignal | undefined,
) => Promise<Completion> {
  const inFlight = new Set<string>()
  // Reservations this client has sent a completion for: a later call asks the server first.
  const sent = new Set<string>()

  const recordOf = async (
    reservation: Reservation,
    signal: AbortSignal | undefined,
  ): Promise<Record> => {
    try {
      const current = await status(reservation.job_id, signal)
      const submission = current.submission
      const ours =
        submission !== undefined &&
        (submission.reservation_id === undefined ||
          submission.reservation_id === reservation.reservation_id)
      return ours
        ? { kind: 'held', submission, status: current }
        : { kind: 'none', status: current }
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      return { kind: 'unreadable', error }
    }
  }

  const adopt = (
    context: ClientContext,
    reservation: Reservation,
    record: Record & { kind: 'held' },
  ): Completion => {
    context.log({
      type: 'recovery',
      path: apiPaths.complete(reservation.job_id),
      requestId: null,
      recovery: 'adopt',
      errorCode: null,
    })
    releaseReservation(reservation)
    return adoptedCompletion(reservation, record.submission, record.status)
  }

  return async (context, reservation, proof, signal) => {
    checkReservation(reservation)
    const reservationId = reservation.reservation_id
    const payload = checkProof(reservation, proof)
    if (inFlight.has(reservationId))
      throw new CompletionAlreadySentError({ reservationId, reason: 'in-progress' })
    inFlight.add(reservationId)
    try {
      if (sent.has(reservationId)) {
        const record = await recordOf(reservation, signal)
        if (record.kind === 'held')
          throw new CompletionAlreadySentError({
            reservationId,
            reason: 'submitted',
            submission: record.submission,
          })
        if (record.kind === 'unreadable')
          throw new CompletionAlreadySentError({
            reservationId,
            reason: 'status-unreadable',
            cause: record.error,
          })
      }
      const jobId = reservation.job_id
      const path = apiPaths.complete(jobId)
      const checkDeadline = (): void => {
        if (pastDeadline(reservation, context.clock))
          throw new ReservationDeadlineError({ reservationId })
      }
      checkDeadline()
      // Past the deadline after an uncertain attempt: the record, if it can be read, decides.
      const settleAtDeadline = async (): Promise<Completion> => {
        const last = await recordOf(reservation, signal)
        if (last.kind === 'held') return adopt(context, reservation, last)
        if (last.kind === 'none') throw new ReservationDeadlineError({ reservationId })
        throw new CompletionUnknownError({ reservation, cause: last.error })
      }
      let uncertain = false
      for (let attempt = 1; ; attempt++) {
        try {
          sent.add(reservationId)
          const { body } = await signedRequest(context, sessions, {
            action: jobActions.complete,
            product: jobId,
            path,
            payload,
            signal,
            kind: 'once',
            // A new session may come after the deadline: nothing is signed then.
            beforeSigning: checkDeadline,
          })
          const { value, notes } = readCompleteAnswer(body, { jobId, path })
          logNotes(context, path, notes)
          releaseReservation(reservation)
          return completion(reservation, value.submission, false, body)
        } catch (error) {
          if (signal?.aborted) throw signal.reason
          if (error instanceof ReservationDeadlineError) {
            if (!uncertain) throw error
            return await settleAtDeadline()
          }
          if (refusedForSure(error)) throw error
          uncertain = true
          context.log({
            type: 'recovery',
            path,
            requestId: null,
            recovery: 'check-status',
            errorCode: error instanceof ApiError ? (error.errorCode ?? null) : null,
          })
          const record = await recordOf(reservation, signal)
          if (record.kind === 'held') return adopt(context, reservation, record)
          // A conflict that the record confirms: the server refuses and holds nothing of ours.
          if (record.kind === 'none' && isConflict(error)) throw error
          const delayMs = backoff(attempt, error)
          if (delayMs >= safetyTimeLeft(reservation, context.clock)) return await settleAtDeadline()
          context.log({
            type: 'recovery',
            path,
            requestId: null,
            recovery: 'resubmit',
            errorCode: error instanceof ApiError ? (error.errorCode ?? null) : null,
          })
          await context.retry.sleep(delayMs, signal)
        }
      }
    } finally {
      inFlight.delete(reservationId)
    }
  }
}

/**
 * Whether an error proves the completion did not take effect: the proof or the signature was
 * refused (a 4xx other than a conflict), the caller aborted, or the local checks failed.
 */
function refusedForSure(error: unknown): boolean {
  if (error instanceof ProofCheckError || error instanceof SignatureRejectedError) return true
  // Refused before sending: the server never saw it.
  if (error instanceof SecretInRequestError) return true
  if (error instanceof RequestAbortedError) return true
  if (!(error instanceof ApiError) || isConflict(error) || error instanceof RequestReplayError)
    return false
  return error.status >= 400 && error.status < 500 && recoveryFor(error) !== 'retry-later'
}

/** A 409 or 410 other than a replay: the server's record decides what it means. */
function isConflict(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 409 || error.status === 410) &&
    !(error instanceof RequestReplayError)
  )
}

/** Exponential backoff with jitter, at least the server's `Retry-After`. */
function backoff(attempt: number, error: unknown): number {
  const retryAfterMs = error instanceof ApiError ? (error.retryAfterMs ?? 0) : 0
  const exponential = Math.min(maxBackoffMs, 500 * 2 ** Math.min(attempt, 16))
  return Math.max(retryAfterMs, exponential / 2 + Math.random() * (exponential / 2))
}

/**
 * The completion of a submission the server holds, learned from the job's status.
 *
 * @internal
 */
export function adoptedCompletion(
  reservation: Reservation,
  submission: SubmissionView,
  raw: unknown,
): Completion {
  return completion(reservation, submission, true, raw)
}

function completion(
  reservation: Reservation,
  submission: SubmissionView | undefined,
  adopted: boolean,
  raw: unknown,
): Completion {
  const value = {
    job_id: reservation.job_id,
    reservation_id: reservation.reservation_id,
    submission,
    adopted,
  }
  Object.defineProperty(value, 'raw', { value: raw, enumerable: false })
  return value as Completion
}

/**
 * `complete` was refused without sending anything, because a completion of this reservation:
 * - `in-progress`: is being sent by another `complete` call right now;
 * - `submitted`: was sent before and the server holds it (`submission`): follow it with
 *   `client.status(jobId)` or `waitForVerification`;
 * - `status-unreadable`: was sent before, and the job's status could not be read to learn
 *   whether the server holds it (the `cause`); try again later.
 *
 * @example
 * ```ts
 * import { CompletionAlreadySentError } from '@agentpmt-kit/jobs-client'
 *
 * new CompletionAlreadySentError({ reservationId: 'res_1', reason: 'submitted' }).name // 'JobsClient.CompletionAlreadySentError'
 * ```
 */
export class CompletionAlreadySentError extends BaseError {
  override name = 'JobsClient.CompletionAlreadySentError'
  readonly reservationId: string
  readonly reason: 'in-progress' | 'submitted' | 'status-unreadable'
  /** The submission the server holds, for `submitted`. */
  readonly submission: SubmissionView | undefined
  constructor({
    reservationId,
    reason,
    submission,
    cause,
  }: {
    reservationId: string
    reason: 'in-progress' | 'submitted' | 'status-unreadable'
    submission?: SubmissionView | undefined
    cause?: unknown
  }) {
    const why = {
      'in-progress': 'another complete() call is sending it now',
      submitted: `the server holds this wallet's submission (verification ${submission?.verification.status})`,
      'status-unreadable': 'it was sent before and the job status could not be read to check',
    }[reason]
    super(`A completion of this reservation was already sent: ${why}.`, {
      details: `Reservation ${reservationId}: nothing was sent again; follow it with status().`,
      ...(cause instanceof Error ? { cause } : {}),
      docsPath: '/documents/Run_the_job_loop.html#errors',
    })
    this.reservationId = reservationId
    this.reason = reason
    this.submission = submission
  }
}

/**
 * The client could not learn, before the reservation's safety deadline, whether the server
 * holds the completion: an attempt may have reached it, and its status could not be read. The
 * `reservation` is kept: follow it with `client.status(reservation.job_id)`.
 *
 * @example
 * ```ts
 * import { CompletionUnknownError } from '@agentpmt-kit/jobs-client'
 *
 * declare const error: unknown
 * if (error instanceof CompletionUnknownError) console.log(error.reservation.job_id)
 * ```
 */
export class CompletionUnknownError extends BaseError {
  override name = 'JobsClient.CompletionUnknownError'
  readonly reservation: Reservation
  constructor({ reservation, cause }: { reservation: Reservation; cause: unknown }) {
    super('Whether the server holds the completion is unknown.', {
      details: `Job ${reservation.job_id}, reservation ${reservation.reservation_id}: an attempt may have reached the server and its status could not be read before the deadline. Follow it with status().`,
      ...(cause instanceof Error ? { cause } : {}),
      docsPath: '/documents/Run_the_job_loop.html#outcomes',
    })
    this.reservation = reservation
  }
}
