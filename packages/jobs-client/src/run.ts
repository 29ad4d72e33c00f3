import type { CompleteResponse } from '@agentpmt-kit/message-builder'
import type { CompletionProof } from './proofChecks.js'
import { ProofCheckError } from './proofChecks.js'
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
 * How a run ended:
 * - `verified`, `rejected`, `needs_human`: the proof was submitted and verification ended so;
 * - `expired`: the worker was still busy at the safety deadline; it was aborted and nothing was
 *   submitted (the reservation lapses and the job opens again);
 * - `abandoned`: the worker returned nothing, threw, or returned a proof that failed the local
 *   checks; nothing was submitted.
 *
 * @example
 * ```ts
 * import type { RunOutcome } from '@agentpmt-kit/jobs-client'
 *
 * const outcome: RunOutcome = 'verified'
 * ```
 */
export type RunOutcome = 'verified' | 'rejected' | 'needs_human' | 'expired' | 'abandoned'

/**
 * What `client.run` returns: the outcome, the reservation, and when submitted the completion
 * answer and the final status; `error` is what the worker threw or the proof check found.
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
  completion?: CompleteResponse | undefined
  status?: VerifiedStatus | undefined
  error?: unknown
}

/**
 * Options of `client.run`.
 *
 * @example
 * ```ts
 * import type { RunOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: RunOptions = { verification: { intervalMs: 5_000 } }
 * ```
 */
export type RunOptions = {
  /** Aborts the worker and the requests; the run rejects with the signal's reason. */
  signal?: AbortSignal | undefined
  /** Options of the verification wait (its `signal` is the run's). */
  verification?: Omit<WaitForVerificationOptions, 'signal'> | undefined
}

/** The client calls a run needs. */
export type RunSteps = {
  reserve(jobId: string, signal: AbortSignal | undefined): Promise<Reservation>
  complete(
    reservation: Reservation,
    proof: CompletionProof,
    signal: AbortSignal | undefined,
  ): Promise<CompleteResponse>
  waitForVerification(jobId: string, options: WaitForVerificationOptions): Promise<VerifiedStatus>
}

/**
 * Reserve, work until the safety deadline at most, complete, wait for verification.
 *
 * @internal
 */
export async function runJob(
  steps: RunSteps,
  jobId: string,
  worker: JobWorker,
  options: RunOptions = {},
): Promise<RunResult> {
  const reservation = await steps.reserve(jobId, options.signal)
  const signal = options.signal
    ? AbortSignal.any([reservation.signal, options.signal])
    : reservation.signal
  const work = await raceDeadline(
    Promise.resolve().then(() => worker(reservation, { signal })),
    signal,
  )
  if (options.signal?.aborted) throw options.signal.reason
  if (work.kind === 'deadline') return { outcome: 'expired', reservation }
  if (work.kind === 'threw') return { outcome: 'abandoned', reservation, error: work.error }
  if (work.proof === null || work.proof === undefined) return { outcome: 'abandoned', reservation }

  let completion: CompleteResponse
  try {
    completion = await steps.complete(reservation, work.proof, options.signal)
  } catch (error) {
    if (error instanceof ReservationDeadlineError) return { outcome: 'expired', reservation }
    if (error instanceof ProofCheckError) return { outcome: 'abandoned', reservation, error }
    throw error
  }
  const status = await steps.waitForVerification(reservation.job_id, {
    ...options.verification,
    signal: options.signal,
  })
  return { outcome: status.submission.verification.status, reservation, completion, status }
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
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (proof) => resolve(signal.aborted ? { kind: 'deadline' } : { kind: 'done', proof }),
      (error: unknown) => resolve(signal.aborted ? { kind: 'deadline' } : { kind: 'threw', error }),
    )
    work.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => {})
  })
}
