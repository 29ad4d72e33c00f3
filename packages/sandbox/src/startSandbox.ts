import type { AddressInfo } from 'node:net'
import { type HttpBindings, serve } from '@hono/node-server'
import { createSandboxApp, dropMarker, type SandboxControls } from './createSandboxApp.js'
import type { SandboxOptions } from './options.js'

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
  /** Stops listening and closes every open connection. */
  close(): Promise<void>
}

/**
 * Starts the sandbox on a loopback port (any free one by default) and resolves once it listens.
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
  const { port = 0, host = '127.0.0.1', ...appOptions } = options
  const sandbox = createSandboxApp(appOptions)
  const { app } = sandbox
  let listening: (info: AddressInfo) => void = () => {}
  const ready = new Promise<AddressInfo>((resolve) => {
    listening = resolve
  })
  const server = serve(
    {
      hostname: host,
      port,
      async fetch(request, env) {
        const response = await app.fetch(request, env)
        if (response.headers.has(dropMarker)) {
          // The work is done; the client never learns it.
          ;(env as HttpBindings).incoming.socket.destroy()
        }
        return response
      },
    },
    listening,
  )
  if ('keepAliveTimeout' in server) {
    // Node's 5 s default lets an idle keep-alive socket close just as a client reuses it (a
    // spurious ECONNRESET); clients keep sockets idle longer than that between steps of a job.
    server.keepAliveTimeout = 65_000
    server.headersTimeout = 66_000
  }
  const failed = new Promise<never>((_, reject) => server.once('error', reject))
  const info = await Promise.race([ready, failed])
  const urlHost = host.includes(':') ? `[${host}]` : host
  const url = `http://${urlHost}:${info.port}`
  return {
    ...omitFetch(sandbox),
    url,
    port: info.port,
    fetch: (input, init) => fetch(new URL(input, url), init),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeAllConnections' in server) server.closeAllConnections()
      }),
  }
}

function omitFetch({
  fetch: _,
  app: __,
  ...controls
}: ReturnType<typeof createSandboxApp>): SandboxControls {
  return controls
}
