import { BaseError } from '@agentpmt-kit/canonical-json'
import { TimeoutError, TransportError } from '@agentpmt-kit/error-recovery'
import {
  type ExchangeAnswer,
  type ExchangeRequest,
  exchange,
  systemClock,
} from '@agentpmt-kit/jobs-client'
import type { MessageSigner } from '@agentpmt-kit/message-builder'
import type {
  ProbeCheck,
  ProbeExchange,
  ProbeGuess,
  ProbePart,
  ProbeReport,
} from '../probeTypes.js'
import { formatDuration } from './duration.js'
import { asRecord, oneLine, parseJson } from './json.js'

/** The probe's times are the local wall clock's, to compare with the server's `Date` headers. */
const wallClock = { ...systemClock, monotonic: undefined }

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
 * Sends a request through jobs-client's `exchange`, as the client sends its own: again (rebuilt
 * by `makeBody`: a fresh request id and signature) after a 429 or 502-504 as the client's retry
 * policy allows, honouring `Retry-After`; never re-sent after a lost connection or a timeout
 * (a request without an answer ends the probe: {@link ProbeNetworkError}). Every answer is
 * recorded, each retried one too.
 */
export async function sendRetrying(
  probe: Probe,
  step: string,
  part: ProbePart,
  path: string,
  makeBody: () => Promise<string>,
  workflowToken?: ExchangeRequest['workflowToken'],
): Promise<ProbeExchange> {
  let last: ProbeExchange | undefined
  try {
    await exchange(
      { path, body: makeBody, workflowToken, resend: false },
      {
        baseUrl: probe.baseUrl,
        timeoutMs: probe.timeoutMs,
        clock: wallClock,
        onAttempt: ({ answer, requestBody, delayMs }) => {
          if (answer === undefined) return
          last = record(probe, step, path, requestBody, answer)
          if (delayMs !== undefined) noteRetry(probe, part, last, delayMs)
        },
      },
    )
  } catch (cause) {
    throw new ProbeNetworkError({
      url: `${probe.baseUrl}${path}`,
      step,
      timeoutMs: probe.timeoutMs,
      cause,
    })
  }
  // exchange returns the last answer, recorded by its last attempt.
  return last as ProbeExchange
}

function record(
  probe: Probe,
  step: string,
  path: string,
  requestBody: string,
  answer: ExchangeAnswer,
): ProbeExchange {
  const exchange: ProbeExchange = {
    step,
    path,
    requestBody,
    status: answer.status,
    headers: answer.headers,
    text: answer.text,
    json: parseJson(answer.text),
    sentAt: answer.sentAt,
    receivedAt: answer.receivedAt,
    workflowTokenHeader: answer.workflowTokenHeader,
  }
  probe.exchanges.push(exchange)
  probe.onExchange?.(exchange)
  return exchange
}

/** A transient answer retried: its delay, and a guess when it has no JSON error body. */
function noteRetry(probe: Probe, part: ProbePart, answer: ProbeExchange, delayMs: number): void {
  const contentType = answer.headers.get('content-type')
  probe.retries.push({ step: answer.step, status: answer.status, contentType, delayMs })
  if (typeof asRecord(answer.json)?.error_code !== 'string')
    probe.guesses.push({
      part,
      field: '(error body)',
      guess: `HTTP ${answer.status} with no JSON error body (${contentType ?? 'no content-type'}): classified by its status, retried after ${delayMs} ms`,
    })
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
  if (cause instanceof TimeoutError)
    return `nothing within ${formatDuration(timeoutMs)} (the request timeout)`
  // fetch's own "fetch failed" says less than what it wraps: a system code, or the innermost message.
  let current: unknown = cause instanceof TransportError ? cause.cause : cause
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
