import { type ErrorReply, errorReply } from '../errorBody.js'

/**
 * The queue in front of signature recovery, the work that bounds the sandbox's throughput (one
 * secp256k1 recovery per request, synchronous, on one thread). Admitted requests take turns one
 * at a time, each turn started from `setImmediate`, so that between two recoveries the event loop
 * reads new requests, and the queue (not the socket backlog, where nothing can be measured) is
 * where requests wait. A request that would wait longer than `maxQueueMs` (queue length times a
 * moving average of the time from one turn's start to the next), or find `maxPending` ahead of it, is refused at once with
 * 503 and `Retry-After`, having spent nothing: those admitted keep a short wait whatever the load.
 * `Retry-After` is 1 s, more (up to 10) when far more requests are shed than admitted.
 */
export type AdmissionGate = {
  /** Resolves to a `done` function once it is this request's turn, or to the 503 answer. */
  enter(): Promise<(() => void) | ErrorReply> | ErrorReply
  /**
   * The 503 answer when a new request would be refused now, else undefined: checked as a
   * request arrives, before its body is read, so that shedding costs next to nothing.
   */
  overloaded(): ErrorReply | undefined
  readonly pending: number
}

export function createAdmissionGate(options: {
  maxPending: number
  maxQueueMs: number
}): AdmissionGate {
  const waiting: Array<() => void> = []
  // Before the first turn is measured: a guess on the slow side (a recovery takes 1 to 3 ms on
  // an idle machine, 10 to 30 on a busy one), so that a burst at start is not all admitted.
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
  const shed = (reason: string): ErrorReply => {
    tally('shed')
    const error = errorReply('EXTERNAL_SERVICE_UNAVAILABLE', {
      detail: `The sandbox is shedding load: ${reason}; retry after Retry-After seconds.`,
      details: {
        queued_requests: waiting.length,
        estimated_wait_ms: Math.round(waiting.length * serviceMs),
      },
    })
    error.headers = { 'retry-after': String(retryAfterSeconds()) }
    return error
  }
  const overloaded = (): ErrorReply | undefined => {
    const ahead = waiting.length + (busy ? 1 : 0)
    if (ahead >= options.maxPending) return shed(`${ahead} signed requests are ahead`)
    if (ahead * serviceMs > options.maxQueueMs)
      return shed(`a new request would wait about ${Math.round(ahead * serviceMs)} ms`)
    return undefined
  }
  // Up from a slow sample at once, down slowly: the estimate errs on the side of a short wait.
  const sample = (ms: number): void => {
    serviceMs = ms > serviceMs ? serviceMs * 0.5 + ms * 0.5 : serviceMs * 0.9 + ms * 0.1
  }
  // `busy` from the moment a turn is scheduled until the queue is empty. Turns start from
  // `setImmediate`, never inside the callback that read the request: the event loop first reads
  // every request that has arrived (and sheds what will not fit), then runs turns back to back
  // for up to `sliceMs`, then reads the sockets again.
  const sliceMs = 20
  let sliceStart = 0
  let busy = false
  let lastStart: number | undefined
  const next = (): void => {
    const turn = waiting.shift()
    if (!turn) {
      busy = false
      lastStart = undefined
      return
    }
    // While requests wait back to back, the time from one turn's start to the next is what
    // each costs, the event loop's other work between two turns included.
    const started = performance.now()
    if (lastStart !== undefined) sample(started - lastStart)
    lastStart = started
    turn()
  }
  const slice = (): void => {
    sliceStart = performance.now()
    next()
  }
  return {
    get pending() {
      return waiting.length + (busy ? 1 : 0)
    },
    overloaded,
    enter() {
      const refused = overloaded()
      if (refused) return refused
      return new Promise((resolve) => {
        tally('admitted')
        waiting.push(() => {
          const started = performance.now()
          let done = false
          resolve(() => {
            if (done) return
            done = true
            const now = performance.now()
            // The last of a busy spell: its own time is all there is to measure.
            if (waiting.length === 0) sample(now - started)
            if (now - sliceStart < sliceMs) queueMicrotask(next)
            else setImmediate(slice)
          })
        })
        if (!busy) {
          busy = true
          setImmediate(slice)
        }
      })
    },
  }
}
