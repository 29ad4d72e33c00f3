import { ApiError, ReservationExpiredError } from '@agentpmt-kit/error-recovery'
import type { StatusAnswer } from './answers.js'
import {
  adoptedCompletion,
  type Completion,
  CompletionAlreadySentError,
  CompletionUnknownError,
} from './completion.js'
import type { Journal, JournalStep } from './Journal.js'
import type { CompletionProof } from './proofChecks.js'
import { type Reservation, ReservationDeadlineError } from './Reservation.js'
import type { VerifiedStatus, WaitForVerificationOptions } from './waitForVerification.js'

/**
 * The work on a reserved job. It gets the reservation and a `signal` that aborts at the safety
 * deadline (or when the run is aborted); it returns the proof, or nothing to give the job up.
 *
 * @example
 * ```ts
 * import type { JobWorker } from '@agentpmt-kit/jobs-client'
 *
 * const worker: JobWorker = async (reservation, { signal }) => {
 *   signal.throwIfAborted()
 *   return { proof_text: 'Published the workflow.', workflow_id: 'wf_1' }
 * }
 * ```
 */
export type JobWorker = (
  reservation: Reservation,
  context: { signal: AbortSignal },
) => Promise<CompletionProof | null | undefined> | CompletionProof | null | undefined

/**
 * How a run ended, always as the server's record has it when the server could be reached:
 * - `verified`, `rejected`, `needs_human`: the proof was submitted (or an earlier submission of
 *   this reservation was found and adopted) and verification ended so;
 * - `expired`: the safety deadline came with nothing submitted (the worker was still busy and was
 *   aborted, or the server could not take the completion in time); the reservation lapses;
 * - `abandoned`: nothing was submitted: the worker returned nothing or threw, the proof failed
 *   the local checks, or the server refused it for sure (`error` says why);
 * - `unknown`: the client could not learn the server's record (an attempt may have reached it,
 *   or verification could not be followed): follow `reservation.job_id` with `status()`.
 *
 * @example
 * ```ts
 * import type { RunOutcome } from '@agentpmt-kit/jobs-client'
 *
 * const outcome: RunOutcome = 'verified'
 * ```
 */
export type RunOutcome =
  | 'verified'
  | 'rejected'
  | 'needs_human'
  | 'expired'
  | 'abandoned'
  | 'unknown'

/**
 * What `client.run` returns: the outcome, the reservation, and when submitted the completion
 * and the final status; `error` is what the worker threw, the proof check found, the server
 * refused, or what kept the client from knowing. `resumed` is `true` when the run took up a job
 * its journal had recorded.
 *
 * @example
 * ```ts
 * import type { RunResult } from '@agentpmt-kit/jobs-client'
 *
 * declare const result: RunResult
 * if (result.outcome === 'verified') console.log(result.status?.submission.verification.updated_at)
 * ```
 */
export type RunResult = {
  outcome: RunOutcome
  reservation: Reservation
  completion?: Completion | undefined
  status?: VerifiedStatus | undefined
  error?: unknown
  resumed?: boolean | undefined
}

/**
 * Options of `client.run`.
 *
 * @example
 * ```ts
 * import { createMemoryJournal, type RunOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: RunOptions = { verification: { intervalMs: 5_000 }, journal: createMemoryJournal() }
 * ```
 */
export type RunOptions = {
  /** Aborts the worker and the requests; the run rejects with the signal's reason. */
  signal?: AbortSignal | undefined
  /** Options of the verification wait (its `signal` is the run's). */
  verification?: Omit<WaitForVerificationOptions, 'signal'> | undefined
  /**
   * Where the run records its progress (before reserving, after reserving, before and after
   * completing), so that a run of the same job after a crash resumes: it follows a submission
   * the server holds to its verdict, completes a held reservation with the recorded proof, and
   * never reserves a held job again. `createFileJournal` (subpath `/file-journal`) keeps it on
   * disk. The journal holds no key, signature or workflow token.
   */
  journal?: Journal | undefined
}

/** The client calls a run needs. */
export type RunSteps = {
  wallet: string
  reserve(jobId: string, signal: AbortSignal | undefined): Promise<Reservation>
  restore(saved: unknown): Reservation
  complete(
    reservation: Reservation,
    proof: CompletionProof,
    signal: AbortSignal | undefined,
  ): Promise<Completion>
  status(jobId: string, signal: AbortSignal | undefined): Promise<StatusAnswer>
  waitForVerification(jobId: string, options: WaitForVerificationOptions): Promise<VerifiedStatus>
}

/**
 * Reserve (or resume from the journal), work until the safety deadline at most, complete as the
 * server's record decides, wait for verification.
 *
 * @internal
 */
