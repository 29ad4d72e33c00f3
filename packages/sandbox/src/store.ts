import {
  type CompleteResponse,
  type JobListItem,
  type JobListResponse,
  type JobState,
  type JobStatusResponse,
  type ReservationState,
  type ReserveResponse,
  type SessionResponse,
  type Submission,
  socialPostIssues,
  type WorkflowDefinition,
  type WorkflowResponse,
} from '@agentpmt-kit/message-builder'
import type { SandboxClock } from './clock.js'
import { type ErrorReply, errorReply } from './errorBody.js'
import { createTimeQueue } from './internal/timeQueue.js'
import type { SandboxRandom } from './random.js'
import type { SandboxJob, VerificationOutcome } from './seedJobs.js'
import { verificationAt } from './verificationTimeline.js'
import type { SessionRecord } from './verifySignature.js'

/**
 * Settings of a {@link SandboxStore}.
 *
 * @example
 * ```ts
 * import type { StoreSettings } from '@agentpmt-kit/sandbox'
 *
 * declare const settings: StoreSettings
 * settings.reservationTtlMs // 1_800_000 by default
 * ```
 */
export type StoreSettings = {
  jobs: readonly SandboxJob[]
  clock: SandboxClock
  random: SandboxRandom
  sessionTtlMs: number
  reservationTtlMs: number
  verificationDelayMs: number
  verificationOutcome: VerificationOutcome
  startingCredits: number
  /**
   * How long an expired session is still recognised (answered `..._NONCE_EXPIRED` rather than
   * `..._NONCE_INVALID`) before it and its spent request ids are dropped; 5 minutes by default.
   * A request id can only be replayed within its session, so once the session is gone its spent
   * ids protect nothing.
   */
  sessionGraceMs?: number | undefined
  /** Sessions kept at once (live or within their grace); 200,000 by default. Beyond: 503. */
  maxSessions?: number | undefined
  /** Spent request ids kept at once, over all sessions; 1,000,000 by default. Beyond: 503. */
  maxSpentRequestIds?: number | undefined
}

/**
 * A reservation as the store keeps it; `state` is `active` until completed, `expired` once its
 * time has passed without a completion.
 *
 * @example
 * ```ts
 * import type { ReservationRecord } from '@agentpmt-kit/sandbox'
 *
 * declare const reservation: ReservationRecord
 * reservation.trackedUrl // social-share jobs only
 * ```
 */
export type ReservationRecord = {
  reservationId: string
  jobId: string
  wallet: string
  createdAt: number
  expiresAt: number
  state: ReservationState
  trackedUrl?: string | undefined
  workflowToken?: string | undefined
}

/**
 * A submission as the store keeps it, with the completion body that was sent.
 *
 * @example
 * ```ts
 * import type { SubmissionRecord } from '@agentpmt-kit/sandbox'
 *
 * declare const submission: SubmissionRecord
 * submission.outcome // how the verifier will end it
 * ```
 */
export type SubmissionRecord = {
  submissionId: string
  reservationId: string
  jobId: string
  wallet: string
  submittedAt: number
  outcome: VerificationOutcome
  completion: Readonly<Record<string, unknown>>
  /** Whether the final outcome was applied (credits granted, job closed or reopened). */
  settled: boolean
}

/**
 * A workflow created through a workflow job's token.
 *
 * @example
 * ```ts
 * import type { WorkflowRecord } from '@agentpmt-kit/sandbox'
 *
 * declare const workflow: WorkflowRecord
 * workflow.status // 'draft' | 'published'
 * ```
 */
export type WorkflowRecord = {
  workflowId: string
  jobId: string
  reservationId: string
  status: 'draft' | 'published'
  definition: WorkflowDefinition
}

type JobRecord = {
  job: SandboxJob
  /** The reservation that holds the job (active or submitted), if any. */
  reservationId: string | undefined
  /** The submission under verification or verified, if any. */
  submissionId: string | undefined
  completed: boolean
}

