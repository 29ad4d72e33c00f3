import { canonicalize } from '@agentpmt-kit/canonical-json'
import type { JobsClientEvent, JobsClientLogger } from '@agentpmt-kit/jobs-client'
import { type MessageSigner, payloadOf } from '@agentpmt-kit/message-builder'
import { shorten } from './output.js'

/**
 * One thing that happened on the wire, in order: a message signed (its exact lines), a request
 * answered (status, error code, time), a retry or a recovery.
 *
 * @example
 * ```ts
 * import type { TraceEvent } from './trace.js'
 *
 * const event: TraceEvent = { type: 'signed', message: 'agentpmt-external\n...', payloadHash: 'ab', payload: '{}' }
 * ```
 */
export type TraceEvent =
  | { type: 'signed'; message: string; payloadHash: string; payload: string | undefined }
  | { type: 'http'; path: string; status: number; errorCode: string | null; durationMs: number }
  | { type: 'retry'; path: string; delayMs: number; error: string }
  | { type: 'recovery'; path: string; recovery: string; errorCode: string | null }

/**
 * Watches a jobs client without changing what it does: wraps the signer to see each message
 * before it is signed, wraps `fetch` to see the body that was hashed (the envelope, signature
 * included, is never recorded), and gives the client's `logger` hook. A signed message is
 * reported when its request leaves, with the canonical payload it hashes. Every event goes to
 * `listener` and is kept in `events`.
 *
 * @example
 * ```ts
 * import { createTrace } from './trace.js'
 *
 * declare const signer: import('@agentpmt-kit/message-builder').MessageSigner
 * const trace = createTrace(signer, (event) => console.log(event.type))
 * // createJobsClient({ signer: trace.signer, logger: trace.logger, fetch: trace.fetch })
 * ```
 */
export function createTrace(
  signer: MessageSigner,
  listener: (event: TraceEvent) => void,
  fetch: typeof globalThis.fetch = globalThis.fetch,
): {
  signer: MessageSigner
  logger: JobsClientLogger
  fetch: typeof globalThis.fetch
  events: TraceEvent[]
} {
  const events: TraceEvent[] = []
  const emit = (event: TraceEvent): void => {
    events.push(event)
    listener(event)
  }
  const messages = new Map<string, string>()
  const traced: MessageSigner = {
    address: signer.address,
    signMessage(message) {
      const request = /^request:(.*)$/m.exec(message)?.[1]
      if (request !== undefined) messages.set(request, message)
      return signer.signMessage(message)
    },
  }
  const tracedFetch: typeof globalThis.fetch = (input, init) => {
    const signed = signedBody(init?.body)
    const message = signed && messages.get(signed.requestId)
    if (signed && message !== undefined) {
      messages.delete(signed.requestId)
      emit({
        type: 'signed',
        message,
        payloadHash: message.slice(message.lastIndexOf(':') + 1),
        payload: signed.payload,
      })
    }
    return fetch(input, init)
  }
  const logger: JobsClientLogger = (event: JobsClientEvent) => {
    if (event.type === 'response')
      emit({
        type: 'http',
        path: event.path,
        status: event.status,
        errorCode: event.errorCode,
        durationMs: event.durationMs,
      })
    else if (event.type === 'retry')
      emit({ type: 'retry', path: event.path, delayMs: event.delayMs, error: event.error })
    else if (event.type === 'recovery')
      emit({
        type: 'recovery',
        path: event.path,
        recovery: event.recovery,
        errorCode: event.errorCode,
      })
  }
  return { signer: traced, logger, fetch: tracedFetch, events }
}

/** The request id and canonical payload of a signed JSON body; `undefined` for other bodies. */
function signedBody(body: unknown): { requestId: string; payload: string | undefined } | undefined {
  if (typeof body !== 'string') return undefined
  try {
    const value = JSON.parse(body) as Record<string, unknown>
    if (typeof value?.request_id !== 'string') return undefined
    return { requestId: value.request_id, payload: canonicalize(payloadOf(value)) }
  } catch {
    return undefined
  }
}

/**
 * The readable lines of a trace event, indented for a step.
 *
 * @example
 * ```ts
 * import { traceLines } from './trace.js'
 *
 * traceLines({ type: 'http', path: '/api/external/jobs/list', status: 200, errorCode: null, durationMs: 4 })
 * // ['   POST /api/external/jobs/list -> 200 (4 ms)']
 * ```
 */
export function traceLines(event: TraceEvent): string[] {
  switch (event.type) {
    case 'signed':
      return [
        '   signed message:',
        ...event.message.split('\n').map((line) => `   | ${line}`),
        event.payloadHash === ''
          ? '   payload: none (empty line)'
          : `   payload hash = sha256(${shorten(event.payload ?? '?', 120)})`,
      ]
    case 'http':
      return [
        `   POST ${event.path} -> ${event.status}${event.errorCode ? ` ${event.errorCode}` : ''} (${Math.round(event.durationMs)} ms)`,
      ]
    case 'retry':
      return [`   retry ${event.path} in ${event.delayMs} ms after ${event.error}`]
    case 'recovery':
      return [
        `   recovery ${event.recovery} on ${event.path}${event.errorCode ? ` (${event.errorCode})` : ''}`,
      ]
  }
}
