import { BaseError } from '@agentpmt-kit/canonical-json'
import {
  type RetryPolicy,
  type RetryPolicyOptions,
  retryPolicy,
} from '@agentpmt-kit/error-recovery'
import {
  apiPaths,
  type CompleteResponse,
  type JobListItem,
  type JobListResponse,
  type JobStatusResponse,
  jobActions,
  type MessageSigner,
  type ReserveResponse,
  type WorkflowDefinition,
  type WorkflowResponse,
} from '@agentpmt-kit/message-builder'
import { checkJobId, checkOptions, checkReservation, InvalidArgumentError } from './arguments.js'
import { type Clock, systemClock } from './Clock.js'
import { type ClientContext, safeLogger } from './internal/context.js'
import { sleep } from './internal/sleep.js'
import { expectFields, InvalidResponseError } from './internal/validate.js'
import { iterateJobs, type JobsOptions } from './jobsIterator.js'
import type { JobsClientLogger } from './Logger.js'
import { type CompletionProof, checkProof } from './proofChecks.js'
import {
  createReservation,
  pastDeadline,
  type Reservation,
  ReservationDeadlineError,
  releaseReservation,
} from './Reservation.js'
import { type JobWorker, type RunOptions, type RunResult, runJob } from './run.js'
import { createSessionManager, type Session } from './session.js'
import { signedRequest } from './signedRequest.js'
import {
  pollVerification,
  type VerifiedStatus,
  type WaitForVerificationOptions,
} from './waitForVerification.js'
import { createWorkflow, publishWorkflow } from './workflow.js'

/**
 * Options of {@link createJobsClient}; only `signer` is required.
 *
 * @example
 * ```ts
 * import type { JobsClientOptions } from '@agentpmt-kit/jobs-client'
 * import type { MessageSigner } from '@agentpmt-kit/message-builder'
 *
 * declare const signer: MessageSigner
 * const options: JobsClientOptions = { signer, safetyMarginMs: 120_000 }
 * ```
 */
export type JobsClientOptions = {
  /** The wallet: its address and EIP-191 `personal_sign` (`@agentpmt-kit/signer-viem`, ...). */
  signer: MessageSigner
  /** Default `https://www.agentpmt.com`; the sandbox's `url` in tests. */
  baseUrl?: string | undefined
  /** Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined
  /** A policy from error-recovery's `retryPolicy`, or its options. Default `retryPolicy()`. */
  retry?: RetryPolicy | RetryPolicyOptions | undefined
  /** Receives redacted events: requests, responses, retries, recoveries. */
  logger?: JobsClientLogger | undefined
  /** Default the system clock; tests pass a fake one. */
  clock?: Clock | undefined
  /** Makes each `request_id`. Default `crypto.randomUUID`. */
  requestId?: (() => string) | undefined
  /** How long before `expires_at` a reservation's signal aborts and `complete` refuses. Default 60 000 ms. */
  safetyMarginMs?: number | undefined
  /** Time allowed for each HTTP attempt. Default 30 000 ms. */
  timeoutMs?: number | undefined
}

/**
 * An abort signal for one call.
 *
 * @example
 * ```ts
 * import type { CallOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: CallOptions = { signal: AbortSignal.timeout(30_000) }
 * ```
 */
export type CallOptions = { signal?: AbortSignal | undefined }

/**
 * The AgentPMT jobs client made by {@link createJobsClient}.
 *
 * @example
 * ```ts
 * import type { JobsClient } from '@agentpmt-kit/jobs-client'
 *
 * declare const client: JobsClient
 * for await (const job of client.jobs()) console.log(job.job_id, job.title)
 * ```
 */