/**
 * The sandbox's state and every rule that changes it. All methods are synchronous, so that a
 * check and the change it allows happen in one turn of the event loop: two requests can never
 * both win a reservation or a completion. Methods that can be refused return the error answer.
 * Every method first applies what the clock has made true (expired reservations and sessions,
 * finished verifications); the store is built so that no method can skip that step. Lookups go
 * through indexes (job id, reservation id, job and wallet), so a call costs the same with 10 or
 * 100,000 jobs; only `listJobs` and `snapshot` walk the jobs.
 *
 * @example
 * ```ts
 * import type { SandboxStore } from '@agentpmt-kit/sandbox'
 *
 * declare const store: SandboxStore
 * const result = store.reserve('0x70997970c51812dc3a010c7d01b50e0d17dc79c8', 'job_share_x')
 * if (result.ok) result.value.reservation_id
 * ```
 */
export type SandboxStore = {
  /** Opens a session, or refuses with 503 when `maxSessions` are held. */
  createSession(wallet: string): StoreResult<SessionResponse>
  session(nonce: string): SessionRecord | undefined
  /**
   * Marks a request id spent; `false` when it already was (a replay that lost the race), the 503
   * answer when `maxSpentRequestIds` are held.
   */
  spendRequest(nonce: string, requestId: string): boolean | ErrorReply
  listJobs(wallet: string, page: { limit: number; skip: number }): JobListResponse
  reserve(wallet: string, jobId: string): StoreResult<ReserveResponse>
  complete(
    wallet: string,
    jobId: string,
    completion: Readonly<Record<string, unknown>>,
  ): StoreResult<CompleteResponse>
  status(wallet: string, jobId: string): StoreResult<JobStatusResponse>
  createWorkflow(
    token: string,
    jobId: string,
    definition: WorkflowDefinition,
  ): StoreResult<WorkflowResponse>
  publishWorkflow(token: string, jobId: string, workflowId: string): StoreResult<WorkflowResponse>
  balance(wallet: string): number
  /** Takes `credits` from the wallet's balance, or refuses with 402. */
  charge(wallet: string, credits: number): StoreResult<number>
  /** Sets how later submissions end: of every job, or of `jobId` only. */
  setVerificationOutcome(outcome: VerificationOutcome, jobId?: string): void
  snapshot(): StoreSnapshot
}

/**
 * What a refusable store method returns: its value, or the error answer to send.
 *
 * @example
 * ```ts
 * import type { StoreResult } from '@agentpmt-kit/sandbox'
 *
 * declare const result: StoreResult<number>
 * if (!result.ok) result.error.status // e.g. 402
 * ```
 */
export type StoreResult<value> = { ok: true; value: value } | { ok: false; error: ErrorReply }

/**
 * Makes a {@link SandboxStore}.
 *
 * @example
 * ```ts
 * import { createClock, createRandom, createStore, defaultJobs } from '@agentpmt-kit/sandbox'
 *
 * const store = createStore({
 *   jobs: defaultJobs,
 *   clock: createClock(),
 *   random: createRandom(1),
 *   sessionTtlMs: 900_000,
 *   reservationTtlMs: 1_800_000,
 *   verificationDelayMs: 300,
 *   verificationOutcome: 'verified',
 *   startingCredits: 100,
 * })
 * const session = store.createSession('0x70997970c51812dc3a010c7d01b50e0d17dc79c8')
 * if (session.ok) session.value.session_nonce
 * ```
 */
