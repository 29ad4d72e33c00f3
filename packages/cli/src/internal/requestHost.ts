/**
 * The host each failed request was going to, by the error `fetch` threw. The client's transport
 * errors name only the path; a connection that fails before any socket (a blocked port, a bad
 * URL) carries no address either, so the host is noted where it is known: at the `fetch` call.
 */
const hosts = new WeakMap<object, string>()

/**
 * Wraps `fetch` so that an error it throws can be traced back to the host of the request.
 *
 * @example
 * ```ts
 * import { fetchNotingHost } from './requestHost.js'
 *
 * const fetch = fetchNotingHost(globalThis.fetch)
 * ```
 */
export function fetchNotingHost(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await fetch(input, init)
    } catch (error) {
      const host = hostOf(input)
      if (typeof error === 'object' && error !== null && host !== undefined) hosts.set(error, host)
      throw error
    }
  }
}

/**
 * The host of the request that failed with `error`, when it went through
 * {@link fetchNotingHost}.
 *
 * @example
 * ```ts
 * import { requestHostOf } from './requestHost.js'
 *
 * requestHostOf(new TypeError('fetch failed')) // undefined
 * ```
 */
export function requestHostOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? hosts.get(error) : undefined
}

function hostOf(input: Parameters<typeof globalThis.fetch>[0]): string | undefined {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  return URL.canParse(url) ? new URL(url).host : undefined
}
