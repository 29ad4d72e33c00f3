import { errorReply } from './errorBody.js'
import { createRandom } from './random.js'

/**
 * A fault {@link createFaultProxy} can inject. `drop-before`: the request never reaches the
 * server and `fetch` rejects with `TypeError('fetch failed')`. `drop-after`: the server handles
 * the request, then the connection is lost and `fetch` rejects the same way (the ambiguous
 * failure). `delay`: the server handles it, then the client's timeout fires (a `DOMException`
 * named `TimeoutError`). `500`, `502`, `503`, `429`: answered by the proxy, never forwarded.
 *
 * @example
 * ```ts
 * import type { FaultKind } from '@agentpmt-kit/sandbox'
 *
 * const ambiguous: FaultKind = 'drop-after'
 * ```
 */
export type FaultKind = 'drop-before' | 'drop-after' | 'delay' | '500' | '502' | '503' | '429'

/**
 * Every {@link FaultKind}: the default of `createFaultProxy`'s `kinds`.
 *
 * @example
 * ```ts
 * import { faultKinds } from '@agentpmt-kit/sandbox'
 *
 * const statusOnly = faultKinds.filter((kind) => /^\d+$/.test(kind))
 * ```
 */
export const faultKinds: readonly FaultKind[] = [
  'drop-before',
  'drop-after',
  'delay',
  '500',
  '502',
  '503',
  '429',
]

/**
 * A `fetch` function, as `createFaultProxy` wraps and returns it.
 *
 * @example
 * ```ts
 * import type { FetchFunction } from '@agentpmt-kit/sandbox'
 *
 * const viaGlobal: FetchFunction = (input, init) => fetch(input, init)
 * ```
 */
export type FetchFunction = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

/**
 * Options of {@link createFaultProxy}.
 *
 * @example
 * ```ts
 * import { createSandboxApp, type FaultProxyOptions } from '@agentpmt-kit/sandbox'
 *
 * const sandbox = createSandboxApp()
 * const options: FaultProxyOptions = { fetch: sandbox.fetch, rate: 0.2, seed: 42, kinds: ['drop-after', '503'] }
 * ```
 */
export type FaultProxyOptions = {
  /** The `fetch` to wrap: the sandbox app's in-process `fetch`, or one bound to a base URL. */
  fetch: FetchFunction
  /** Probability in [0, 1] that a request gets a fault; 0.1 by default. */
  rate?: number | undefined
  /** Seed of the generator that decides faults and their kinds; 1 by default. */
  seed?: number | undefined
  /** The kinds to draw from, uniformly; every kind by default. */
  kinds?: readonly FaultKind[] | undefined
  /** How long a `delay` fault waits after the answer before the timeout fires; 0 by default. */
  delayMs?: number | undefined
}

/**
 * What a fault proxy has done: requests seen, requests forwarded to the wrapped `fetch`
 * (without a fault, or with `drop-after` or `delay`), and faults by kind.
 *
 * @example
 * ```ts
 * import type { FaultProxyStats } from '@agentpmt-kit/sandbox'
 *
 * declare const stats: FaultProxyStats
 * stats.faults['drop-after'] // completions the server made although the client saw an error
 * ```
 */
export type FaultProxyStats = {
  requests: number
  forwarded: number
  faults: Record<FaultKind, number>
}

/**
 * The `fetch` a fault proxy returns, with its `stats()`.
 *
 * @example
 * ```ts
 * import type { FaultProxyFetch } from '@agentpmt-kit/sandbox'
 *
 * declare const flaky: FaultProxyFetch
 * await flaky('/api/external/auth/session', { method: 'POST', body: '{}' }).catch(() => undefined)
 * flaky.stats().forwarded
 * ```
 */
export type FaultProxyFetch = FetchFunction & { stats(): FaultProxyStats }

/**
 * Wraps a `fetch` with seeded, per-request faults, for testing how a client survives them: on
 * each request a fault happens with probability `rate`, its kind drawn uniformly from `kinds`
 * (see {@link FaultKind}). The same seed and the same sequence of requests give the same faults.
 *
 * @example
 * ```ts
 * import { createFaultProxy, createSandboxApp } from '@agentpmt-kit/sandbox'
 *
 * const sandbox = createSandboxApp({ verificationDelayMs: 0 })
 * const flaky = createFaultProxy({ fetch: sandbox.fetch, rate: 0.3, seed: 7 })
 * // give `flaky` to the client under test as its fetch, run it, then:
 * flaky.stats() // { requests, forwarded, faults: { 'drop-before': 1, ... } }
 * ```
 */
export function createFaultProxy(options: FaultProxyOptions): FaultProxyFetch {
  const { fetch: forward, rate = 0.1, seed = 1, kinds = faultKinds, delayMs = 0 } = options
  if (typeof forward !== 'function') throw new TypeError('createFaultProxy needs a fetch function.')
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Fault rate must be in [0, 1], got ${rate}`)
  if (kinds.length === 0 || kinds.some((kind) => !faultKinds.includes(kind)))
    throw new RangeError(`Fault kinds must be some of ${faultKinds.join(', ')}.`)
  if (!(delayMs >= 0)) throw new RangeError(`delayMs must be 0 or more, got ${delayMs}`)
  const random = createRandom(seed)
  const stats: FaultProxyStats = {
    requests: 0,
    forwarded: 0,
    faults: Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>,
  }

  const send = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    stats.forwarded += 1
    return forward(input, init)
  }

  const proxied = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    stats.requests += 1
    const kind = random.next() < rate ? kinds[Math.floor(random.next() * kinds.length)] : undefined
    if (kind === undefined) return send(input, init)
    stats.faults[kind] += 1
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    switch (kind) {
      case 'drop-before':
        throw connectionLost('connect ECONNREFUSED', 'ECONNREFUSED')
      case 'drop-after': {
        const response = await send(input, init)
        await response.arrayBuffer()
        throw connectionLost('other side closed', 'UND_ERR_SOCKET')
      }
      case 'delay': {
        const response = await send(input, init)
        await response.body?.cancel()
        await timeout(delayMs, signal ?? undefined)
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError')
      }
      default:
        return statusFault(kind)
    }
  }
  return Object.assign(proxied, { stats: () => structuredClone(stats) })
}

/** What undici's `fetch` rejects with when a connection fails: `TypeError` with a coded cause. */
function connectionLost(message: string, code: string): TypeError {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`${message} (fault proxy)`), { code }),
  })
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function timeout(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function statusFault(kind: '500' | '502' | '503' | '429'): Response {
  if (kind === '502')
    return new Response(
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
      { status: 502, headers: { 'content-type': 'text/html; charset=utf-8' } },
    )
  const code =
    kind === '500'
      ? 'EXTERNAL_INTERNAL_ERROR'
      : kind === '503'
        ? 'EXTERNAL_SERVICE_UNAVAILABLE'
        : 'EXTERNAL_RATE_LIMITED'
  const reply = errorReply(code, { detail: `Injected by the fault proxy (${kind}).` })
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: {
      'content-type': 'application/json',
      ...(kind === '500' ? {} : { 'retry-after': '1' }),
    },
  })
}
