import { BaseError } from '@agentpmt-kit/canonical-json'
import type { ReserveResponse } from '@agentpmt-kit/message-builder'
import type { Clock } from './Clock.js'

/**
 * A reserved job: the wire answer of `POST /jobs/{jobId}/reserve` (`reservation_id`,
 * `expires_at`, `instructions`, `job`, ...) with the workflow token taken out, plus:
 * - `trackedUrl`: the tracked link of a social-share job (`job.social_share.tracking_links[0]`),
 *   the exact URL to post and to give as `target_url_used`;
 * - `deadline`: `expires_at` in milliseconds since the epoch;
 * - `signal`: an `AbortSignal` that aborts `safetyMarginMs` before `expires_at`, the moment to
 *   stop working (an unfinished job is let go, never submitted incomplete);
 * - `workflowToken`: the token of a workflow job's endpoints. It is not enumerable: it does not
 *   show in `JSON.stringify`, `console.log` or snapshots. The client sends it itself; you should
 *   not need it.
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
export type Reservation = Omit<ReserveResponse, 'workflow_access'> & {
  /** `workflow_access` without its token. */
  workflow_access?: { expires_at: string } | undefined
  /** The tracked link of a social-share job; `undefined` for other jobs. */
  readonly trackedUrl: string | undefined
  /** `expires_at` in milliseconds since the epoch. */
  readonly deadline: number
  /** Aborts `safetyMarginMs` before the reservation expires (not enumerable). */
  readonly signal: AbortSignal
  /** The workflow token of a workflow job (not enumerable). */
  readonly workflowToken: string | undefined
}

type Internal = { cancelTimer: () => void; controller: AbortController }
const internals = new WeakMap<Reservation, Internal>()

/**
 * Makes a {@link Reservation} from the reserve answer: the timer of its signal starts now.
 *
 * @internal
 */
export function createReservation(
  response: ReserveResponse,
  options: { clock: Clock; safetyMarginMs: number },
): Reservation {
  const { workflow_access, ...wire } = response
  const deadline = Date.parse(response.expires_at)
  const controller = new AbortController()
  const reservation = {
    ...wire,
    ...(workflow_access === undefined
      ? {}
      : { workflow_access: { expires_at: workflow_access.expires_at } }),
    trackedUrl: response.job.social_share?.tracking_links[0],
    deadline,
  } as Reservation
  const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false })
  Object.defineProperties(reservation, {
    signal: hidden(controller.signal),
    workflowToken: hidden(workflow_access?.access_token),
  })
  const abortAt = deadline - options.safetyMarginMs
  const abort = (): void =>
    controller.abort(new ReservationDeadlineError({ reservationId: response.reservation_id }))
  const delay = abortAt - options.clock.now()
  let cancelTimer = (): void => {}
  if (delay <= 0) abort()
  // The deadline alone must not hold a process open that has nothing else left to do.
  else cancelTimer = options.clock.setTimeout(abort, delay, { keepAlive: false })
  internals.set(reservation, { cancelTimer, controller })
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
 * Whether the reservation's safety deadline has passed (its signal aborted or its time reached).
 *
 * @internal
 */
export function pastDeadline(
  reservation: Reservation,
  clock: Clock,
  safetyMarginMs: number,
): boolean {
  return reservation.signal.aborted || clock.now() >= reservation.deadline - safetyMarginMs
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
  constructor({ reservationId }: { reservationId: string }) {
    super('The reservation is about to expire: stop and let it go.', {
      details: `Reservation ${reservationId} reached its safety margin before expires_at; nothing is submitted after it.`,
      docsPath: '/documents/Run_the_job_loop.html#deadlines',
    })
    this.reservationId = reservationId
  }
}
