import {
  type ApiEndpoint,
  type ApiError,
  parseApiError,
  RequestAbortedError,
  type RetryPolicy,
  type RetryPolicyOptions,
  recoveryFor,
  retryPolicy,
  TransportError,
  toTransportError,
  UnknownAuthError,
} from '@agentpmt-kit/error-recovery'
import { workflowTokenHeader } from '@agentpmt-kit/message-builder'
import { type Clock, monotonicNow, systemClock } from './Clock.js'
import { secretIn } from './internal/secretIn.js'
import { sleep } from './internal/sleep.js'
import { type JobsClientEvent, type JobsClientLogger, safeLogger } from './Logger.js'
import { ResponseTooLargeError } from './ResponseTooLargeError.js'
import type { ServerClock } from './ServerClock.js'
import { SecretInRequestError, secretPattern } from './secrets.js'

/**
 * The headers a workflow token may travel in: the jobs guides' `X-Job-Workflow-Token` and
 * AgentPMT's published agent skill's `Authorization`.
 *
 * @example
 * ```ts
 * import type { WorkflowTokenHeader } from '@agentpmt-kit/jobs-client'
 *
 * const header: WorkflowTokenHeader = 'Authorization'
 * ```
 */
export type WorkflowTokenHeader = 'X-Job-Workflow-Token' | 'Authorization'

/**
 * One request of {@link exchange}: always a `POST` of JSON text to `path` under `baseUrl`.
 *
 * @example
 * ```ts
 * import type { ExchangeRequest } from '@agentpmt-kit/jobs-client'
 *
 * const request: ExchangeRequest = { path: '/api/external/auth/session', body: '{"wallet_address":"0xabc"}', endpoint: 'session' }
 * ```
 */
export type ExchangeRequest = {
  /** The path under `baseUrl`, such as `/api/external/jobs/list`. */
  path: string
  /**
   * The exact body text, or a function that makes it. The function is called again before each
   * retry after an answer (429, 503, ...): a signed request signs anew there with a fresh
   * request id, since the server refuses one it has seen. A re-send after a lost connection or
   * a timeout sends the identical bytes (the same request id), so the server can tell it apart.
   */
  body: string | (() => string | Promise<string>)
  headers?: Readonly<Record<string, string>> | undefined
  /**
   * A workflow token, sent as `Bearer <token>` in `header` (default `X-Job-Workflow-Token`); after
   * a 401 that is not a signature refusal (an `UnknownAuthError`), once more in the other header.
   * The answer's `workflowTokenHeader` names the header it came for.
   */
  workflowToken?: { token: string; header?: WorkflowTokenHeader | undefined } | undefined
  signal?: AbortSignal | undefined
  /** The signed request's id, for logs and errors; `null` (the default) when unsigned. */
  requestId?: string | null | undefined
  /** The endpoint, so that an error code the client does not know is classified by status. */
  endpoint?: ApiEndpoint | undefined
  /** Whether a lost connection or a timeout is followed by the same bytes again. Default `true`. */
  resend?: boolean | undefined
  /**
   * Answer statuses sent again as the retry policy allows, honouring `Retry-After` (a date in it
   * read against the answer's `Date` header). Default `[429, 502, 503, 504]`; `[]` returns the
   * first answer. A 500 listed here is retried up to `maxAttempts` (the policy alone retries it
   * once): list it only for a call that is safe to repeat.
   */
  retryOn?: readonly number[] | undefined
}

/**
 * Where and how {@link exchange} sends: the transport options of `createJobsClient`, with its
 * defaults.
 *
 * @example
 * ```ts
 * import type { ExchangeOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: ExchangeOptions = { baseUrl: 'http://127.0.0.1:8787', timeoutMs: 15_000, retry: { maxAttempts: 1 } }
 * ```
 */
