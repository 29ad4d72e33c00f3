import { parseTimestamp, type VerificationStatus } from '@agentpmt-kit/message-builder'
import { InvalidResponseError } from './InvalidResponseError.js'

/**
 * The tolerant reader of the server's answers. The public guides guarantee only a few fields
 * (PROTOCOL section 6; the "What the client needs from a server" guide): these readers require
 * those and nothing else, read `null` as absent, keep unknown fields, and record every guess
 * they had to make as a {@link ReadNote}.
 *
 * @module
 */

/**
 * A guess the reader made where the guides do not fix an answer's shape: which field, and what
 * the client used instead.
 *
 * @example
 * ```ts
 * import type { ReadNote } from '@agentpmt-kit/jobs-client'
 *
 * const note: ReadNote = { field: 'expires_at', guess: 'expires_in seconds from the time of the request' }
 * ```
 */
export type ReadNote = { field: string; guess: string }

/**
 * What a reader returns: the value the client uses, and the guesses it made.
 *
 * @example
 * ```ts
 * import { readSessionAnswer } from '@agentpmt-kit/jobs-client'
 *
 * const { value, notes } = readSessionAnswer({ session_nonce: 'n1' }, { sentAt: Date.now() })
 * value.expiresAtMs // undefined: used until the server says the nonce expired
 * notes[0]?.field // 'expires_in'
 * ```
 */
export type Read<value> = { value: value; notes: ReadNote[] }

/**
 * A submission as the client reads it: the guaranteed `verification.status`, and whatever else
 * the server sent (`submission_id`, `reservation_id`, ... are guesses, so optional).
 *
 * @example
 * ```ts
 * import type { SubmissionView } from '@agentpmt-kit/jobs-client'
 *
 * declare const submission: SubmissionView
 * submission.verification.status // 'queued' | 'running' | 'verified' | ...
 * ```
 */
export type SubmissionView = {
  verification: {
    status: VerificationStatus
    updated_at?: string | undefined
    reason?: string | undefined
    [field: string]: unknown
  }
  submission_id?: string | undefined
  reservation_id?: string | undefined
  [field: string]: unknown
}

/**
 * One job of a list answer: `job_id` (read from `job_id` or `id`) and whatever else was sent.
 *
 * @example
 * ```ts
 * import type { ListedJob } from '@agentpmt-kit/jobs-client'
 *
 * const job: ListedJob = { job_id: 'job_1', title: 'Share on LinkedIn' }
 * ```
 */
export type ListedJob = {
  job_id: string
  job_type?: string | undefined
  title?: string | undefined
  reward_credits?: number | undefined
  platform?: string | undefined
  [field: string]: unknown
}

/**
 * The job object of a reserve answer, as sent (nulls dropped), with its `job_id`.
 *
 * @example
 * ```ts
 * import type { ReservedJob } from '@agentpmt-kit/jobs-client'
 *
 * declare const job: ReservedJob
 * job.social_share?.platform
 * ```
 */
export type ReservedJob = {
  job_id: string
  job_type?: string | undefined
  title?: string | undefined
  platform?: string | undefined
  social_share?: { platform?: string | undefined; [field: string]: unknown } | undefined
  [field: string]: unknown
}

/**
 * The kinds of job this client can complete.
 *
 * @example
 * ```ts
 * import type { JobKind } from '@agentpmt-kit/jobs-client'
 *
 * const kind: JobKind = 'social_share'
 * ```
 */
export type JobKind = 'social_share' | 'workflow_creation'

const verificationStatuses: readonly VerificationStatus[] = [
  'queued',
  'running',
  'verified',
  'rejected',
  'transient_error',
  'needs_human',
]

/** Where a reader is and what it has noted, for its errors and notes. */
type Reading = {
  path: string
  raw: unknown
  notes: ReadNote[]
  jobMayBeHeld?: boolean | undefined
}

type JsonRecord = Record<string, unknown>

function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined
}

/**
 * A copy of a JSON value without the `null` members of its objects: a Python server writes an
 * absent optional as `null`.
 */
