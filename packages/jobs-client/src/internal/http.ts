import {
  type ApiEndpoint,
  type ApiError,
  parseApiError,
  RequestAbortedError,
  recoveryFor,
  TransportError,
  toTransportError,
} from '@agentpmt-kit/error-recovery'
import { monotonicNow } from '../Clock.js'
import { ResponseTooLargeError } from '../ResponseTooLargeError.js'
import { SecretInRequestError } from '../secrets.js'
import type { ClientContext } from './context.js'
import { secretIn } from './secretIn.js'

/** One HTTP request, sent as it is on every attempt. */
export type HttpRequest = {
  path: string
  /** The exact body text; a transport retry sends these same bytes again. */
  body: string
  headers?: Readonly<Record<string, string>> | undefined
  /** The signed request id, for logs and errors; `null` for unsigned requests. */
  requestId: string | null
  signal?: AbortSignal | undefined
  /** Whether a lost connection or a timeout may be followed by sending the same bytes again. */
  resend: boolean
  /** Which endpoint, so that an error code the client does not know is classified by status. */
  endpoint: ApiEndpoint
}

/**
 * A response: `ok` with its JSON body, or the {@link ApiError} it stands for. `sentAt`: when the
 * attempt that got it was sent, on the local monotonic clock (what the server's relative times,
 * such as `expires_in`, are counted from).
 */
export type HttpResult =
  | { ok: true; status: number; body: unknown; attempts: number; sentAt: number }
  | { ok: false; status: number; error: ApiError; attempts: number; sentAt: number }

/**
 * Sends `request`, and after a transport failure (a lost connection, a timeout) the identical
 * bytes again, as the retry policy allows. A request holding one of the client's `secrets` is
 * never sent: {@link SecretInRequestError}. Returns the first response that arrives, whatever its
 * status; throws the last {@link TransportError} when none does.
 */
export async function send(context: ClientContext, request: HttpRequest): Promise<HttpResult> {
  const secretField = secretIn(context.secrets ?? [], request)
  if (secretField !== undefined) throw new SecretInRequestError({ field: secretField })
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(context, request, attempt)
    } catch (error) {
      const retryable =
        request.resend && error instanceof TransportError && !(error instanceof RequestAbortedError)
      const delayMs = retryable ? context.retry.delayFor(attempt, error) : undefined
      if (delayMs === undefined) throw error
      context.log({
        type: 'retry',
        path: request.path,
        requestId: request.requestId,
        reason: 'transport',
        attempt,
        delayMs,
        error: (error as TransportError).name,
      })
      await context.retry.sleep(delayMs, request.signal)
    }
  }
}

/**
 * {@link send} for an unsigned call. With `repeatable` (opening a session, publishing a
 * workflow: doing it twice does no harm), a 429, 500, 502, 503 or 504 answer is retried after the
 * retry policy's delay, honouring `Retry-After`. Without it (creating a workflow), only 429 and
 * 503, which say the request was not handled; a gateway's 502 or 504 may come after the server
 * did the work.
 */
export async function sendSafe(
  context: ClientContext,
  request: HttpRequest,
  { repeatable }: { repeatable: boolean },
): Promise<HttpResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await send(context, request)
    if (result.ok) return result
    const recovery = recoveryFor(result.error)
    const notHandled = result.status === 429 || result.status === 503
    const delayMs =
      recovery === 'retry-later' && (repeatable || notHandled)
        ? context.retry.delayFor(attempt, result.error)
        : recovery === 'new-request' && repeatable
          ? repeatDelay(context, attempt, result.error)
          : undefined
    if (delayMs === undefined) return result
    context.log({
      type: 'retry',
      path: request.path,
      requestId: request.requestId,
      reason: 'retry-later',
      attempt,
      delayMs,
      error: result.error.name,
    })
    await context.retry.sleep(delayMs, request.signal)
  }
}

/**
 * The wait before a call that is safe to repeat meets a 500 again (the retry policy retries a
 * 500 once, for calls that must not take effect twice): its first backoff step, until
 * `maxAttempts`.
 */
export function repeatDelay(
  context: ClientContext,
  attempt: number,
  error: ApiError,
): number | undefined {
  return attempt >= context.retry.maxAttempts ? undefined : context.retry.delayFor(1, error)
}

async function sendOnce(
  context: ClientContext,
  request: HttpRequest,
  attempt: number,
): Promise<HttpResult> {
  const url = `${context.baseUrl}${request.path}`
  const timeout = AbortSignal.timeout(context.timeoutMs)
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
  const started = context.clock.now()
  const sentAt = monotonicNow(context.clock)
  context.log({
    type: 'request',
    method: 'POST',
    path: request.path,
    requestId: request.requestId,
    attempt,
  })
  let status: number
  let body: unknown
  let headers: Headers
  try {
    const response = await context.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: request.body,
      // Never followed: a redirect would carry the body, and a workflow token, to another URL.
      redirect: 'manual',
      signal,
    })
    status = response.status
    headers = response.headers
    context.serverClock.observeDate(headers.get('date'), sentAt, monotonicNow(context.clock))
    body = isRedirect(response)
      ? await redirectDetail(response)
      : parseBody(await readCapped(response, context.maxResponseBytes, request.path))
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error
    if (request.signal?.aborted)
      throw new RequestAbortedError({ method: 'POST', url: request.path, cause: error })
    throw toTransportError(error, {
      method: 'POST',
      // The whole URL: a failure before any answer is most often a wrong host or port.
      url,
      signal,
      timeoutMs: context.timeoutMs,
    })
  }
  const ok = status >= 200 && status < 300
  const error = ok
    ? undefined
    : parseApiError(status, body, {
        method: 'POST',
        url: request.path,
        requestId: request.requestId ?? undefined,
        headers,
        now: context.clock.now(),
        endpoint: request.endpoint,
      })
  context.log({
    type: 'response',
    path: request.path,
    requestId: request.requestId,
    status,
    errorCode: error?.errorCode ?? null,
    durationMs: context.clock.now() - started,
  })
  return error === undefined
    ? { ok: true, status, body, attempts: attempt, sentAt }
    : { ok: false, status, error, attempts: attempt, sentAt }
}

/** A 3xx answer, or a browser's opaque answer to `redirect: 'manual'` (status 0). */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)
}

async function redirectDetail(response: Response): Promise<string> {
  await response.body?.cancel()
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