export type ExchangeOptions = {
  /** Default `https://www.agentpmt.com`. */
  baseUrl?: string | undefined
  /** Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined
  /** Time allowed for each attempt. Default 30 000 ms. */
  timeoutMs?: number | undefined
  /** Largest answer read; a larger one throws `ResponseTooLargeError`. Default 10 MB. */
  maxResponseBytes?: number | undefined
  /** A policy from error-recovery's `retryPolicy`, or its options. Default `retryPolicy()`. */
  retry?: RetryPolicy | RetryPolicyOptions | undefined
  /** Where time is read and waits are timed. Default the system clock. */
  clock?: Clock | undefined
  /** Receives the client's `request`, `response` and `retry` events. */
  logger?: JobsClientLogger | undefined
  /** Values no request may carry (see `createJobsClient`): refused before sending. */
  secrets?: readonly string[] | undefined
  /** Called after every attempt, answered or not: a transcript of all of them. */
  onAttempt?: ((attempt: ExchangeAttempt) => void) | undefined
}

/**
 * An answer of {@link exchange}, whatever its status: `ok` for a 2xx, else `error`, the typed
 * error it stands for (`parseApiError`). `sentAt` and `receivedAt` (its headers' arrival) are on
 * the clock's monotonic reading, its `now` when it has none. `attempts` counts the sendings of
 * these same bytes: more than one after a lost connection or a timeout.
 *
 * @example
 * ```ts
 * import type { ExchangeAnswer } from '@agentpmt-kit/jobs-client'
 *
 * declare const answer: ExchangeAnswer
 * if (!answer.ok) console.log(answer.status, answer.error.errorCode)
 * ```
 */
export type ExchangeAnswer = {
  status: number
  headers: Headers
  /** The body's text; `''` for none and for a redirect, which is never followed nor read. */
  text: string
  /** The body as JSON, else its text; `undefined` when empty. */
  body: unknown
  attempts: number
  sentAt: number
  receivedAt: number
  /** The header the workflow token went in, with `workflowToken`. */
  workflowTokenHeader?: WorkflowTokenHeader | undefined
} & ({ ok: true; error?: undefined } | { ok: false; error: ApiError })

/**
 * One attempt of {@link exchange}: the bytes sent, then the answer, or the `error` that stopped
 * it short of one (a `TransportError`, a `ResponseTooLargeError`), and the wait before the next
 * attempt (`undefined` when none follows).
 *
 * @example
 * ```ts
 * import type { ExchangeAttempt } from '@agentpmt-kit/jobs-client'
 *
 * const onAttempt = (attempt: ExchangeAttempt) => console.log(attempt.path, attempt.answer?.status ?? 'no answer')
 * ```
 */
export type ExchangeAttempt = {
  path: string
  requestBody: string
  answer: ExchangeAnswer | undefined
  error: unknown
  delayMs: number | undefined
}

/**
 * {@link ExchangeOptions} resolved, as the client holds them.
 *
 * @internal
 */
export type Transport = {
  baseUrl: string
  fetch: typeof globalThis.fetch
  timeoutMs: number
  maxResponseBytes: number
  retry: RetryPolicy
  clock: Clock
  log: (event: JobsClientEvent) => void
  secrets?: readonly RegExp[] | undefined
  /** Takes every answer's `Date` header. */
  serverClock?: ServerClock | undefined
  onAttempt?: ((attempt: ExchangeAttempt) => void) | undefined
}

const transientStatuses: readonly number[] = [429, 502, 503, 504]

/**
 * The `retryOn` of a call that is safe to repeat (a session, a publish): a 500 too.
 *
 * @internal
 */
export const safeToRepeat: readonly number[] = [429, 500, 502, 503, 504]

/**
 * Sends one request to an AgentPMT server the way the client sends its own: no redirect
 * followed, each attempt within `timeoutMs`, at most `maxResponseBytes` read, the same bytes
 * again after a lost connection or a timeout, and answers of `retryOn` (429, 502-504) again
 * after the retry policy's backoff, at least `Retry-After`. Returns the last answer whatever its
 * status; throws only when none came: the last `TransportError`, a `ResponseTooLargeError`, or
 * a `SecretInRequestError` before sending. A signed request is one whose `body` function signs.
 *
 * @example
 * ```ts
 * import { exchange } from '@agentpmt-kit/jobs-client'
 *
 * const answer = await exchange(
 *   { path: '/api/external/auth/session', body: JSON.stringify({ wallet_address: '0xabc' }) },
 *   { baseUrl: 'http://127.0.0.1:8787' },
 * )
 * if (answer.ok) console.log(answer.body)
 * else console.log(answer.status, answer.error.name)
 * ```
 */
