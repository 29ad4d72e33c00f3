import type { RetryPolicy, RetryPolicyOptions } from '@agentpmt-kit/error-recovery'
import {
  apiPaths,
  jobActions,
  type MessageSigner,
  type WorkflowDefinition,
} from '@agentpmt-kit/message-builder'
import {
  type ListAnswer,
  type ListedJob,
  readListAnswer,
  readReserveAnswer,
  readStatusAnswer,
  type StatusAnswer,
  type WorkflowAnswer,
} from './answers.js'
import { checkJobId, checkOptions, InvalidArgumentError } from './arguments.js'
import { type Clock, monotonicNow } from './Clock.js'
import { type Completion, createCompleter } from './completion.js'
import { resolveTransport, retryFor } from './exchange.js'
import { type ClientContext, logNotes } from './internal/context.js'
import { iterateJobs, type JobsOptions } from './jobsIterator.js'
import type { JobsClientLogger } from './Logger.js'
import type { CompletionProof } from './proofChecks.js'
import { createReservation, type Reservation } from './Reservation.js'
import { type JobWorker, type RunOptions, type RunResult, runJob } from './run.js'
import { createServerClock, type ServerClockReading } from './ServerClock.js'
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
  /**
   * The deadline given to a reservation whose answer has no readable expiry, counted from the
   * reserve request (one `guess` event is logged). Default 600 000 ms (10 minutes): shorter than
   * the 30 minutes an older public guide gives, so the client stops before the server does.
   */
  defaultReservationMs?: number | undefined
  /** Largest answer the client reads; a larger one is a `ResponseTooLargeError`. Default 10 MB. */
  maxResponseBytes?: number | undefined
  /**
   * Values no request may carry: the private key, when the caller holds it. A request whose
   * path or body holds one (a hex one in any letter case, with or without `0x`) is refused
   * before it is sent, with a `SecretInRequestError` that names the field. None by default.
   */
  secrets?: readonly string[] | undefined
}

/**
 * A page of the job list: its jobs, `total` when the server says, and `raw`, the answer as
 * received (not enumerable).
 *
 * @example
 * ```ts
 * import type { JobListPage } from '@agentpmt-kit/jobs-client'
 *
 * declare const page: JobListPage
 * for (const job of page.jobs) console.log(job.job_id, job.title ?? '')
 * ```
 */
export type JobListPage = ListAnswer & { readonly raw: unknown }

/**
 * A job's status as this wallet sees it: its submission (`undefined` when none) and the guessed
 * fields when present; `raw` is the answer as received (not enumerable).
 *
 * @example
 * ```ts
 * import type { JobStatus } from '@agentpmt-kit/jobs-client'
 *
 * declare const status: JobStatus
 * status.submission?.verification.status
 * ```
 */
export type JobStatus = StatusAnswer & { readonly raw: unknown }

/**
 * Options of one call: an abort signal, and the client's `timeoutMs` and `retry` for this call
 * only.
 *
 * @example
 * ```ts
 * import type { CallOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: CallOptions = { signal: AbortSignal.timeout(120_000), timeoutMs: 60_000, retry: { maxAttempts: 6 } }
 * ```
 */
