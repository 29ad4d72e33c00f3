import { BaseError } from '@agentpmt-kit/canonical-json'
import type { JobKind, ReserveAnswer, ReservedJob } from './answers.js'
import { type Clock, monotonicNow } from './Clock.js'

/**
 * A reserved job, read from the reserve answer by the tolerant reader (whatever the server's
 * dialect: see the "What the client needs from a server" guide):
 * - `reservation_id`, `job_id`, `instructions` (`undefined` when the answer had none), `job` (the
 *   job object as sent, nulls dropped), `jobKind` (from `job.job_type`, or guessed from the
 *   tracked link or `workflow_access`);
 * - `trackedUrl`: the tracked link of a social-share job (`job.social_share.tracking_links[0]`,
 *   a string or an object's `url`), the exact URL to post and to give as `target_url_used`;
 * - `expires_at`: when the reservation expires on the server's clock (ISO-8601 UTC);
 *   `deadlineSource` is `default` when the answer had no readable expiry and the client's
 *   conservative `defaultReservationMs` was used;
 * - `deadline`: the same instant on this machine's clock when the reservation was read (ms since
 *   the epoch), for display: the server's clock may be minutes or days off this one, and this one
 *   may be set forward or back later;
 * - `signal`: an `AbortSignal` that aborts `safetyMarginMs` before the deadline, the moment to
 *   stop working (an unfinished job is let go, never submitted incomplete). It is timed on the
 *   local monotonic clock from the server's deadline converted once (see the "What the client
 *   needs from a server" guide), so neither the server's clock offset nor a change of the local
 *   clock moves it;
 * - `workflowToken`: the token of a workflow job's endpoints, and `raw`: the answer as received.
 *   Neither is enumerable: they do not show in `JSON.stringify`, `console.log` or snapshots, so
 *   `JSON.stringify(reservation)` is safe to save and `restoreReservation` reads it back.
 *
 * @example
 * ```ts
 * import type { Reservation } from '@agentpmt-kit/jobs-client'
 *
 * declare const reservation: Reservation
 * reservation.reservation_id
 * reservation.trackedUrl // social-share jobs
 * reservation.signal.addEventListener('abort', () => console.log('stop: the deadline is near'))
 * ```
 */
export type Reservation = {
  readonly reservation_id: string
  readonly job_id: string
  /** The deadline on the server's clock, ISO-8601 UTC. */
  readonly expires_at: string
  /** The deadline on this machine's clock when the reservation was read, ms since the epoch. */
  readonly deadline: number
  /** `server`: read from the answer; `default`: the client's `defaultReservationMs`. */
  readonly deadlineSource: 'server' | 'default'
  /** The private instructions, when the answer had them. */
  readonly instructions: string | undefined
  readonly job: ReservedJob
  /** Social share or workflow creation; `undefined` when the answer did not tell. */
  readonly jobKind: JobKind | undefined
  /** The tracked link of a social-share job; `undefined` for other jobs. */
  readonly trackedUrl: string | undefined
  /** The platform of a social-share job (the job's, or the tracked link's `utm_source`). */
  readonly platform: string | undefined
  /** `workflow_access` without its token. */
  readonly workflow_access?: { expires_at?: string | undefined } | undefined
  /** Aborts `safetyMarginMs` before the deadline (not enumerable). */
  readonly signal: AbortSignal
  /** The workflow token of a workflow job (not enumerable). */
  readonly workflowToken: string | undefined
  /** The reserve answer as received (not enumerable). */
  readonly raw: unknown
}

/** `abortAt`: the safety deadline on the local monotonic clock. */
type Internal = { cancelTimer: () => void; controller: AbortController; abortAt: number }
const internals = new WeakMap<Reservation, Internal>()

/**
 * Makes a {@link Reservation} from the reserve answer: the timer of its signal starts now.
 * `deadline` is the local monotonic instant of the server's `serverDeadline`.
 *
 * @internal
 */
