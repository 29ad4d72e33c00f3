import { BaseError } from '@agentpmt-kit/canonical-json'
import { parseRetryAfter } from '@agentpmt-kit/error-recovery'
import type { MessageSigner } from '@agentpmt-kit/message-builder'
import type {
  ProbeCheck,
  ProbeExchange,
  ProbeGuess,
  ProbePart,
  ProbeReport,
} from '../probeTypes.js'
import { formatDuration } from './duration.js'
import { asRecord, oneLine } from './json.js'

const transientStatuses = new Set([429, 502, 503, 504])
const maxAttempts = 3
const maxRetryDelayMs = 30_000
const maxAnswerBytes = 2_000_000

/** A signer of a fresh random key: probing needs no funded wallet. */
export async function throwawaySigner(): Promise<MessageSigner> {
  const [{ createViemSigner }, { generatePrivateKey, privateKeyToAccount }] = await Promise.all([
    import('@agentpmt-kit/signer-viem'),
    import('viem/accounts'),
  ])
  return createViemSigner(privateKeyToAccount(generatePrivateKey()))
}

/** The state of one probe run: what it sent and received, what it found. */
export type Probe = {
  baseUrl: string
  timeoutMs: number
  /** Called with each exchange as it completes (a `--verbose` line, a transcript). */
  onExchange: ((exchange: ProbeExchange) => void) | undefined
  onSignedMessage?: ((message: string) => void) | undefined
  signer: MessageSigner
  wallet: string
  exchanges: ProbeExchange[]
  checks: ProbeCheck[]
  guesses: ProbeGuess[]
  retries: ProbeReport['retries']
}

/** A probe of `baseUrl` that has sent nothing yet; `agentpmt conformance server` makes one too. */
export function createProbe(
  target: {
    baseUrl: string
    timeoutMs: number
    onExchange?: ((exchange: ProbeExchange) => void) | undefined
  },
  signer: MessageSigner,
): Probe {
  return {
    baseUrl: target.baseUrl,
    timeoutMs: target.timeoutMs,
    onExchange: target.onExchange,
    signer,
    wallet: signer.address.toLowerCase(),
    exchanges: [],
    checks: [],
    guesses: [],
    retries: [],
  }
}

/**
 * Sends a request, again (rebuilt by `makeBody`: a fresh request id and signature) after a 429
 * or 502-504, as the client would, honouring `Retry-After`; at most three attempts.
 */
export async function sendRetrying(
  probe: Probe,
  step: string,
  part: ProbePart,
  path: string,
  makeBody: () => Promise<string>,
): Promise<ProbeExchange> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send(probe, step, path, await makeBody())
    if (!transientStatuses.has(answer.status) || attempt === maxAttempts) return answer
    const retryAfter = parseRetryAfter(answer.headers.get('retry-after'))
    const delayMs = Math.min(retryAfter ?? 1000, maxRetryDelayMs)
    const contentType = answer.headers.get('content-type')
    probe.retries.push({ step, status: answer.status, contentType, delayMs })
    if (typeof asRecord(answer.json)?.error_code !== 'string')
      probe.guesses.push({
        part,
        field: '(error body)',
        guess: `HTTP ${answer.status} with no JSON error body (${contentType ?? 'no content-type'}): classified by its status, retried after ${delayMs} ms`,
      })
    await new Promise((resolve) => setTimeout(resolve, delayMs))
  }
}

/** One POST, no redirect followed, with a timeout; a failure to get any HTTP answer throws. */
async function send(
  probe: Probe,
  step: string,
  path: string,
  body: string,
): Promise<ProbeExchange> {
  const url = `${probe.baseUrl}${path}`
  const sentAt = Date.now()
  let response: Response
  let text: string
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(probe.timeoutMs),
    })
    text = await readCapped(response)
  } catch (cause) {
    throw new ProbeNetworkError({ url, step, timeoutMs: probe.timeoutMs, cause })
  }
  const receivedAt = Date.now()
  let json: unknown
  try {
    json = JSON.parse(text) as unknown
  } catch {
    json = undefined
  }
  const exchange: ProbeExchange = {
    step,
    path,
    requestBody: body,
    status: response.status,
    headers: response.headers,
    text,
    json,
    sentAt,
    receivedAt,
  }
  probe.exchanges.push(exchange)
  probe.onExchange?.(exchange)
  return exchange
}

/** The body as text, refusing to hold more than {@link maxAnswerBytes}. */
async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxAnswerBytes) {
      await reader.cancel()
      throw new Error(`the answer is larger than ${maxAnswerBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The probe got no HTTP answer: the connection failed, the answer was not HTTP, or it did not
 * come within the timeout.
 *
 * @example
 * ```ts
 * import { ProbeNetworkError } from '@agentpmt-kit/conformance'
 *
 * new ProbeNetworkError({ url: 'http://127.0.0.1:9/api/external/auth/session', step: 'session', timeoutMs: 15000, cause: new TypeError('fetch failed') })
 * ```
 */
export class ProbeNetworkError extends BaseError {
  override name = 'Conformance.ProbeNetworkError'
  constructor({
    url,
    step,
    timeoutMs,
    cause,
  }: {
    url: string
    step: string
    timeoutMs: number
    cause: unknown
  }) {
    super(`No HTTP answer from ${url} (${step})`, {
      details: reasonOf(cause, timeoutMs),
      docsPath: '/documents/Conformance.html',
      cause: cause instanceof Error ? cause : undefined,
    })
  }
}

/** The innermost reason fetch gives: a system code, a parser error, or the timeout. */
function reasonOf(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && cause.name === 'TimeoutError')
    return `nothing within ${formatDuration(timeoutMs)} (the request timeout)`
  // fetch's own "fetch failed" says less than what it wraps: a system code, or the innermost message.
  let current: unknown = cause
  let innermost = cause instanceof Error ? cause.message : String(cause)
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string')
      return oneLine(
        code.startsWith('HPE_') || code === 'UND_ERR_SOCKET'
          ? `the answer is not HTTP (${code})`
          : current.message.includes(code)
            ? current.message
            : `${code} ${current.message}`,
      )
    innermost = current.message
    current = current.cause
  }
  return oneLine(innermost)
}
