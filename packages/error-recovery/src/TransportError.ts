import { BaseError } from '@agentpmt-kit/canonical-json'
import { redactText } from './redact.js'

const docsPath = '/documents/Errors.html#transport-errors'

/**
 * Where a request that got no response was going, for messages.
 *
 * @example
 * ```ts
 * import type { TransportErrorContext } from '@agentpmt-kit/error-recovery'
 *
 * const context: TransportErrorContext = { method: 'POST', url: 'https://www.agentpmt.com/api/external/jobs/list' }
 * ```
 */
export type TransportErrorContext = {
  method?: string | undefined
  url?: string | undefined
  /** The original error (fetch's `TypeError`, a `DOMException`, ...). */
  cause?: unknown
}

/**
 * A request that got no HTTP response: {@link NetworkError}, {@link TimeoutError} or
 * {@link RequestAbortedError}.
 *
 * @example
 * ```ts
 * import { TransportError, toTransportError } from '@agentpmt-kit/error-recovery'
 *
 * toTransportError(new TypeError('fetch failed')) instanceof TransportError // true
 * ```
 */
export class TransportError extends BaseError {
  override name = 'ErrorRecovery.TransportError'
  readonly method: string | undefined
  readonly url: string | undefined

  constructor(shortMessage: string, context: TransportErrorContext = {}, details?: string) {
    const url = context.url === undefined ? undefined : redactText(context.url)
    const request = [context.method, url].filter(Boolean).join(' ')
    super(shortMessage, {
      cause: context.cause,
      details,
      docsPath,
      metaMessages: request ? [`Request: ${request}`] : undefined,
    })
    this.method = context.method
    this.url = url
  }
}

/**
 * The connection failed (DNS, refused, reset, TLS): no response arrived. Recovery: retry later.
 * The request may have reached the server: a client that still holds the signed request re-sends
 * it unchanged (same `request_id`); a `EXTERNAL_SIGNATURE_REQUEST_REPLAY` answer then means the
 * first attempt arrived.
 *
 * @example
 * ```ts
 * import { NetworkError } from '@agentpmt-kit/error-recovery'
 *
 * new NetworkError({ url: 'https://www.agentpmt.com/api/external/jobs/list' })
 * ```
 */
export class NetworkError extends TransportError {
  override name = 'ErrorRecovery.NetworkError'
  /** The system error code found in the cause chain (`ECONNREFUSED`, `ENOTFOUND`, ...), if any. */
  readonly code: string | undefined
  constructor(context: TransportErrorContext = {}) {
    const code = systemCodeOf(context.cause)
    const host = hostOf(context.url)
    super(
      `The request${host ? ` to ${host}` : ''} failed before a response arrived${code ? ` (${code})` : ''}.`,
      context,
      likelyCause(code, host ?? 'the server'),
    )
    this.code = code
  }
}

/** The host (and port) of an absolute URL, or `undefined` for a path. */
function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    return new URL(url).host || undefined
  } catch {
    return undefined
  }
}

/** What a system error code most likely means, and what to check. */
function likelyCause(code: string | undefined, host: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing accepts connections at ${host}: is the server (or \`agentpmt sandbox\`) running, and is the port of the base URL right?`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The name ${host} does not resolve: check the base URL for a typo, and the network or DNS.`
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `The connection to ${host} was closed mid-request: a proxy, a restart or an overloaded server; the client re-sends the identical request.`
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `${host} did not answer the connection: a firewall, a wrong port, or the server is down.`
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The TLS certificate of ${host} was refused: use its right https name, or http:// for a local sandbox.`
    default:
      return `Check that the base URL points at ${host} as intended and that the network is up.`
  }
}

/** The first `code` such as `ECONNREFUSED` along an error's `cause` chain (fetch nests it). */
function systemCodeOf(error: unknown): string | undefined {
  let current = error
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown }
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code
    current = cause
  }
  return undefined
}

/**
 * No response within the time allowed. Recovery: retry later by re-sending the identical signed
 * request (same `request_id`); a `EXTERNAL_SIGNATURE_REQUEST_REPLAY` answer then means the first
 * attempt arrived.
 *
 * @example
 * ```ts
 * import { TimeoutError } from '@agentpmt-kit/error-recovery'
 *
 * new TimeoutError({ timeoutMs: 10_000 }).timeoutMs // 10000
 * ```
 */
export class TimeoutError extends TransportError {
  override name = 'ErrorRecovery.TimeoutError'
  /** The time allowed, when known. */
  readonly timeoutMs: number | undefined
  constructor(context: TransportErrorContext & { timeoutMs?: number | undefined } = {}) {
    super(
      context.timeoutMs === undefined
        ? 'The request timed out.'
        : `The request timed out after ${context.timeoutMs} ms.`,
      context,
    )
    this.timeoutMs = context.timeoutMs
  }
}

/**
 * The caller aborted the request through its `AbortSignal`. Never retried (recovery `none`).
 *
 * @example
 * ```ts
 * import { RequestAbortedError } from '@agentpmt-kit/error-recovery'
 *
 * new RequestAbortedError().name // 'ErrorRecovery.RequestAbortedError'
 * ```
 */
export class RequestAbortedError extends TransportError {
  override name = 'ErrorRecovery.RequestAbortedError'
  constructor(context: TransportErrorContext = {}) {
    super('The request was aborted.', context)
  }
}

/**
 * Options of {@link toTransportError}.
 *
 * @example
 * ```ts
 * import type { ToTransportErrorOptions } from '@agentpmt-kit/error-recovery'
 *
 * const options: ToTransportErrorOptions = { signal: AbortSignal.timeout(10_000), timeoutMs: 10_000 }
 * ```
 */
export type ToTransportErrorOptions = {
  method?: string | undefined
  url?: string | undefined
  /** The signal given to `fetch`: tells a caller's abort from a timeout. */
  signal?: AbortSignal | undefined
  /** The timeout that was set, for the message. */
  timeoutMs?: number | undefined
}

/**
 * Classifies what `fetch` threw: a `TimeoutError` (from `AbortSignal.timeout` or an abort whose
 * reason is one) becomes {@link TimeoutError}; any other abort {@link RequestAbortedError};
 * everything else (fetch's `TypeError: fetch failed`, socket errors) {@link NetworkError}. A
 * {@link TransportError} is returned as it is. The original error is kept as `cause`.
 *
 * @example
 * ```ts
 * import { toTransportError } from '@agentpmt-kit/error-recovery'
 *
 * const signal = AbortSignal.timeout(10_000)
 * try {
 *   await fetch('https://www.agentpmt.com/api/external/jobs/list', { method: 'POST', signal })
 * } catch (error) {
 *   throw toTransportError(error, { signal, timeoutMs: 10_000 })
 * }
 * ```
 */
export function toTransportError(
  error: unknown,
  options: ToTransportErrorOptions = {},
): TransportError {
  if (error instanceof TransportError) return error
  const context = { method: options.method, url: options.url, cause: error }
  const reason: unknown = options.signal?.aborted ? options.signal.reason : undefined
  if (nameOf(error) === 'TimeoutError' || nameOf(reason) === 'TimeoutError')
    return new TimeoutError({ ...context, timeoutMs: options.timeoutMs })
  if (nameOf(error) === 'AbortError' || options.signal?.aborted)
    return new RequestAbortedError(context)
  return new NetworkError(context)
}

function nameOf(value: unknown): string | undefined {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'name' in value)
    ? String((value as { name: unknown }).name)
    : undefined
}