export function createStore(settings: StoreSettings): SandboxStore {
  const { clock, random } = settings
  const sessionGraceMs = settings.sessionGraceMs ?? 5 * 60_000
  const maxSessions = settings.maxSessions ?? 200_000
  const maxSpentRequestIds = settings.maxSpentRequestIds ?? 1_000_000
  const jobs = new Map<string, JobRecord>()
  for (const job of settings.jobs) {
    if (jobs.has(job.jobId)) throw new RangeError(`Duplicate sandbox job id: ${job.jobId}`)
    jobs.set(job.jobId, {
      job: { ...job },
      reservationId: undefined,
      submissionId: undefined,
      completed: false,
    })
  }
  // In order of creation, which is the order of expiry (the TTL is fixed and the clock only
  // moves forward): pruning looks at the oldest entries only.
  const sessions = new Map<string, SessionEntry>()
  let spentRequestIds = 0
  const reservations = new Map<string, ReservationRecord>()
  const submissions = new Map<string, SubmissionRecord>()
  const workflows = new Map<string, WorkflowRecord>()
  const tokens = new Map<string, string>() // workflow token -> reservation id
  const credits = new Map<string, number>()
  /** The latest reservation and submission of each (job, wallet), for `status`. */
  const latest = new Map<
    string,
    { reservation?: ReservationRecord; submission?: SubmissionRecord }
  >()
  const expiries = createTimeQueue<ReservationRecord>()
  const settlements = createTimeQueue<SubmissionRecord>()
  let defaultOutcome = settings.verificationOutcome

  const iso = (ms: number): string => new Date(ms).toISOString()
  const pairKey = (jobId: string, wallet: string): string => `${jobId}\u0000${wallet}`

  /**
   * Applies everything the clock has made true: expired reservations, finished verifications,
   * sessions past their grace. Every store method runs it first (see `synced`).
   */
  function sync(): number {
    const now = clock.now()
    for (let due = expiries.popDue(now); due; due = expiries.popDue(now)) {
      if (due.state !== 'active') continue
      due.state = 'expired'
      const record = jobs.get(due.jobId)
      if (record?.reservationId === due.reservationId) record.reservationId = undefined
    }
    for (let due = settlements.popDue(now); due; due = settlements.popDue(now)) {
      const record = jobs.get(due.jobId)
      if (record && !due.settled) settle(record, due, now)
    }
    for (const [nonce, session] of sessions) {
      if (now < session.expiresAt + sessionGraceMs) break
      sessions.delete(nonce)
      spentRequestIds -= session.spentRequests.size
    }
    return now
  }

  function settle(record: JobRecord, submission: SubmissionRecord, now: number): void {
    const { status } = verification(submission, now)
    if (status === 'verified') {
      credits.set(submission.wallet, balance(submission.wallet) + record.job.rewardCredits)
      record.completed = true
    } else if (status === 'rejected') {
      record.submissionId = undefined
      record.reservationId = undefined
    } else if (status !== 'needs_human') return
    submission.settled = true
  }

  /** When a submission reaches its final status (see `verificationAt`). */
  function settlesAt(submission: SubmissionRecord): number {
    const delays = submission.outcome === 'transient_error' ? 4 : 2
    return submission.submittedAt + delays * settings.verificationDelayMs
  }

  function verification(submission: SubmissionRecord, now: number) {
    return verificationAt({
      submittedAt: submission.submittedAt,
      now,
      delayMs: settings.verificationDelayMs,
      outcome: submission.outcome,
    })
  }

  function jobState(record: JobRecord): JobState {
    if (record.completed) return 'completed'
    if (record.submissionId) return 'submitted'
    if (record.reservationId) return 'reserved'
    return 'open'
  }

  function listItem(job: SandboxJob): JobListItem {
    return {
      job_id: job.jobId,
      job_type: job.jobType,
      title: job.title,
      reward_credits: job.rewardCredits,
      ...(job.platform === undefined ? {} : { platform: job.platform }),
    }
  }

  function submissionBody(submission: SubmissionRecord, now: number): Submission {
    const { status, changedAt } = verification(submission, now)
    const reason =
      status === 'rejected'
        ? 'The verifier could not find the post at post_url.'
        : status === 'needs_human'
          ? 'The verifier could not decide; an admin will review the post.'
          : status === 'transient_error'
            ? 'The verifier could not reach the platform; it will try again.'
            : undefined
    return {
      submission_id: submission.submissionId,
      reservation_id: submission.reservationId,
      submitted_at: iso(submission.submittedAt),
      verification: {
        status,
        updated_at: iso(changedAt),
        ...(reason === undefined ? {} : { reason }),
      },
    }
  }

  function reserveBody(reservation: ReservationRecord, job: SandboxJob): ReserveResponse {
    return {
      reservation_id: reservation.reservationId,
      job_id: job.jobId,
      expires_at: iso(reservation.expiresAt),
      instructions: job.instructions,
      job: {
        ...listItem(job),
        ...(reservation.trackedUrl === undefined
          ? {}
          : {
              social_share: {
                platform: job.platform ?? '',
                tracking_links: [reservation.trackedUrl],
              },
            }),
      },
      ...(reservation.workflowToken === undefined
        ? {}
        : {
            workflow_access: {
              access_token: reservation.workflowToken,
              expires_at: iso(reservation.expiresAt),
            },
          }),
    }
  }

  function trackedUrl(job: SandboxJob, trackingCode: string): string {
    const url = new URL(job.targetUrl ?? 'https://www.agentpmt.com/')
    url.searchParams.set('utm_source', job.platform ?? '')
    url.searchParams.set('utm_medium', 'agent_social')
    url.searchParams.set('utm_campaign', `agent_job_${job.jobId}`)
    url.searchParams.set('utm_content', trackingCode)
    return url.toString()
  }

  function notFound(what: string): { ok: false; error: ErrorReply } {
    return { ok: false, error: errorReply('EXTERNAL_NOT_FOUND', { detail: `${what} not found.` }) }
  }

  /** 503 with the seconds until the oldest session is dropped, which frees room. */
  function full(what: string, limit: number, now: number): ErrorReply {
    const oldest = sessions.values().next().value
    const waitMs = oldest ? oldest.expiresAt + sessionGraceMs - now : 1000
    const error = errorReply('EXTERNAL_SERVICE_UNAVAILABLE', {
      detail: `The sandbox holds ${limit} ${what}, its limit; room frees as sessions expire.`,
      details: { limit },
    })
    error.headers = { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) }
    return error
  }

  function balance(wallet: string): number {
    return credits.get(wallet) ?? settings.startingCredits
  }

  /** The live reservation a workflow token opens for `jobId`, or the 403 answer. */
  function tokenReservation(token: string, jobId: string): StoreResult<ReservationRecord> {
    const reservationId = tokens.get(token)
    const reservation = reservationId ? reservations.get(reservationId) : undefined
    const forbidden = (detail: string) => ({
      ok: false as const,
      error: errorReply('EXTERNAL_FORBIDDEN', {
        detail,
        checklist: [
          'Send X-Job-Workflow-Token: Bearer <workflow_access.access_token> from the reserve answer.',
          'Use the token only on the workflow endpoints of the job it was issued for.',
          'Reserve the job again if the reservation expired.',
        ],
      }),
    })
    if (!reservation) return forbidden('The workflow token is not valid.')
    if (reservation.jobId !== jobId)
      return forbidden('The workflow token was issued for another job.')
    if (reservation.state !== 'active')
      return forbidden('The reservation of this workflow token is no longer active.')
    return { ok: true, value: reservation }
  }

  function workflowBody(workflow: WorkflowRecord): WorkflowResponse {
    return { workflow_id: workflow.workflowId, job_id: workflow.jobId, status: workflow.status }
  }

  // Each method gets `now` from `sync()`; `synced` is the only way they are exposed.
  const methods: Synced<SandboxStore> = {
    createSession(now, wallet) {
      if (sessions.size >= maxSessions)
        return { ok: false, error: full('sessions', maxSessions, now) }
      const nonce = random.id('nonce')
      const expiresAt = now + settings.sessionTtlMs
      sessions.set(nonce, { wallet: wallet.toLowerCase(), expiresAt, spentRequests: noneSpent })
      return {
        ok: true,
        value: {
          session_nonce: nonce,
          expires_in: Math.floor(settings.sessionTtlMs / 1000),
          expires_at: iso(expiresAt),
        },
      }
    },

    session: (_, nonce) => sessions.get(nonce),

    spendRequest(now, nonce, requestId) {
      const session = sessions.get(nonce)
      if (!session || session.spentRequests.has(requestId)) return false
      if (spentRequestIds >= maxSpentRequestIds)
        return full('spent request ids', maxSpentRequestIds, now)
      // Sessions share one empty set until their first request: most hold none or few.
      if (session.spentRequests === noneSpent) session.spentRequests = new Set()
      session.spentRequests.add(requestId)
      spentRequestIds += 1
      return true
    },

    listJobs(_, wallet, { limit, skip }) {
      const visible: JobRecord[] = []
      for (const record of jobs.values()) {
        const state = jobState(record)
        if (
          state === 'open' ||
          (state === 'reserved' && reservations.get(record.reservationId!)?.wallet === wallet)
        )
          visible.push(record)
      }
      return {
        jobs: visible.slice(skip, skip + limit).map((record) => listItem(record.job)),
        total: visible.length,
        limit,
        skip,
      }
    },

    reserve(now, wallet, jobId) {
      const record = jobs.get(jobId)
      if (!record) return notFound(`Job ${jobId}`)
      const state = jobState(record)
      if (state === 'submitted' || state === 'completed')
        return { ok: false, error: errorReply('EXTERNAL_JOB_ALREADY_SUBMITTED') }
      if (state === 'reserved') {
        const held = reservations.get(record.reservationId!)!
        // The same wallet asking again (e.g. after a lost answer) gets its reservation back.
        if (held.wallet === wallet) return { ok: true, value: reserveBody(held, record.job) }
        return { ok: false, error: errorReply('EXTERNAL_JOB_ALREADY_RESERVED') }
      }
      const reservation: ReservationRecord = {
        reservationId: random.id('res'),
        jobId,
        wallet,
        createdAt: now,
        expiresAt: now + settings.reservationTtlMs,
        state: 'active',
      }
      if (record.job.jobType === 'social_share')
        reservation.trackedUrl = trackedUrl(record.job, random.id('trk'))
      else {
        reservation.workflowToken = random.id('wft')
        tokens.set(reservation.workflowToken, reservation.reservationId)
      }
      reservations.set(reservation.reservationId, reservation)
      expiries.push(reservation.expiresAt, reservation)
      const pair = latest.get(pairKey(jobId, wallet))
      if (pair) pair.reservation = reservation
      else latest.set(pairKey(jobId, wallet), { reservation })
      record.reservationId = reservation.reservationId
      return { ok: true, value: reserveBody(reservation, record.job) }
    },

    complete(now, wallet, jobId, completion) {
      const record = jobs.get(jobId)
      if (!record) return notFound(`Job ${jobId}`)
      const reservation = reservations.get(completion.reservation_id as string)
      if (!reservation || reservation.jobId !== jobId)
        return notFound(`Reservation ${String(completion.reservation_id)} of job ${jobId}`)
      if (reservation.wallet !== wallet)
        return {
          ok: false,
          error: errorReply('EXTERNAL_FORBIDDEN', {
            detail: 'The reservation belongs to another wallet.',
          }),
        }
      if (reservation.state === 'submitted')
        return { ok: false, error: errorReply('EXTERNAL_JOB_ALREADY_SUBMITTED') }
      if (reservation.state === 'expired')
        return { ok: false, error: errorReply('EXTERNAL_RESERVATION_EXPIRED') }
      const problems = proofProblems(record.job, reservation, completion)
      if (problems.length > 0)
        return {
          ok: false,
          error: errorReply('EXTERNAL_PROOF_INVALID', {
            detail: problems[0],
            checklist: problems,
          }),
        }
      const submission: SubmissionRecord = {
        submissionId: random.id('sub'),
        reservationId: reservation.reservationId,
        jobId,
        wallet,
        submittedAt: now,
        outcome: record.job.verificationOutcome ?? defaultOutcome,
        completion,
        settled: false,
      }
      submissions.set(submission.submissionId, submission)
      settlements.push(settlesAt(submission), submission)
      const pair = latest.get(pairKey(jobId, wallet))
      if (pair) pair.submission = submission
      else latest.set(pairKey(jobId, wallet), { submission })
      reservation.state = 'submitted'
      record.submissionId = submission.submissionId
      return {
        ok: true,
        value: { job_id: jobId, status: 'submitted', submission: submissionBody(submission, now) },
      }
    },

    status(now, wallet, jobId) {
      const record = jobs.get(jobId)
      if (!record) return notFound(`Job ${jobId}`)
      const { reservation, submission } = latest.get(pairKey(jobId, wallet)) ?? {}
      return {
        ok: true,
        value: {
          job_id: jobId,
          status: jobState(record),
          reservation: reservation
            ? {
                reservation_id: reservation.reservationId,
                expires_at: iso(reservation.expiresAt),
                state: reservation.state,
              }
            : null,
          submission: submission ? submissionBody(submission, now) : null,
        },
      }
    },

    createWorkflow(_, token, jobId, definition) {
      const reservation = tokenReservation(token, jobId)
      if (!reservation.ok) return reservation
      const workflow: WorkflowRecord = {
        workflowId: random.id('wf'),
        jobId,
        reservationId: reservation.value.reservationId,
        status: 'draft',
        definition,
      }
      workflows.set(workflow.workflowId, workflow)
      return { ok: true, value: workflowBody(workflow) }
    },

    publishWorkflow(_, token, jobId, workflowId) {
      const reservation = tokenReservation(token, jobId)
      if (!reservation.ok) return reservation
      const workflow = workflows.get(workflowId)
      if (!workflow || workflow.reservationId !== reservation.value.reservationId)
        return notFound(`Workflow ${workflowId} of this reservation`)
      workflow.status = 'published'
      return { ok: true, value: workflowBody(workflow) }
    },

    balance: (_, wallet) => balance(wallet),

    charge(_, wallet, amount) {
      const available = balance(wallet)
      if (available < amount)
        return {
          ok: false,
          error: errorReply('EXTERNAL_CREDITS_INSUFFICIENT', {
            detail: `This call costs ${amount} credits; the wallet has ${available}.`,
            details: { required_credits: amount, available_credits: available },
          }),
        }
      credits.set(wallet, available - amount)
      return { ok: true, value: available - amount }
    },

    setVerificationOutcome(_, outcome, jobId) {
      if (jobId === undefined) defaultOutcome = outcome
      else {
        const record = jobs.get(jobId)
        if (!record) throw new RangeError(`No sandbox job ${jobId}`)
        record.job.verificationOutcome = outcome
      }
    },

    snapshot(now) {
      return {
        now,
        jobs: [...jobs.values()].map((record) => ({
          ...listItem(record.job),
          status: jobState(record),
          reservation_id: record.reservationId ?? null,
          submission_id: record.submissionId ?? null,
        })),
        reservations: [...reservations.values()].map((entry) => ({ ...entry })),
        submissions: [...submissions.values()].map((entry) => ({
          ...entry,
          verification: verification(entry, now).status,
        })),
        workflows: [...workflows.values()].map((entry) => ({ ...entry })),
        sessions: sessions.size,
        spentRequestIds,
        credits: Object.fromEntries(credits),
      }
    },
  }
  return synced(methods, sync)

  function proofProblems(
    job: SandboxJob,
    reservation: ReservationRecord,
    completion: Readonly<Record<string, unknown>>,
  ): string[] {
    if (job.jobType === 'social_share') {
      return socialPostIssues(completion.social_posts, {
        platform: job.platform,
        trackedUrl: reservation.trackedUrl,
      }).map((issue) => `${issue.path} ${issue.reason}.`)
    }
    const workflowId = completion.workflow_id
    if (typeof workflowId !== 'string') return ['workflow_id must name the published workflow.']
    const workflow = workflows.get(workflowId)
    if (!workflow || workflow.reservationId !== reservation.reservationId)
      return [`workflow ${workflowId} was not created under this reservation.`]
    if (workflow.status !== 'published')
      return [`workflow ${workflowId} is not published; publish it before completing.`]
    return []
  }
}