export function exchange(
  request: ExchangeRequest,
  options: ExchangeOptions = {},
): Promise<ExchangeAnswer> {
  return exchangeWith(resolveTransport(options), request)
}

/**
 * The options with their defaults; `createJobsClient` resolves its own through it.
 *
 * @internal
 */
export function resolveTransport(options: ExchangeOptions): Transport {
  const clock = options.clock ?? systemClock
  return {
    baseUrl: (options.baseUrl ?? 'https://www.agentpmt.com').replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxResponseBytes: options.maxResponseBytes ?? 10_000_000,
    retry: retryFor(options.retry, clock),
    clock,
    log: safeLogger(options.logger),
    secrets: (options.secrets ?? []).flatMap((secret) => secretPattern(secret) ?? []),
    onAttempt: options.onAttempt,
  }
}

/**
 * A retry policy from a `retry` option: itself, or one made from its options on `clock`.
 *
 * @internal
 */
export function retryFor(
  retry: RetryPolicy | RetryPolicyOptions | undefined,
  clock: Clock,
): RetryPolicy {
  return retry !== undefined && 'delayFor' in retry
    ? retry
    : retryPolicy({ sleep: (ms, signal) => sleep(clock, ms, signal), ...retry })
}

/**
 * {@link exchange} over a resolved transport.
 *
 * @internal
 */
export async function exchangeWith(
  transport: Transport,
  request: ExchangeRequest,
): Promise<ExchangeAnswer> {
  const token = request.workflowToken
  if (token === undefined) return retrying(transport, request, undefined)
  const first = token.header ?? workflowTokenHeader
  const answer = await retrying(transport, request, first)
  // A 401 says the request was not handled: sending it again creates nothing twice.
  if (!(answer.error instanceof UnknownAuthError)) return answer
  return retrying(
    transport,
    request,
    first === workflowTokenHeader ? 'Authorization' : workflowTokenHeader,
  )
}

/**
 * The wait before a call that is safe to repeat meets a 500 again (the retry policy retries a
 * 500 once, for calls that must not take effect twice): its first backoff step, until
 * `maxAttempts`.
 *
 * @internal
 */
export function repeatDelay(
  retry: RetryPolicy,
  attempt: number,
  error: ApiError,
): number | undefined {
  return attempt >= retry.maxAttempts ? undefined : retry.delayFor(1, error)
}

/** Sends, and again after an answer of `retryOn` as the policy allows (a fresh body each time). */
async function retrying(
  transport: Transport,
  request: ExchangeRequest,
  tokenHeader: WorkflowTokenHeader | undefined,
): Promise<ExchangeAnswer> {
  const retryOn = request.retryOn ?? transientStatuses
  const headers =
    tokenHeader === undefined
      ? request.headers
      : { ...request.headers, [tokenHeader]: `Bearer ${request.workflowToken?.token}` }
  for (let round = 1; ; round++) {
    const body = typeof request.body === 'string' ? request.body : await request.body()
    const secretField = secretIn(transport.secrets ?? [], { path: request.path, body })
    if (secretField !== undefined) throw new SecretInRequestError({ field: secretField })
    const answer = await resending(transport, request, headers, body)
    if (tokenHeader !== undefined) answer.workflowTokenHeader = tokenHeader
    const recovery = answer.ok ? undefined : recoveryFor(answer.error)
    const delayMs =
      answer.ok || !retryOn.includes(answer.status)
        ? undefined
        : recovery === 'retry-later'
          ? transport.retry.delayFor(round, answer.error)
          : recovery === 'new-request'
            ? repeatDelay(transport.retry, round, answer.error)
            : undefined
    transport.onAttempt?.({
      path: request.path,
      requestBody: body,
      answer,
      error: undefined,
      delayMs,
    })
    if (delayMs === undefined || answer.ok) return answer
    transport.log({
      type: 'retry',
      path: request.path,
      requestId: request.requestId ?? null,
      reason: 'retry-later',
      attempt: round,
      delayMs,
      error: answer.error.name,
    })
    await transport.retry.sleep(delayMs, request.signal)
  }
}