export type CallOptions = {
  signal?: AbortSignal | undefined
  /** Time allowed for each HTTP attempt of this call. Default: the client's `timeoutMs`. */
  timeoutMs?: number | undefined
  /** The retry policy (or its options) of this call. Default: the client's `retry`. */
  retry?: RetryPolicy | RetryPolicyOptions | undefined
}

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
  /**
   * The server's clock as measured so far from the `Date` headers of its answers: its offset from
   * this machine's clock and the uncertainty. Deadlines are read on it, whatever this machine's
   * clock says.
   */
  serverClock(): ServerClockReading
  /** Opens a new session now. Not needed: every call opens or renews one as needed. */
  createSession(options?: CallOptions): Promise<Session>
  /** One page of open jobs. Defaults: `limit` 50, `skip` 0. */
  listJobs(
    page?: { limit?: number | undefined; skip?: number | undefined } & CallOptions,
  ): Promise<JobListPage>
  /** Every open job, each once, however the list moves while it is read. */
  jobs(options?: JobsOptions): AsyncIterableIterator<ListedJob>
  /**
   * Reserves a job for this wallet; throws error-recovery's `JobAlreadyReservedError` when taken
   * (a 409, whatever the server's `error_code`), and an `InvalidResponseError` with
   * `jobMayBeHeld` when the answer cannot be read.
   */
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
   * Checks the proof locally, then submits it; the server's record decides its fate. After a
   * failure whose effect is not certain (a lost answer, a 5xx, a conflict), the client reads the
   * job's status: it adopts a submission the server holds for the reservation (`adopted`), and
   * otherwise submits again with a fresh request id while the safety deadline allows. Throws
   * {@link ReservationDeadlineError} when the deadline passed with nothing submitted,
   * `CompletionUnknownError` when the record could not be read before it, and
   * `CompletionAlreadySentError` when called again for a reservation the server holds a
   * submission for (or that another call is completing).
   */
  complete(
    reservation: Reservation,
    proof: CompletionProof,
    options?: CallOptions,
  ): Promise<Completion>
  /** This wallet's view of a job: its submission, and its reservation when the server says. */
  status(jobId: string, options?: CallOptions): Promise<JobStatus>
  /** Polls the status until verification is `verified`, `rejected` or `needs_human`. */
  waitForVerification(jobId: string, options?: WaitForVerificationOptions): Promise<VerifiedStatus>
  /** Creates the workflow of a workflow job, with the reservation's token. */
  createWorkflow(
    reservation: Reservation,
    workflow: WorkflowDefinition,
    options?: CallOptions,
  ): Promise<WorkflowAnswer>
  /** Publishes the workflow of a workflow job, with the reservation's token. */
  publishWorkflow(
    reservation: Reservation,
    workflowId: string,
    options?: CallOptions,
  ): Promise<WorkflowAnswer>
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

  /** The context of one call: the client's, with the call's timeout and retry policy. */
  const contextFor = (call: CallOptions): ClientContext =>
    call.timeoutMs === undefined && call.retry === undefined
      ? context
      : {
          ...context,
          timeoutMs: call.timeoutMs ?? context.timeoutMs,
          retry: call.retry === undefined ? context.retry : retryFor(call.retry, context.clock),
        }

  const status = async (jobId: string, call: CallOptions = {}): Promise<JobStatus> => {
    checkJobId(jobId)
    const path = apiPaths.status(jobId)
    const { body } = await signedRequest(contextFor(call), sessions, {
      action: jobActions.status,
      product: jobId,
      path,
      payload: {},
      signal: call.signal,
      kind: 'repeatable',
    })
    const { value, notes } = readStatusAnswer(body, { jobId, path })
    logNotes(context, path, notes)
    return withRaw(value, body)
  }

  /**
   * A reservation from a reserve answer (of `jobId`, when given) to a request sent at `sentAt`
   * (local monotonic): its deadline, on the server's clock, is turned into local monotonic time
   * once, here.
   */
  const reservationOf = (
    path: string,
    body: unknown,
    sentAt: number,
    jobId?: string,
  ): Reservation => {
    const { serverClock } = context
    const serverSentAt = serverClock.toServer(sentAt)
    const { value, notes } = readReserveAnswer(body, { sentAt: serverSentAt, jobId, path })
    logNotes(context, path, notes)
    let serverDeadline = value.expiresAtMs
    if (serverDeadline === undefined) {
      serverDeadline = serverSentAt + context.defaultReservationMs
      context.log({
        type: 'guess',
        path,
        field: 'expires_at',
        guess: `no readable expiry: a default deadline of ${context.defaultReservationMs} ms from the request`,
      })
    }
    if (!serverClock.reading().measured)
      context.log({
        type: 'guess',
        path,
        field: 'Date',
        guess: "no readable Date header yet: the server's clock is taken to be this machine's",
      })
    return createReservation(value, {
      clock: context.clock,
      safetyMarginMs: context.safetyMarginMs,
      deadline: serverClock.toLocal(serverDeadline),
      serverDeadline,
      raw: body,
    })
  }

  const reserve = async (jobId: string, call: CallOptions = {}): Promise<Reservation> => {
    checkJobId(jobId)
    const path = apiPaths.reserve(jobId)
    const { body, sentAt } = await signedRequest(contextFor(call), sessions, {
      action: jobActions.reserve,
      product: jobId,
      path,
      payload: {},
      signal: call.signal,
      kind: 'repeatable',
    })
    return reservationOf(path, body, sentAt, jobId)
  }

  const complete = createCompleter(sessions, (jobId, signal) => status(jobId, { signal }))

  const listJobs: JobsClient['listJobs'] = async (page = {}) => {
    const limit = page.limit ?? 50
    const skip = page.skip ?? 0
    const path = apiPaths.list
    const { body } = await signedRequest(contextFor(page), sessions, {
      action: jobActions.list,
      path,
      payload: { limit, skip },
      signal: page.signal,
      kind: 'repeatable',
    })
    const { value, notes } = readListAnswer(body, { path })
    logNotes(context, path, notes)
    return withRaw(value, body)
  }

  const waitForVerification: JobsClient['waitForVerification'] = (jobId, waitOptions = {}) =>
    pollVerification(jobId, (signal) => status(jobId, { signal }), context.clock, waitOptions)

  const restoreReservation = (saved: unknown): Reservation => {
    try {
      return reservationOf('saved reservation', saved, monotonicNow(context.clock))
    } catch (error) {
      throw new InvalidArgumentError({
        argument: 'saved',
        reason: `must be the JSON of a reservation from reserve() (${(error as Error).message})`,
      })
    }
  }
  const address = context.signer.address.toLowerCase()

  return {
    address,
    serverClock: () => context.serverClock.reading(),
    createSession: (callOptions = {}) => sessions.renew(undefined, callOptions.signal),
    listJobs,
    jobs: (jobsOptions = {}) =>
      iterateJobs((page) => listJobs({ ...page, signal: jobsOptions.signal }), jobsOptions),
    reserve: (jobId, callOptions = {}) => reserve(jobId, callOptions),
    restoreReservation,
    complete: (reservation, proof, callOptions = {}) =>
      complete(contextFor(callOptions), reservation, proof, callOptions.signal),
    status: (jobId, callOptions = {}) => status(jobId, callOptions),
    waitForVerification,
    createWorkflow: (reservation, workflow, callOptions = {}) =>
      createWorkflow(contextFor(callOptions), reservation, workflow, callOptions.signal),
    publishWorkflow: (reservation, workflowId, callOptions = {}) =>
      publishWorkflow(contextFor(callOptions), reservation, workflowId, callOptions.signal),
    run: (jobId, worker, runOptions = {}) =>
      runJob(
        {
          wallet: address,
          reserve: (jobId, signal) => reserve(jobId, { signal }),
          restore: restoreReservation,
          complete: (reservation, proof, signal) => complete(context, reservation, proof, signal),
          status: (jobId, signal) => status(jobId, { signal }),
          waitForVerification,
        },
        jobId,
        worker,
        runOptions,
      ),
  }
}

/** `value` with the answer it was read from as a non-enumerable `raw`. */
function withRaw<value extends object>(
  value: value,
  raw: unknown,
): value & { readonly raw: unknown } {
  Object.defineProperty(value, 'raw', { value: raw, enumerable: false })
  return value as value & { readonly raw: unknown }
}

function resolveContext(options: JobsClientOptions): ClientContext {
  const transport = resolveTransport(options)
  return {
    ...transport,
    signer: options.signer,
    serverClock: createServerClock(transport.clock),
    workflowToken: { header: 'X-Job-Workflow-Token' },
    requestId: options.requestId ?? (() => crypto.randomUUID()),
    safetyMarginMs: options.safetyMarginMs ?? 60_000,
    defaultReservationMs: options.defaultReservationMs ?? 600_000,
  }
}