export type JobsClient = {
  /** The wallet address, lower-case. */
  readonly address: string
  /** Opens a new session now. Not needed: every call opens or renews one as needed. */
  createSession(options?: CallOptions): Promise<Session>
  /** One page of open jobs. Defaults: `limit` 50, `skip` 0. */
  listJobs(
    page?: { limit?: number | undefined; skip?: number | undefined } & CallOptions,
  ): Promise<JobListResponse>
  /** Every open job, each once, however the list moves while it is read. */
  jobs(options?: JobsOptions): AsyncIterableIterator<JobListItem>
  /** Reserves a job for this wallet; throws error-recovery's `JobAlreadyReservedError` when taken. */
  reserve(jobId: string, options?: CallOptions): Promise<Reservation>
  /**
   * A reservation again from the reserve answer saved earlier (its wire fields, e.g. written to a
   * file by another process), so that it can be completed: same deadline and signal as the
   * reservation `reserve` returned. The workflow token is not part of the saved JSON, so a
   * restored workflow reservation can be completed but not used to create or publish a workflow.
   * Throws {@link InvalidArgumentError} for anything that is not a saved reservation.
   */
  restoreReservation(saved: unknown): Reservation
  /**
   * Checks the proof locally, then submits it, once per reservation. Refuses after the safety
   * deadline ({@link ReservationDeadlineError}) and a second completion of one reservation.
   */
  complete(
    reservation: Reservation,
    proof: CompletionProof,
    options?: CallOptions,
  ): Promise<CompleteResponse>
  /** This wallet's view of a job: its reservation and submission. */
  status(jobId: string, options?: CallOptions): Promise<JobStatusResponse>
  /** Polls the status until verification is `verified`, `rejected` or `needs_human`. */
  waitForVerification(jobId: string, options?: WaitForVerificationOptions): Promise<VerifiedStatus>
  /** Creates the workflow of a workflow job, with the reservation's token. */
  createWorkflow(
    reservation: Reservation,
    workflow: WorkflowDefinition,
    options?: CallOptions,
  ): Promise<WorkflowResponse>
  /** Publishes the workflow of a workflow job, with the reservation's token. */
  publishWorkflow(
    reservation: Reservation,
    workflowId: string,
    options?: CallOptions,
  ): Promise<WorkflowResponse>
  /** Reserve, work, complete, wait for verification: see {@link RunResult}. */
  run(jobId: string, worker: JobWorker, options?: RunOptions): Promise<RunResult>
}

/**
 * Makes a client for the AgentPMT external jobs API. Sessions are opened lazily and renewed;
 * every signed request gets a fresh request id and hashes exactly the body it sends; retries and
 * recoveries follow the protocol (see the "Run the job loop" guide).
 *
 * @example
 * ```ts
 * import { createJobsClient } from '@agentpmt-kit/jobs-client'
 * import { createViemSigner } from '@agentpmt-kit/signer-viem'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const client = createJobsClient({
 *   signer: createViemSigner(privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`)),
 * })
 * const { jobs } = await client.listJobs({ limit: 10 })
 * ```
 */