/** Sends `body`, and the identical bytes again after a transport failure, as the policy allows. */
async function resending(
  transport: Transport,
  request: ExchangeRequest,
  headers: Readonly<Record<string, string>> | undefined,
  body: string,
): Promise<ExchangeAnswer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(transport, request, headers, body, attempt)
    } catch (error) {
      const retryable =
        request.resend !== false &&
        error instanceof TransportError &&
        !(error instanceof RequestAbortedError)
      const delayMs = retryable ? transport.retry.delayFor(attempt, error) : undefined
      transport.onAttempt?.({
        path: request.path,
        requestBody: body,
        answer: undefined,
        error,
        delayMs,
      })
      if (delayMs === undefined) throw error
      transport.log({
        type: 'retry',
        path: request.path,
        requestId: request.requestId ?? null,
        reason: 'transport',
        attempt,
        delayMs,
        error: (error as TransportError).name,
      })
      await transport.retry.sleep(delayMs, request.signal)
    }
  }
}

async function sendOnce(
  transport: Transport,
  request: ExchangeRequest,
  headers: Readonly<Record<string, string>> | undefined,
  body: string,
  attempt: number,
): Promise<ExchangeAnswer> {
  const { clock } = transport
  const { path } = request
  const requestId = request.requestId ?? null
  const url = `${transport.baseUrl}${path}`
  const timeout = AbortSignal.timeout(transport.timeoutMs)
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
  const started = clock.now()
  const sentAt = monotonicNow(clock)
  transport.log({ type: 'request', method: 'POST', path, requestId, attempt })
  let response: Response
  let receivedAt: number
  let text = ''
  try {
    response = await transport.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      // Never followed: a redirect would carry the body, and a workflow token, to another URL.
      redirect: 'manual',
      signal,
    })
    receivedAt = monotonicNow(clock)
    transport.serverClock?.observeDate(response.headers.get('date'), sentAt, receivedAt)
    if (isRedirect(response)) await response.body?.cancel()
    else text = await readCapped(response, transport.maxResponseBytes, path)
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error
    if (request.signal?.aborted)
      throw new RequestAbortedError({ method: 'POST', url: path, cause: error })
    throw toTransportError(error, {
      method: 'POST',
      // The whole URL: a failure before any answer is most often a wrong host or port.
      url,
      signal,
      timeoutMs: transport.timeoutMs,
    })
  }
  const { status } = response
  const parsed = parseBody(text)
  const ok = status >= 200 && status < 300
  const error = ok
    ? undefined
    : parseApiError(status, isRedirect(response) ? redirectDetail(response) : parsed, {
        method: 'POST',
        url: path,
        requestId: requestId ?? undefined,
        headers: response.headers,
        now: clock.now(),
        endpoint: request.endpoint,
      })
  transport.log({
    type: 'response',
    path,
    requestId,
    status,
    errorCode: error?.errorCode ?? null,
    durationMs: clock.now() - started,
  })
  const answer = {
    status,
    headers: response.headers,
    text,
    body: parsed,
    attempts: attempt,
    sentAt,
    receivedAt,
  }
  return error === undefined ? { ...answer, ok: true } : { ...answer, ok: false, error }
}

/** A 3xx answer, or a browser's opaque answer to `redirect: 'manual'` (status 0). */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)
}

function redirectDetail(response: Response): string {
  const location = response.headers.get('location')
  return `Redirected${location ? ` to ${location}` : ''}; the client does not follow redirects (a signed request and a workflow token go to baseUrl only): set baseUrl to the URL that answers.`
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The body's text, refused past `maxBytes` (announced or read) so a server cannot fill memory. */
async function readCapped(response: Response, maxBytes: number, path: string): Promise<string> {
  const announced = Number(response.headers.get('content-length'))
  if (announced > maxBytes) {
    await response.body?.cancel()
    throw new ResponseTooLargeError({ path, maxBytes })
  }
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    bytes += value.byteLength
    if (bytes > maxBytes) {
      await reader.cancel()
      throw new ResponseTooLargeError({ path, maxBytes })
    }
    text += decoder.decode(value, { stream: true })
  }
}
