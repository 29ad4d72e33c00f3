import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSandboxApp, type SandboxApp, type SandboxAppOptions } from '@agentpmt-kit/sandbox'
import { asRecord } from './internal/json.js'

/**
 * One request a client sent and what became of it, as `agentpmt conformance client` saw it on the
 * wire. Times are milliseconds since the epoch, on the sandbox's clock.
 *
 * @example
 * ```ts
 * import type { Exchange } from '@agentpmt-kit/conformance'
 *
 * declare const exchanges: readonly Exchange[]
 * exchanges.filter((exchange) => exchange.status === 'dropped')
 * ```
 */
export type Exchange = {
  path: string
  /** The body exactly as sent. */
  text: string
  /** The body as a JSON object, when it is one. */
  body: Record<string, unknown> | undefined
  sentAt: number
  answeredAt: number
  /** The answer's status, or `dropped` when the connection was closed without one. */
  status: number | 'dropped'
  errorCode: string | undefined
  retryAfterSeconds: number | undefined
  /** The answer as a JSON object, when it is one. */
  answer: Record<string, unknown> | undefined
}

/**
 * A sandbox on a loopback port that records every exchange.
 *
 * @example
 * ```ts
 * import { startRecordedSandbox } from '@agentpmt-kit/conformance'
 *
 * const recorded = await startRecordedSandbox({ verificationDelayMs: 100 })
 * recorded.exchanges // filled as requests arrive
 * await recorded.close()
 * ```
 */
export type RecordedSandbox = {
  url: string
  sandbox: SandboxApp
  exchanges: Exchange[]
  close(): Promise<void>
}

// A client's request bodies are small; anything larger is cut off (the sandbox refuses it anyway).
const maxBodyBytes = 1024 * 1024

/**
 * Starts the sandbox app with `options` behind a recording HTTP server on 127.0.0.1 (a free
 * port). A `drop` fault closes the client's connection after the sandbox did the work.
 *
 * @example
 * ```ts
 * import { startRecordedSandbox } from '@agentpmt-kit/conformance'
 *
 * const { url, close } = await startRecordedSandbox({ faults: [{ route: 'complete', drop: true, times: 1 }] })
 * ```
 */
export async function startRecordedSandbox(options: SandboxAppOptions): Promise<RecordedSandbox> {
  const sandbox = createSandboxApp(options)
  const exchanges: Exchange[] = []
  const server = createServer(async (incoming, outgoing) => {
    const sentAt = sandbox.clock.now()
    const text = await readBody(incoming)
    const path = incoming.url ?? '/'
    const exchange: Exchange = {
      path,
      text,
      body: jsonObject(text),
      sentAt,
      answeredAt: sentAt,
      status: 'dropped',
      errorCode: undefined,
      retryAfterSeconds: undefined,
      answer: undefined,
    }
    exchanges.push(exchange)
    let response: Response
    try {
      response = await sandbox.fetch(path, {
        method: incoming.method ?? 'POST',
        headers: forwardedHeaders(incoming),
        ...(incoming.method === 'GET' || incoming.method === 'HEAD' ? {} : { body: text }),
      })
    } catch {
      // The sandbox dropped the connection: the work was done, the client never learns it.
      exchange.answeredAt = sandbox.clock.now()
      incoming.socket.destroy()
      return
    }
    const answerText = await response.text()
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN)
    Object.assign(exchange, {
      answeredAt: sandbox.clock.now(),
      status: response.status,
      answer: jsonObject(answerText),
      retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
    })
    const code = exchange.answer?.error_code
    exchange.errorCode = typeof code === 'string' ? code : undefined
    outgoing.writeHead(response.status, Object.fromEntries(response.headers))
    outgoing.end(answerText)
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    sandbox,
    exchanges,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed())
        server.closeAllConnections()
      }),
  }
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length
    if (size <= maxBodyBytes) chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The headers the API reads: content type and the workflow token. */
function forwardedHeaders(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const name of ['content-type', 'x-job-workflow-token', 'authorization']) {
    const value = incoming.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  return headers
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(text))
  } catch {
    return undefined
  }
}