export function createJobsClient(options: JobsClientOptions): JobsClient {
  checkOptions(options)
  const context = resolveContext(options)
  const sessions = createSessionManager(context)
  // By id: reserving a held job again, or restoring a saved reservation, gives another object.
  const completed = new Set<string>()

  /** A signed call of a job endpoint whose payload is `{}` (reserve, status): path and answer. */
  const bodylessJobCall = async (
    action: typeof jobActions.reserve | typeof jobActions.status,
    pathOf: (jobId: string) => string,
    jobId: string,
    signal: AbortSignal | undefined,
  ): Promise<{ path: string; body: unknown }> => {
    checkJobId(jobId)
    const path = pathOf(jobId)
    const body = await signedRequest(context, sessions, {
      action,
      product: jobId,
      path,
      payload: {},
      signal,
    })
    return { path, body }
  }

  const status = async (jobId: string, signal?: AbortSignal): Promise<JobStatusResponse> => {
    const { path, body } = await bodylessJobCall(jobActions.status, apiPaths.status, jobId, signal)
    return expectFields<JobStatusResponse>(path, body, { job_id: 'string', status: 'string' })
  }

  /** A reservation from a reserve answer (of `jobId`, when given), checked field by field. */
  const reservationOf = (path: string, body: unknown, jobId?: string): Reservation => {
    const response = expectFields<ReserveResponse>(path, body, {
      reservation_id: 'string',
      job_id: 'string',
      expires_at: 'date',
      instructions: 'string',
      job: 'object',
    })
    if (jobId !== undefined && response.job_id !== jobId)
      throw new InvalidResponseError({ path, reason: 'field "job_id" is not the job reserved' })
    const socialShare = response.job.social_share
    if (socialShare !== undefined) expectFields(path, socialShare, { tracking_links: 'array' })
    return createReservation(response, context)
  }

  const reserve = async (jobId: string, signal?: AbortSignal): Promise<Reservation> => {
    const { path, body } = await bodylessJobCall(
      jobActions.reserve,
      apiPaths.reserve,
      jobId,
      signal,
    )
    return reservationOf(path, body, jobId)
  }

  const complete = async (
    reservation: Reservation,
    proof: CompletionProof,
    signal?: AbortSignal,
  ): Promise<CompleteResponse> => {
    checkReservation(reservation)
    const reservationId = reservation.reservation_id
    if (completed.has(reservationId)) throw new CompletionAlreadySentError({ reservationId })
    const checkDeadline = (): void => {
      if (pastDeadline(reservation, context.clock, context.safetyMarginMs))
        throw new ReservationDeadlineError({ reservationId })
    }
    checkDeadline()
    const payload = checkProof(reservation, proof)
    completed.add(reservationId)
    const jobId = reservation.job_id
    const path = apiPaths.complete(jobId)
    const body = await signedRequest<CompleteResponse>(context, sessions, {
      action: jobActions.complete,
      product: jobId,
      path,
      payload,
      signal,
      // A retry after Retry-After or a new session may come after the deadline: not sent then.
      beforeSigning: checkDeadline,
      settle: async (settleSignal) => {
        const current = await status(jobId, settleSignal)
        const submission = current.submission
        return submission?.reservation_id === reservationId
          ? { job_id: jobId, status: 'submitted', submission }
          : undefined
      },
    })
    releaseReservation(reservation)
    return expectFields<CompleteResponse>(path, body, { job_id: 'string', submission: 'object' })
  }

  const listJobs: JobsClient['listJobs'] = async (page = {}) => {
    const limit = page.limit ?? 50
    const skip = page.skip ?? 0
    const path = apiPaths.list
    const body = await signedRequest(context, sessions, {
      action: jobActions.list,
      path,
      payload: { limit, skip },
      signal: page.signal,
    })
    return expectFields<JobListResponse>(path, body, { jobs: 'array', total: 'number' })
  }

  const waitForVerification: JobsClient['waitForVerification'] = (jobId, waitOptions = {}) =>
    pollVerification(jobId, (signal) => status(jobId, signal), context.clock, waitOptions)

  return {
    address: context.signer.address.toLowerCase(),
    createSession: (callOptions = {}) => sessions.renew(undefined, callOptions.signal),
    listJobs,
    jobs: (jobsOptions = {}) =>
      iterateJobs((page) => listJobs({ ...page, signal: jobsOptions.signal }), jobsOptions),
    reserve: (jobId, callOptions = {}) => reserve(jobId, callOptions.signal),
    restoreReservation: (saved) => {
      try {
        return reservationOf('saved reservation', saved)
      } catch (error) {
        throw new InvalidArgumentError({
          argument: 'saved',
          reason: `must be the JSON of a reservation from reserve() (${(error as Error).message})`,
        })
      }
    },
    complete: (reservation, proof, callOptions = {}) =>
      complete(reservation, proof, callOptions?.signal),
    status: (jobId, callOptions = {}) => status(jobId, callOptions.signal),
    waitForVerification,
    createWorkflow: (reservation, workflow, callOptions = {}) =>
      createWorkflow(context, reservation, workflow, callOptions.signal),
    publishWorkflow: (reservation, workflowId, callOptions = {}) =>
      publishWorkflow(context, reservation, workflowId, callOptions.signal),
    run: (jobId, worker, runOptions = {}) =>
      runJob({ reserve, complete, waitForVerification }, jobId, worker, runOptions),
  }
}

function resolveContext(options: JobsClientOptions): ClientContext {
  const clock = options.clock ?? systemClock
  const retry =
    options.retry !== undefined && 'delayFor' in options.retry
      ? options.retry
      : retryPolicy({ sleep: (ms, signal) => sleep(clock, ms, signal), ...options.retry })
  return {
    signer: options.signer,
    baseUrl: (options.baseUrl ?? 'https://www.agentpmt.com').replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    retry,
    clock,
    requestId: options.requestId ?? (() => crypto.randomUUID()),
    safetyMarginMs: options.safetyMarginMs ?? 60_000,
    timeoutMs: options.timeoutMs ?? 30_000,
    log: safeLogger(options.logger),
  }
}

/**
 * `complete` was already called for this reservation: a completion is sent once per reservation,
 * so that it can never be submitted twice. Read `client.status(jobId)` to see what happened.
 *
 * @example
 * ```ts
 * import { CompletionAlreadySentError } from '@agentpmt-kit/jobs-client'
 *
 * new CompletionAlreadySentError({ reservationId: 'res_1' }).name // 'JobsClient.CompletionAlreadySentError'
 * ```
 */
export class CompletionAlreadySentError extends BaseError {
  override name = 'JobsClient.CompletionAlreadySentError'
  readonly reservationId: string
  constructor({ reservationId }: { reservationId: string }) {
    super('A completion was already sent for this reservation.', {
      details: `Reservation ${reservationId}: complete() is called once; read status() to see its fate.`,
      docsPath: '/documents/Run_the_job_loop.html#errors',
    })
    this.reservationId = reservationId
  }
}