export async function runJob(
  steps: RunSteps,
  jobId: string,
  worker: JobWorker,
  options: RunOptions = {},
): Promise<RunResult> {
  const journal = options.journal
  const record = async (
    step: JournalStep,
    reservation?: Reservation,
    proof?: CompletionProof,
  ): Promise<void> => {
    await journal?.write({
      version: 1,
      wallet: steps.wallet,
      jobId,
      step,
      ...(reservation === undefined ? {} : { reservation: savedForm(reservation) }),
      ...(proof === undefined ? {} : { proof: savedForm(proof) }),
      updatedAt: new Date().toISOString(),
    })
  }
  const finish = async (result: RunResult): Promise<RunResult> => {
    if (result.outcome !== 'unknown') await journal?.remove(steps.wallet, jobId)
    return result
  }

  const entry = await journal?.read(steps.wallet, jobId)
  let reservation: Reservation
  let proof: CompletionProof | undefined
  const resumed = entry?.reservation !== undefined
  if (entry?.reservation !== undefined) {
    let current: StatusAnswer | undefined
    let statusError: unknown
    try {
      current = await steps.status(jobId, options.signal)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      statusError = error
    }
    // Restored after a call to the server: its answer measured the server's clock, on which the
    // saved deadline is read.
    reservation = steps.restore(entry.reservation)
    if (current === undefined)
      return { outcome: 'unknown', reservation, error: statusError, resumed }
    const held = current.submission
    if (
      held !== undefined &&
      (held.reservation_id ?? reservation.reservation_id) === reservation.reservation_id
    )
      return finish(
        await verdict(
          steps,
          reservation,
          adoptedCompletion(reservation, held, current),
          options,
          resumed,
        ),
      )
    if (reservation.signal.aborted) return finish({ outcome: 'expired', reservation, resumed })
    if (entry.step === 'completing' || entry.step === 'completed')
      proof = entry.proof as CompletionProof | undefined
  } else {
    // A crash between the journal's `reserving` and `reserved` left the server's answer unread:
    // asking again for a job this wallet holds gives its reservation back.
    await record('reserving')
    try {
      reservation = await steps.reserve(jobId, options.signal)
    } catch (error) {
      // Refused for sure (taken, not found, ...): nothing is held, nothing to resume.
      if (
        error instanceof ApiError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429
      )
        await journal?.remove(steps.wallet, jobId)
      throw error
    }
    await record('reserved', reservation)
  }

  if (proof === undefined) {
    const signal = options.signal
      ? AbortSignal.any([reservation.signal, options.signal])
      : reservation.signal
    const work = await raceDeadline(
      Promise.resolve().then(() => worker(reservation, { signal })),
      signal,
    )
    if (options.signal?.aborted) throw options.signal.reason
    if (work.kind === 'deadline') return finish({ outcome: 'expired', reservation, resumed })
    if (work.kind === 'threw')
      return finish({ outcome: 'abandoned', reservation, error: work.error, resumed })
    if (work.proof === null || work.proof === undefined)
      return finish({ outcome: 'abandoned', reservation, resumed })
    proof = work.proof
  }

  await record('completing', reservation, proof)
  let completion: Completion
  try {
    completion = await steps.complete(reservation, proof, options.signal)
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    // The deadline passed with nothing submitted, by our clock or by the server's word.
    if (error instanceof ReservationDeadlineError || error instanceof ReservationExpiredError)
      return finish({ outcome: 'expired', reservation, resumed, error })
    if (error instanceof CompletionUnknownError)
      return { outcome: 'unknown', reservation, error, resumed }
    if (error instanceof CompletionAlreadySentError && error.submission !== undefined)
      completion = adoptedCompletion(reservation, error.submission, undefined)
    else return finish({ outcome: 'abandoned', reservation, error, resumed })
  }
  await record('completed', reservation, proof)
  return finish(await verdict(steps, reservation, completion, options, resumed))
}

/** Follows a submission to its final verification status, or `unknown` when it cannot. */
async function verdict(
  steps: RunSteps,
  reservation: Reservation,
  completion: Completion,
  options: RunOptions,
  resumed: boolean,
): Promise<RunResult> {
  try {
    const status = await steps.waitForVerification(reservation.job_id, {
      ...options.verification,
      signal: options.signal,
    })
    const outcome = status.submission.verification.status
    return { outcome, reservation, completion, status, resumed }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    return { outcome: 'unknown', reservation, completion, error, resumed }
  }
}

/** A plain JSON copy, as the journal keeps it (non-enumerable fields such as the token dropped). */
function savedForm(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>
}

type Work =
  | { kind: 'done'; proof: CompletionProof | null | undefined }
  | { kind: 'threw'; error: unknown }
  | { kind: 'deadline' }

/** The worker's result, or `deadline` as soon as the signal aborts, whichever comes first. */
function raceDeadline(
  work: Promise<CompletionProof | null | undefined>,
  signal: AbortSignal,
): Promise<Work> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve({ kind: 'deadline' })
    if (signal.aborted) {
      // The worker was started with an aborted signal: how it ends is of no interest, but a
      // rejection left unhandled would end the process.
      work.catch(() => {})
      return onAbort()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (proof) => resolve(signal.aborted ? { kind: 'deadline' } : { kind: 'done', proof }),
      (error: unknown) => resolve(signal.aborted ? { kind: 'deadline' } : { kind: 'threw', error }),
    )
    work.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => {})
  })
}
