import { type ErrorReply, errorReply } from '../errorBody.js'

/**
 * The gate in front of signature recovery, the work that bounds the sandbox's throughput (one
 * secp256k1 recovery per signed request). A signed request is admitted as it arrives, before its
 * body is read, and holds its place until its check is done: one that is admitted is never
 * refused later for load, and one that is refused is answered before the server reads its body.
 *
 * Admitted requests take turns at the check, at most `concurrency` at once (1 when recovery runs
 * on the event loop, more with a worker pool). Turns start from `setImmediate`, never inside the
 * callback that read a request, and run back to back for up to 20 ms: the event loop first reads
 * every request that has arrived (and sheds what will not fit), so the queue, not the socket
 * backlog where nothing can be measured, is where requests wait. A request that would wait longer
 * than `maxQueueMs` (places held beyond the free turns, times a moving average of the time
 * between two turns ending while others wait), or find `maxPending` places held, is refused at
 * once with 503 and `Retry-After`, having spent nothing. `Retry-After` is 1 s, more (up to 10)
 * when far more requests are shed than admitted.
 */
export type AdmissionGate = {
  /** A place for a request that has just arrived, or the 503 answer when there is none. */
  admit(): AdmissionTicket | ErrorReply
  /** Places held: requests admitted whose check is not done. */
  readonly pending: number
}

/**
 * An admitted request's place: `turn` resolves once its signature check may run; `release` gives
 * the place back, after the check or without one (a request refused by a cheaper check, or that
 * ended some other way). Only the first `release` counts.
 */
export type AdmissionTicket = {
  turn(): Promise<void>
  release(): void
}

export function createAdmissionGate(options: {
  maxPending: number
  maxQueueMs: number
  concurrency: number
}): AdmissionGate {
  const { concurrency } = options
  const waiting: Array<() => void> = []
  let held = 0
  let running = 0
  // Time per request at full throughput. Before the first measurement: a guess on the slow side
  // (a recovery takes 1 to 3 ms on an idle machine, 10 to 30 on a busy one), so that a burst at
  // start is not all admitted.
  let serviceMs = 10
  // Requests admitted and shed in the current and the previous second: `Retry-After` grows with
  // their ratio, so that clients come back about when there is room instead of all at once.
  let window = { start: 0, admitted: 0, shed: 0 }
  let previous = { admitted: 0, shed: 0 }
  const tally = (key: 'admitted' | 'shed'): void => {
    const now = performance.now()
    if (now - window.start >= 1000) {
      previous = now - window.start < 2000 ? window : { admitted: 0, shed: 0 }
      window = { start: now, admitted: 0, shed: 0 }
    }
    window[key] += 1
  }
  const retryAfterSeconds = (): number =>
    Math.min(10, Math.max(1, Math.ceil((previous.shed + 1) / (previous.admitted + 1))))
  // What a new request would wait: the places held beyond the turns free for it.
  const expectedWaitMs = (): number => Math.max(0, held - concurrency + 1) * serviceMs
  const shed = (reason: string): ErrorReply => {
    tally('shed')
    const error = errorReply('EXTERNAL_SERVICE_UNAVAILABLE', {
      detail: `The sandbox is shedding load: ${reason}; retry after Retry-After seconds.`,
      details: { queued_requests: held, estimated_wait_ms: Math.round(expectedWaitMs()) },
    })
    error.headers = { 'retry-after': String(retryAfterSeconds()) }
    return error
  }
  // Up from a slow sample at once, down slowly: the estimate errs on the side of a short wait.
  const sample = (ms: number): void => {
    serviceMs = ms > serviceMs ? serviceMs * 0.5 + ms * 0.5 : serviceMs * 0.9 + ms * 0.1
  }

  const sliceMs = 20
  let sliceStart = 0
  let scheduled = false
  // When the previous turn ended while others waited: from one such end to the next is what a
  // request costs at full throughput, the event loop's other work in between included.
  let lastEnd: number | undefined
  const next = (): void => {
    while (running < concurrency) {
      const start = waiting.shift()
      if (!start) return
      running += 1
      start()
    }
  }
  const slice = (): void => {
    scheduled = false
    sliceStart = performance.now()
    next()
  }
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setImmediate(slice)
  }
  const ended = (started: number): void => {
    running -= 1
    const now = performance.now()
    if (waiting.length > 0) {
      if (lastEnd !== undefined) sample(now - lastEnd)
      lastEnd = now
    } else {
      // The last of a busy spell: its own time is all there is to measure.
      sample((now - started) / concurrency)
      lastEnd = undefined
    }
    if (now - sliceStart < sliceMs) queueMicrotask(next)
    else schedule()
  }

  return {
    get pending() {
      return held
    },
    admit() {
      if (held >= options.maxPending) return shed(`${held} signed requests are ahead`)
      const waitMs = expectedWaitMs()
      if (waitMs > options.maxQueueMs)
        return shed(`a new request would wait about ${Math.round(waitMs)} ms`)
      held += 1
      tally('admitted')
      let started: number | undefined
      let start: (() => void) | undefined
      let released = false
      return {
        turn: () =>
          new Promise<void>((resolve) => {
            start = () => {
              started = performance.now()
              resolve()
            }
            waiting.push(start)
            schedule()
          }),
        release() {
          if (released) return
          released = true
          held -= 1
          if (started !== undefined) ended(started)
          else if (start) waiting.splice(waiting.indexOf(start), 1)
        },
      }
    },
  }
}