export function createReservation(
  answer: ReserveAnswer,
  options: {
    clock: Clock
    safetyMarginMs: number
    deadline: number
    serverDeadline: number
    raw: unknown
  },
): Reservation {
  const { clock, deadline, safetyMarginMs } = options
  const controller = new AbortController()
  const access = answer.workflowAccess
  const now = monotonicNow(clock)
  const reservation = {
    reservation_id: answer.reservation_id,
    job_id: answer.job_id,
    expires_at: new Date(options.serverDeadline).toISOString(),
    deadline: Math.round(clock.now() + (deadline - now)),
    deadlineSource: answer.expiresAtMs === undefined ? 'default' : 'server',
    instructions: answer.instructions,
    job: answer.job,
    jobKind: answer.jobKind,
    trackedUrl: answer.trackedUrl,
    platform: answer.platform,
    ...(access === undefined
      ? {}
      : {
          workflow_access: access.expires_at === undefined ? {} : { expires_at: access.expires_at },
        }),
  } as Reservation
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false })
  Object.defineProperties(reservation, {
    signal: hidden(controller.signal),
    workflowToken: hidden(access?.access_token),
    raw: hidden(options.raw),
  })
  const abortAt = deadline - safetyMarginMs
  const delay = abortAt - now
  // Shorter than the margin from the start: say so, or the run would seem to expire for nothing.
  const tooShort = delay <= 0 ? { leftMs: deadline - now, safetyMarginMs } : undefined
  const abort = (): void =>
    controller.abort(
      new ReservationDeadlineError({ reservationId: answer.reservation_id, tooShort }),
    )
  let cancelTimer = (): void => {}
  if (delay <= 0) abort()
  // The deadline alone must not hold a process open that has nothing else left to do.
  else cancelTimer = clock.setTimeout(abort, delay, { keepAlive: false })
  internals.set(reservation, { cancelTimer, controller, abortAt })
  return reservation
}

/**
 * Whether a value is a reservation that `reserve` returned (a copy or a hand-made object is not).
 *
 * @internal
 */
export function isReservation(value: unknown): value is Reservation {
  return typeof value === 'object' && value !== null && internals.has(value as Reservation)
}

/**
 * Milliseconds left, on the local monotonic clock, before the reservation's safety deadline
 * (`safetyMarginMs` before the server's); 0 once its signal aborted or for a reservation that
 * {@link createReservation} did not make.
 *
 * @internal
 */
export function safetyTimeLeft(reservation: Reservation, clock: Clock): number {
  const internal = internals.get(reservation)
  if (internal === undefined || reservation.signal.aborted) return 0
  return Math.max(0, internal.abortAt - monotonicNow(clock))
}

/**
 * Whether the reservation's safety deadline has passed (its signal aborted or its time reached).
 *
 * @internal
 */
export function pastDeadline(reservation: Reservation, clock: Clock): boolean {
  return safetyTimeLeft(reservation, clock) <= 0
}

/**
 * Stops the reservation's timer (after its completion was accepted).
 *
 * @internal
 */
export function releaseReservation(reservation: Reservation): void {
  internals.get(reservation)?.cancelTimer()
}

/**
 * The reservation's safety deadline passed: work stops, nothing is submitted. It is the reason of
 * `reservation.signal`, and `complete` throws it when called too late.
 *
 * @example
 * ```ts
 * import { ReservationDeadlineError } from '@agentpmt-kit/jobs-client'
 *
 * declare const error: unknown
 * if (error instanceof ReservationDeadlineError) console.log(error.reservationId)
 * ```
 */
export class ReservationDeadlineError extends BaseError {
  override name = 'JobsClient.ReservationDeadlineError'
  readonly reservationId: string
  constructor({
    reservationId,
    tooShort,
  }: {
    reservationId: string
    /** Set when the reservation was shorter than the margin when it was read. */
    tooShort?: { leftMs: number; safetyMarginMs: number } | undefined
  }) {
    super('The reservation is about to expire: stop and let it go.', {
      details:
        tooShort === undefined
          ? `Reservation ${reservationId} reached its safety margin before expires_at; nothing is submitted after it.`
          : `Reservation ${reservationId} had ${Math.max(0, Math.round(tooShort.leftMs / 1000))} s left when it was read, less than the client's safetyMarginMs (${tooShort.safetyMarginMs} ms): lower safetyMarginMs in createJobsClient, or check the server's clock and expiry.`,
      docsPath: '/documents/Run_the_job_loop.html#deadlines',
    })
    this.reservationId = reservationId
  }
}