function withoutNulls(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 64) return value
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item, depth + 1))
  const copy: JsonRecord = {}
  for (const [key, item] of Object.entries(value))
    if (item !== null)
      Object.defineProperty(copy, key, {
        value: withoutNulls(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      })
  return copy
}

function fail(reading: Reading, field: string, expected: string, found?: unknown): never {
  throw new InvalidResponseError({
    path: reading.path,
    field,
    expected,
    raw: reading.raw,
    found,
    jobMayBeHeld: reading.jobMayBeHeld,
  })
}

/** The answer as an object without nulls, or a typed error. */
function body(reading: Reading): JsonRecord {
  const record = asRecord(withoutNulls(reading.raw))
  return record ?? fail(reading, '(body)', 'a JSON object', reading.raw)
}

/** The latest instant a `Date` can hold (ECMA-262 time value range), in ms since the epoch. */
const LATEST_TIME_MS = 8.64e15

/** A finite non-negative number (`900` or `900.0` in the text), or `undefined`. */
function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

/** `sentAt` plus `value` seconds, when `value` is a non-negative number and the sum is a valid `Date`. */
function secondsAfter(sentAt: number, value: unknown): number | undefined {
  if (typeof value !== 'number' || !(value >= 0)) return undefined
  const at = sentAt + value * 1000
  return at <= LATEST_TIME_MS ? at : undefined
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The first value of `names` found in `records`, in order, with the place it was found. */
function find(
  records: readonly (readonly [string, JsonRecord | undefined])[],
  names: readonly string[],
): { field: string; value: unknown } | undefined {
  for (const [prefix, record] of records) {
    if (record === undefined) continue
    for (const name of names)
      if (record[name] !== undefined) return { field: `${prefix}${name}`, value: record[name] }
  }
  return undefined
}

/**
 * A session answer. Requires `session_nonce`; reads the expiry from `expires_in` seconds (counted
 * from `sentAt`, the request's sending on the server's clock as the client measured it) or else
 * `expires_at`; `expiresAtMs` is on the server's clock. Without either, the session is used until
 * the server says the nonce expired.
 *
 * @example
 * ```ts
 * import { readSessionAnswer } from '@agentpmt-kit/jobs-client'
 *
 * const sentAt = Date.now()
 * readSessionAnswer({ session_nonce: 'n1', expires_in: 900.0 }, { sentAt }).value.expiresAtMs // sentAt + 900000
 * ```
 */
export function readSessionAnswer(
  raw: unknown,
  options: { sentAt: number; path?: string | undefined },
): Read<{ session_nonce: string; expiresAtMs: number | undefined }> {
  const reading: Reading = { path: options.path ?? '/api/external/auth/session', raw, notes: [] }
  const answer = body(reading)
  const nonce =
    nonEmptyString(answer.session_nonce) ??
    fail(reading, 'session_nonce', 'a non-empty string', answer.session_nonce)
  const expiresInAt = secondsAfter(options.sentAt, answer.expires_in)
  if (expiresInAt !== undefined)
    return { value: { session_nonce: nonce, expiresAtMs: expiresInAt }, notes: [] }
  const expiresAt = parseTimestamp(answer.expires_at)
  if (expiresAt !== undefined) {
    reading.notes.push({ field: 'expires_in', guess: 'expires_at on the server clock' })
    return { value: { session_nonce: nonce, expiresAtMs: expiresAt }, notes: reading.notes }
  }
  reading.notes.push({
    field: 'expires_in',
    guess: 'no readable expiry: the nonce is used until the server says it expired',
  })
  return { value: { session_nonce: nonce, expiresAtMs: undefined }, notes: reading.notes }
}

/**
 * A reserve answer as the client reads it, before it becomes a `Reservation`.
 *
 * @example
 * ```ts
 * import type { ReserveAnswer } from '@agentpmt-kit/jobs-client'
 *
 * declare const answer: ReserveAnswer
 * answer.expiresAtMs // undefined when the server sent no readable expiry
 * ```
 */
export type ReserveAnswer = {
  reservation_id: string
  job_id: string
  /**
   * The deadline from the answer on the server's clock (`expires_in` counted from `sentAt`), or
   * `undefined` when it has none the client can read.
   */
  expiresAtMs: number | undefined
  instructions: string | undefined
  job: ReservedJob
  jobKind: JobKind | undefined
  trackedUrl: string | undefined
  /** The social platform: `job.social_share.platform`, `job.platform`, or the link's. */
  platform: string | undefined
  workflowAccess: { access_token?: string | undefined; expires_at?: string | undefined } | undefined
}

/**
 * A reserve answer. Reservation fields are read at the top level, under `reservation`, or under
 * `job` (AgentPMT's agent skill); the deadline from `expires_at`, `reserved_until` (timestamps;
 * no offset means UTC) or `expires_in` (seconds from `sentAt`, the request's sending on the
 * server's clock); instructions from `instructions`, `job_instructions`
 * or `private_instructions`; the tracked link `job.social_share.tracking_links[0]` as a string or
 * an object with a `url` (or `href`). Requires the reservation id, and a readable tracked link
 * when the answer has `job.social_share`. Errors say the job may now be held.
 *
 * @example
 * ```ts
 * import { readReserveAnswer } from '@agentpmt-kit/jobs-client'
 *
 * const { value } = readReserveAnswer(
 *   { reservation: { reservation_id: 'res_1', expires_in: 1800 }, job: { job_id: 'job_1', social_share: { tracking_links: [{ platform: 'x', url: 'https://a.example/?utm_source=x' }] } } },
 *   { sentAt: Date.now(), jobId: 'job_1' },
 * )
 * value.trackedUrl // 'https://a.example/?utm_source=x'
 * ```
 */
export function readReserveAnswer(
  raw: unknown,
  options: { sentAt: number; jobId?: string | undefined; path?: string | undefined },
): Read<ReserveAnswer> {
  const reading: Reading = {
    path: options.path ?? `/api/external/jobs/${options.jobId ?? '{jobId}'}/reserve`,
    raw,
    notes: [],
    jobMayBeHeld: options.jobId !== undefined,
  }
  const top = body(reading)
  const reservation = asRecord(top.reservation)
  const job = asRecord(top.job) ?? asRecord(reservation?.job)
  const places = [
    ['', top],
    ['reservation.', reservation],
    ['job.', job],
  ] as const

  const id = find(places, ['reservation_id'])
  const reservationId =
    nonEmptyString(id?.value) ??
    (reservation && nonEmptyString(reservation.id)) ??
    fail(reading, id?.field ?? 'reservation_id', 'a non-empty string', id?.value)

  const foundJobId = find(places, ['job_id'])?.value ?? job?.id
  const jobId = nonEmptyString(foundJobId) ?? options.jobId
  if (jobId === undefined)
    return fail(reading, 'job.job_id', 'the id of the reserved job', foundJobId)
  if (options.jobId !== undefined && jobId !== options.jobId)
    fail(reading, 'job_id', `the job reserved ("${options.jobId}")`, foundJobId)

  const expiresAtMs = readDeadline(reading, places, options.sentAt)
  const instructions = find(places, ['instructions', 'job_instructions', 'private_instructions'])
  if (typeof instructions?.value !== 'string')
    reading.notes.push({
      field: 'instructions',
      guess: 'none found: the reservation has no instructions',
    })
  else if (instructions.field !== 'instructions')
    reading.notes.push({ field: 'instructions', guess: instructions.field })

  const trackedUrl = readTrackedUrl(reading, job)
  const platform = readPlatform(reading, job, trackedUrl)
  const access = asRecord(top.workflow_access) ?? asRecord(reservation?.workflow_access)
  const jobKind = readJobKind(reading, job, top, trackedUrl, access)
  const accessToken = nonEmptyString(access?.access_token)
  if (access !== undefined && accessToken === undefined)
    reading.notes.push({
      field: 'workflow_access.access_token',
      guess: 'none: workflow calls cannot be made',
    })
  const accessExpiry = nonEmptyString(access?.expires_at)
  return {
    value: {
      reservation_id: reservationId,
      job_id: jobId,
      expiresAtMs,
      instructions: typeof instructions?.value === 'string' ? instructions.value : undefined,
      job: { ...job, job_id: jobId },
      jobKind,
      trackedUrl,
      platform,
      workflowAccess:
        access === undefined
          ? undefined
          : {
              ...(accessToken === undefined ? {} : { access_token: accessToken }),
              ...(accessExpiry === undefined ? {} : { expires_at: accessExpiry }),
            },
    },
    notes: reading.notes,
  }
}

function readDeadline(
  reading: Reading,
  places: readonly (readonly [string, JsonRecord | undefined])[],
  sentAt: number,
): number | undefined {
  for (const [prefix, record] of places) {
    if (record === undefined) continue
    for (const name of ['expires_at', 'reserved_until']) {
      const at = parseTimestamp(record[name])
      if (at === undefined) continue
      if (`${prefix}${name}` !== 'expires_at')
        reading.notes.push({ field: 'expires_at', guess: `${prefix}${name}` })
      return at
    }
    const expiresInAt = secondsAfter(sentAt, record.expires_in)
    if (expiresInAt !== undefined) {
      reading.notes.push({
        field: 'expires_at',
        guess: `${prefix}expires_in seconds from the time of the request`,
      })
      return expiresInAt
    }
  }
  return undefined
}

function readTrackedUrl(reading: Reading, job: JsonRecord | undefined): string | undefined {
  if (job?.social_share === undefined) return undefined
  const share = asRecord(job.social_share)
  if (share === undefined)
    return fail(reading, 'job.social_share', 'an object with tracking_links', job.social_share)
  const links = share.tracking_links
  const first = Array.isArray(links) ? links[0] : undefined
  if (typeof first === 'string' && first !== '') return first
  const link = asRecord(first)
  const url = nonEmptyString(link?.url) ?? nonEmptyString(link?.href)
  if (url !== undefined) {
    reading.notes.push({
      field: 'job.social_share.tracking_links[0]',
      guess: `an object: its ${nonEmptyString(link?.url) ? 'url' : 'href'}`,
    })
    return url
  }
  return fail(
    reading,
    'job.social_share.tracking_links[0]',
    'a URL string, or an object with a "url" (or "href") string',
    Array.isArray(links) ? first : links,
  )
}

function readPlatform(
  reading: Reading,
  job: JsonRecord | undefined,
  trackedUrl: string | undefined,
): string | undefined {
  const share = asRecord(job?.social_share)
  const named = nonEmptyString(share?.platform) ?? nonEmptyString(job?.platform)
  if (named !== undefined || trackedUrl === undefined) return named
  const links = share?.tracking_links
  const linkPlatform = Array.isArray(links)
    ? nonEmptyString(asRecord(links[0])?.platform)
    : undefined
  let source: string | undefined
  try {
    source = new URL(trackedUrl).searchParams.get('utm_source') ?? undefined
  } catch {}
  const platform = linkPlatform ?? source
  if (platform !== undefined)
    reading.notes.push({
      field: 'job.social_share.platform',
      guess:
        linkPlatform !== undefined
          ? "the tracking link object's platform"
          : 'utm_source of the tracked link',
    })
  return platform
}

function readJobKind(
  reading: Reading,
  job: JsonRecord | undefined,
  top: JsonRecord,
  trackedUrl: string | undefined,
  access: JsonRecord | undefined,
): JobKind | undefined {
  const named = job?.job_type ?? top.job_type
  if (named === 'social_share' && trackedUrl === undefined)
    return fail(
      reading,
      'job.social_share.tracking_links[0]',
      'the tracked link of a social-share job',
    )
  if (named === 'social_share' || named === 'workflow_creation') return named
  const guessed =
    trackedUrl !== undefined
      ? 'social_share'
      : access !== undefined
        ? 'workflow_creation'
        : undefined
  reading.notes.push({
    field: 'job.job_type',
    guess:
      guessed === undefined
        ? 'unknown: the proof decides (social_posts or workflow_id)'
        : `${guessed} (from ${trackedUrl !== undefined ? 'the tracked link' : 'workflow_access'})`,
  })
  return guessed
}

/**
 * The submission of a complete or status answer: `undefined` when there is none;
 * `verification.status` must be one of the six the guides name.
 */
function readSubmission(reading: Reading, answer: JsonRecord): SubmissionView | undefined {
  if (answer.submission === undefined) return undefined
  const submission = asRecord(answer.submission)
  if (submission === undefined) return fail(reading, 'submission', 'an object', answer.submission)
  const verification = asRecord(submission.verification)
  const status = verification?.status
  if (verification === undefined || !verificationStatuses.includes(status as VerificationStatus))
    return fail(
      reading,
      'submission.verification.status',
      `one of ${verificationStatuses.join(', ')}`,
      status ?? submission.verification,
    )
  return submission as SubmissionView
}

/**
 * A job status as the client reads it: the guaranteed submission (or none), and the guessed
 * fields when present.
 *
 * @example
 * ```ts
 * import type { StatusAnswer } from '@agentpmt-kit/jobs-client'
 *
 * declare const status: StatusAnswer
 * status.submission?.verification.status
 * ```
 */
export type StatusAnswer = {
  job_id: string
  /** The job's state (`status` or `job.status`), when sent. */
  status: string | undefined
  /** This wallet's reservation, when the server says. */
  reservation:
    | {
        reservation_id?: string | undefined
        expires_at?: string | undefined
        state?: string | undefined
        [field: string]: unknown
      }
    | undefined
  submission: SubmissionView | undefined
}

/**
 * A status answer. Requires nothing but a JSON object; a `submission`, when there is one, must
 * have a `verification.status` the guides name.
 *
 * @example
 * ```ts
 * import { readStatusAnswer } from '@agentpmt-kit/jobs-client'
 *
 * readStatusAnswer({ submission: { verification: { status: 'queued' } } }, { jobId: 'job_1' }).value.submission?.verification.status // 'queued'
 * ```
 */
export function readStatusAnswer(
  raw: unknown,
  options: { jobId: string; path?: string | undefined },
): Read<StatusAnswer> {
  const reading: Reading = {
    path: options.path ?? `/api/external/jobs/${options.jobId}/status`,
    raw,
    notes: [],
  }
  const answer = body(reading)
  const job = asRecord(answer.job)
  const state =
    typeof answer.status === 'string'
      ? answer.status
      : typeof job?.status === 'string'
        ? job.status
        : undefined
  const reservation = asRecord(answer.reservation)
  return {
    value: {
      job_id: options.jobId,
      status: state,
      reservation,
      submission: readSubmission(reading, answer),
    },
    notes: reading.notes,
  }
}

/**
 * A complete answer: the 2xx status is what counts (the submission was accepted); the
 * submission is read when it is readable, and otherwise left `undefined` with a note, never an
 * error (a completion the server accepted is never reported as failed).
 *
 * @example
 * ```ts
 * import { readCompleteAnswer } from '@agentpmt-kit/jobs-client'
 *
 * readCompleteAnswer({ message: 'ok' }, { jobId: 'job_1' }).value.submission // undefined
 * ```
 */
export function readCompleteAnswer(
  raw: unknown,
  options: { jobId: string; path?: string | undefined },
): Read<{ submission: SubmissionView | undefined }> {
  const reading: Reading = {
    path: options.path ?? `/api/external/jobs/${options.jobId}/complete`,
    raw,
    notes: [],
  }
  try {
    const submission = readSubmission(reading, body(reading))
    if (submission === undefined)
      reading.notes.push({ field: 'submission', guess: 'none in the answer: read status()' })
    return { value: { submission }, notes: reading.notes }
  } catch (error) {
    const field = error instanceof InvalidResponseError ? error.field : '(body)'
    return {
      value: { submission: undefined },
      notes: [{ field, guess: 'unreadable: read status()' }],
    }
  }
}

/**
 * A page of the job list as the client reads it.
 *
 * @example
 * ```ts
 * import type { ListAnswer } from '@agentpmt-kit/jobs-client'
 *
 * declare const page: ListAnswer
 * page.total // undefined when the server does not say
 * ```
 */
export type ListAnswer = { jobs: ListedJob[]; total: number | undefined }

/**
 * A list answer: the jobs from `jobs` (or `items`, `results`, `data`, or a bare array), each
 * with a `job_id` (or `id`) string; `total` when sent.
 *
 * @example
 * ```ts
 * import { readListAnswer } from '@agentpmt-kit/jobs-client'
 *
 * readListAnswer({ items: [{ id: 'job_1', title: 'Share' }] }).value.jobs[0]?.job_id // 'job_1'
 * ```
 */
export function readListAnswer(
  raw: unknown,
  options: { path?: string | undefined } = {},
): Read<ListAnswer> {
  const reading: Reading = { path: options.path ?? '/api/external/jobs/list', raw, notes: [] }
  const cleaned = withoutNulls(raw)
  const answer = asRecord(cleaned)
  const listField = Array.isArray(cleaned)
    ? { field: '(body)', value: cleaned }
    : answer === undefined
      ? undefined
      : find([['', answer]], ['jobs', 'items', 'results', 'data'])
  if (listField === undefined || !Array.isArray(listField.value))
    return fail(reading, listField?.field ?? 'jobs', 'an array of jobs', listField?.value ?? raw)
  if (listField.field !== 'jobs') reading.notes.push({ field: 'jobs', guess: listField.field })
  const jobs = listField.value.map((item: unknown, index): ListedJob => {
    const job = asRecord(item)
    const id = nonEmptyString(job?.job_id) ?? nonEmptyString(job?.id)
    if (job === undefined || id === undefined)
      return fail(
        reading,
        `${listField.field === '(body)' ? '' : listField.field}[${index}].job_id`,
        'a non-empty string',
        item,
      )
    return { ...job, job_id: id }
  })
  const total = nonNegative(answer?.total)
  if (total === undefined)
    reading.notes.push({ field: 'total', guess: 'none: pages are read until a short one' })
  return { value: { jobs, total }, notes: reading.notes }
}

/**
 * The answer of a workflow endpoint: the workflow's id (from `workflow_id`, `id`, or the same
 * under `workflow`), its `status` when sent, and `raw` (not enumerable).
 *
 * @example
 * ```ts
 * import type { WorkflowAnswer } from '@agentpmt-kit/jobs-client'
 *
 * declare const workflow: WorkflowAnswer
 * workflow.workflow_id
 * ```
 */
export type WorkflowAnswer = {
  workflow_id: string
  status: string | undefined
  readonly raw?: unknown
}

/**
 * A workflow create or publish answer; requires the workflow's id.
 *
 * @example
 * ```ts
 * import { readWorkflowAnswer } from '@agentpmt-kit/jobs-client'
 *
 * readWorkflowAnswer({ workflow: { id: 'wf_1' } }).value.workflow_id // 'wf_1'
 * ```
 */
export function readWorkflowAnswer(
  raw: unknown,
  options: { path?: string | undefined } = {},
): Read<WorkflowAnswer> {
  const reading: Reading = {
    path: options.path ?? '/api/external/jobs/{jobId}/workflow',
    raw,
    notes: [],
  }
  const answer = body(reading)
  const nested = asRecord(answer.workflow)
  const id = find(
    [
      ['', answer],
      ['workflow.', nested],
    ],
    ['workflow_id', 'id'],
  )
  const workflowId =
    nonEmptyString(id?.value) ??
    fail(reading, id?.field ?? 'workflow_id', 'a non-empty string', id?.value)
  if (id?.field !== 'workflow_id')
    reading.notes.push({ field: 'workflow_id', guess: id?.field ?? '' })
  const status = answer.status ?? nested?.status
  return {
    value: { workflow_id: workflowId, status: typeof status === 'string' ? status : undefined },
    notes: reading.notes,
  }
}
