import type { AddressInfo } from 'node:net'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { type HttpBindings, serve } from '@hono/node-server'
import {
  type createSandboxApp,
  dropMarker,
  type SandboxControls,
  sandboxApp,
} from './createSandboxApp.js'
import { createRecoveryPool } from './internal/recoveryPool.js'
import { type SandboxOptions, sandboxDefaults } from './options.js'

/**
 * A running sandbox: its base URL, a `fetch` bound to it, the controls of the app, and `close`.
 *
 * @example
 * ```ts
 * import { startSandbox } from '@agentpmt-kit/sandbox'
 *
 * const sandbox = await startSandbox()
 * sandbox.url // 'http://127.0.0.1:54321'
 * await sandbox.close()
 * ```
 */
export type RunningSandbox = SandboxControls & {
  /** Base URL, e.g. `http://127.0.0.1:54321`, without a trailing slash. */
  url: string
  port: number
  /** `fetch` against the sandbox: a path is resolved against `url`. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
  /** Stops listening, closes every open connection and stops the signature workers. */
  close(): Promise<void>
}

/**
 * Starts the sandbox on a loopback port (any free one by default) and resolves once it listens.
 * A port another process holds rejects with {@link PortInUseError}. Connections are kept in
 * hand: headers within `headersTimeoutMs`, the whole request within `requestTimeoutMs`, at most
 * `maxConnections` open (see the sandbox guide, "Limits and load").
 *
 * @example
 * ```ts
 * import { startSandbox } from '@agentpmt-kit/sandbox'
 *
 * const sandbox = await startSandbox({ port: 0, verificationDelayMs: 100 })
 * const response = await sandbox.fetch('/api/external/auth/session', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ wallet_address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' }),
 * })
 * await sandbox.close()
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const {
    port = 0,
    host = '127.0.0.1',
    headersTimeoutMs = sandboxDefaults.headersTimeoutMs,
    requestTimeoutMs = sandboxDefaults.requestTimeoutMs,
    maxConnections = sandboxDefaults.maxConnections,
    signatureWorkers = sandboxDefaults.signatureWorkers,
    ...appOptions
  } = options
  const pool = signatureWorkers > 0 ? createRecoveryPool(signatureWorkers) : undefined
  // Two checks per worker at once: each worker has the next signature in hand while the event
  // loop answers the request before.
  const sandbox = sandboxApp(
    appOptions,
    pool ? { recover: pool.recover, concurrency: 2 * signatureWorkers } : { concurrency: 1 },
  )
  const { app } = sandbox
  let listening: (info: AddressInfo) => void = () => {}
  const ready = new Promise<AddressInfo>((resolve) => {
    listening = resolve
  })
  const server = serve(
    {
      hostname: host,
      port,
      serverOptions: {
        // Node checks these deadlines on a timer, every 30 s unless told otherwise: a client
        // sending its headers or body a byte at a time is cut off (408) near its deadline.
        headersTimeout: headersTimeoutMs,
        requestTimeout: Math.max(requestTimeoutMs, headersTimeoutMs),
        connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
        // Node's 5 s default lets an idle keep-alive socket close just as a client reuses it (a
        // spurious ECONNRESET); clients keep sockets idle longer than that between steps of a
        // job. An idle socket is not a request in progress: the deadlines above do not apply.
        keepAliveTimeout: 65_000,
      },
      async fetch(request, env) {
        const response = await app.fetch(request, env)
        const { incoming, outgoing } = env as HttpBindings
        if (response.headers.has(dropMarker)) {
          // The work is done; the client never learns it.
          incoming.socket.destroy()
        } else if (!incoming.complete) {
          // Answered before the body was all read (shed, too large, an injected fault): the
          // connection closes once the answer is written, instead of reading on what may be a
          // gigabyte on its way, or waiting for a body that comes slowly or never.
          outgoing.setHeader('connection', 'close')
        }
        return response
      },
    },
    listening,
  )
  // Set whatever the runtime: on Node 20 the property does not exist until assigned.
  server.maxConnections = maxConnections
  const failed = new Promise<never>((_, reject) =>
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port, error) : error),
    ),
  )
  const info = await Promise.race([ready, failed])
  const urlHost = host.includes(':') ? `[${host}]` : host
  const url = `http://${urlHost}:${info.port}`
  return {
    ...omitFetch(sandbox),
    stats: () => ({ ...sandbox.stats(), recoveredOnWorkers: pool?.recoveredOnWorkers ?? 0 }),
    url,
    port: info.port,
    fetch: (input, init) => fetch(new URL(input, url), init),
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      await Promise.all([closed, pool?.close()])
    },
  }
}

function omitFetch({
  fetch: _,
  app: __,
  ...controls
}: ReturnType<typeof createSandboxApp>): SandboxControls {
  return controls
}

/**
 * The port asked for is taken by another process; `--port 0` (or `port: 0`) picks a free one.
 *
 * @example
 * ```ts
 * import { PortInUseError, startSandbox } from '@agentpmt-kit/sandbox'
 *
 * try {
 *   await startSandbox({ port: 8787 })
 * } catch (error) {
 *   if (error instanceof PortInUseError) await startSandbox({ port: 0 })
 * }
 * ```
 */
export class PortInUseError extends BaseError {
  override name = 'Sandbox.PortInUseError'
  readonly port: number
  constructor(host: string, port: number, cause: Error) {
    super(`Port ${port} on ${host} is already in use.`, {
      cause,
      details: 'Stop the other server, pick another port, or use port 0 for any free one.',
      docsPath: '/documents/Sandbox.html#start-it',
    })
    this.port = port
  }
}