/**
 * A copy of the sandbox's state for tests: jobs with their status, reservations, submissions
 * with their current verification status, workflows, the number of sessions and the credits of
 * wallets that spent or earned any.
 *
 * @example
 * ```ts
 * import type { StoreSnapshot } from '@agentpmt-kit/sandbox'
 *
 * declare const snapshot: StoreSnapshot
 * snapshot.jobs.filter((job) => job.status === 'open').length
 * ```
 */
export type StoreSnapshot = {
  now: number
  jobs: Array<
    JobListItem & { status: JobState; reservation_id: string | null; submission_id: string | null }
  >
  reservations: ReservationRecord[]
  submissions: Array<SubmissionRecord & { verification: string }>
  workflows: WorkflowRecord[]
  /** Sessions held: live ones and expired ones within `sessionGraceMs`. */
  sessions: number
  /** Request ids spent in the sessions held. */
  spentRequestIds: number
  credits: Record<string, number>
}

type SessionEntry = { wallet: string; expiresAt: number; spentRequests: Set<string> }

const noneSpent: Set<string> = new Set()

/** Each method of `store`, taking the time `sync()` returns before its own arguments. */
type Synced<store> = {
  [name in keyof store]: store[name] extends (...args: infer input) => infer output
    ? (now: number, ...args: input) => output
    : never
}

/**
 * The store's methods, each run after `sync()` with the time it returns: the per-call invariant
 * (time applied first) holds by construction, for methods written today and tomorrow.
 */
function synced<store>(methods: Synced<store>, sync: () => number): store {
  const exposed: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(methods))
    exposed[name] = (...args: unknown[]) =>
      (method as (now: number, ...rest: unknown[]) => unknown)(sync(), ...args)
  return exposed as store
}
