import { describe, expect, test, vi } from 'vitest'
import {
  createRetryBudget,
  NetworkError,
  parseApiError,
  RequestAbortedError,
  retryPolicy,
  TimeoutError,
} from './index.js'

const coded = (status: number, error_code: string, retryAfter?: string) =>
  parseApiError(status, { error_code, detail: '', details: { checklist: [] } }, { retryAfter })
const unavailable = coded(503, 'EXTERNAL_SERVICE_UNAVAILABLE')

/** A fake clock and sleep: sleeping advances the clock at once and records the delay. */
const fakeTime = () => {
  let now = 0
  const slept: number[] = []
  return {
    now: () => now,
    slept,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new RequestAbortedError()
      slept.push(ms)
      now += ms
    },
  }
}

describe('delayFor', () => {
  test('full jitter: random * min(maxDelayMs, baseDelayMs * 2^(attempt-1))', () => {
    const policy = retryPolicy({
      maxAttempts: 10,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.5,
    })
    expect([1, 2, 3, 4, 5, 6].map((attempt) => policy.delayFor(attempt, unavailable))).toEqual([
      50, 100, 200, 400, 500, 500,
    ])
  })

  test('delays stay within [0, ceiling) for random at its extremes', () => {
    const low = retryPolicy({ baseDelayMs: 100, random: () => 0 })
    const high = retryPolicy({ baseDelayMs: 100, random: () => 0.999_999 })
    expect(low.delayFor(1, unavailable)).toBe(0)
    expect(high.delayFor(2, unavailable)).toBe(199)
  })

  test('gives up at maxAttempts', () => {
    const policy = retryPolicy({ maxAttempts: 3, random: () => 0 })
    expect(policy.delayFor(2, unavailable)).toBe(0)
    expect(policy.delayFor(3, unavailable)).toBeUndefined()
  })

  test('Retry-After: waits at least that long, even above maxDelayMs; gives up past maxRetryAfterMs', () => {
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 })
    expect(policy.delayFor(1, coded(429, 'EXTERNAL_RATE_LIMITED', '7'))).toBe(7000)
    expect(policy.delayFor(1, coded(429, 'EXTERNAL_RATE_LIMITED', '0'))).toBe(50)
    expect(policy.delayFor(1, coded(429, 'EXTERNAL_RATE_LIMITED', '121'))).toBeUndefined()
    expect(
      retryPolicy({ maxRetryAfterMs: 300_000 }).delayFor(
        1,
        coded(429, 'EXTERNAL_RATE_LIMITED', '121'),
      ),
    ).toBe(121_000)
  })

  test('by recovery', () => {
    const policy = retryPolicy({ maxAttempts: 5, baseDelayMs: 100, random: () => 0.5 })
    expect(policy.delayFor(1, new NetworkError())).toBe(50)
    expect(policy.delayFor(1, new TimeoutError())).toBe(50)
    expect(policy.delayFor(1, parseApiError(502, '<html>'))).toBe(50)
    expect(policy.delayFor(2, coded(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'))).toBe(0)
    expect(policy.delayFor(1, coded(409, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'))).toBe(0)
    expect(policy.delayFor(1, coded(500, 'EXTERNAL_INTERNAL_ERROR'))).toBe(50)
    expect(policy.delayFor(2, coded(500, 'EXTERNAL_INTERNAL_ERROR'))).toBeUndefined()
    for (const error of [
      coded(401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'),
      coded(401, 'EXTERNAL_SIGNATURE_MALFORMED'),
      coded(402, 'EXTERNAL_CREDITS_INSUFFICIENT'),
      coded(409, 'EXTERNAL_JOB_ALREADY_RESERVED'),
      new RequestAbortedError(),
      new Error('bug'),
    ])
      expect(policy.delayFor(1, error)).toBeUndefined()
  })

  test('the shared budget: server failures take tokens, a stale session does not', () => {
    let now = 0
    const budget = createRetryBudget({ tokens: 2, refillPerSecond: 1, now: () => now })
    const a = retryPolicy({ budget, random: () => 0 })
    const b = retryPolicy({ budget, random: () => 0 })
    expect(a.delayFor(1, unavailable)).toBe(0)
    expect(b.delayFor(1, new NetworkError())).toBe(0)
    expect(a.delayFor(1, unavailable)).toBeUndefined()
    expect(b.delayFor(1, coded(500, 'EXTERNAL_INTERNAL_ERROR'))).toBeUndefined()
    expect(a.delayFor(1, coded(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'))).toBe(0)
    now += 1000
    expect(b.delayFor(1, unavailable)).toBe(0)
  })

  test('a refused retry does not spend a token', () => {
    const budget = createRetryBudget({ tokens: 1, refillPerSecond: 0 })
    const policy = retryPolicy({ budget, maxAttempts: 2 })
    expect(policy.delayFor(2, unavailable)).toBeUndefined()
    expect(policy.delayFor(1, coded(429, 'EXTERNAL_RATE_LIMITED', '9999'))).toBeUndefined()
    expect(budget.available()).toBe(1)
  })

  test('refuses nonsense options', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(RangeError)
    expect(() => retryPolicy({ maxAttempts: 1.5 })).toThrow(RangeError)
    expect(() => retryPolicy({ baseDelayMs: -1 })).toThrow(RangeError)
  })
})

describe('run', () => {
  test('retries with the fake clock until success, reporting each retry', async () => {
    const time = fakeTime()
    const policy = retryPolicy({
      maxAttempts: 4,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: time.sleep,
    })
    const events: [number, number][] = []
    const result = await policy.run(
      async (attempt) => {
        if (attempt < 3) throw attempt === 1 ? unavailable : new NetworkError()
        return `done on ${attempt}`
      },
      { onRetry: (event) => events.push([event.attempt, event.delayMs]) },
    )
    expect(result).toBe('done on 3')
    expect(events).toEqual([
      [1, 50],
      [2, 100],
    ])
    expect(time.slept).toEqual([50, 100])
    expect(time.now()).toBe(150)
  })

  test('throws the last error when it gives up', async () => {
    const time = fakeTime()
    const policy = retryPolicy({ maxAttempts: 3, random: () => 0, sleep: time.sleep })
    let calls = 0
    await expect(
      policy.run(async () => {
        calls++
        throw unavailable
      }),
    ).rejects.toBe(unavailable)
    expect(calls).toBe(3)
  })

  test('does not retry what cannot succeed', async () => {
    const mismatch = coded(401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    let calls = 0
    await expect(
      retryPolicy({ sleep: fakeTime().sleep }).run(async () => {
        calls++
        throw mismatch
      }),
    ).rejects.toBe(mismatch)
    expect(calls).toBe(1)
  })

  test('an aborted signal stops before the next attempt', async () => {
    const controller = new AbortController()
    const time = fakeTime()
    const policy = retryPolicy({ maxAttempts: 5, random: () => 0, sleep: time.sleep })
    let calls = 0
    await expect(
      policy.run(
        async () => {
          calls++
          controller.abort()
          throw new NetworkError()
        },
        { signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(RequestAbortedError)
    expect(calls).toBe(1)
    await expect(policy.run(async () => 1, { signal: controller.signal })).rejects.toBeInstanceOf(
      RequestAbortedError,
    )
  })

  test('a failure after the abort takes no budget token and is not reported as a retry', async () => {
    const controller = new AbortController()
    const budget = createRetryBudget({ tokens: 1, refillPerSecond: 0 })
    const policy = retryPolicy({ maxAttempts: 5, budget, sleep: fakeTime().sleep })
    const retries: unknown[] = []
    const run = policy.run(
      async () => {
        controller.abort()
        throw new TimeoutError()
      },
      { signal: controller.signal, onRetry: (event) => retries.push(event) },
    )
    await expect(run).rejects.toBeInstanceOf(RequestAbortedError)
    expect(retries).toEqual([])
    expect(budget.available()).toBe(1)
  })
})

describe('sleep (the default timer)', () => {
  test('resolves after the delay', async () => {
    await expect(retryPolicy().sleep(1)).resolves.toBeUndefined()
  })

  test('rejects at once when aborted before or during the wait', async () => {
    const policy = retryPolicy()
    await expect(policy.sleep(10, AbortSignal.abort())).rejects.toBeInstanceOf(RequestAbortedError)
    const controller = new AbortController()
    const waiting = policy.sleep(60_000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toBeInstanceOf(RequestAbortedError)
  })

  test('waits the whole time when it is longer than a timer can hold (2^31 - 1 ms)', async () => {
    vi.useFakeTimers()
    try {
      const day = 86_400_000
      let done = false
      const waiting = retryPolicy()
        .sleep(30 * day)
        .then(() => {
          done = true
        })
      await vi.advanceTimersByTimeAsync(29 * day)
      expect(done).toBe(false)
      await vi.advanceTimersByTimeAsync(day)
      await waiting
      expect(done).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
