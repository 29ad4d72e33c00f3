import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { LineTransport } from './internal/lineTransport.js'

/**
 * Options of {@link serveStdio}: the streams to use instead of the process's.
 *
 * @example
 * ```ts
 * import type { ServeStdioOptions } from '@agentpmt-kit/mcp'
 *
 * const options: ServeStdioOptions = { stdin: process.stdin, stdout: process.stdout }
 * ```
 */
export type ServeStdioOptions = {
  /** Where requests come from. Default `process.stdin`. */
  stdin?: NodeJS.ReadableStream | undefined
  /** Where answers go (protocol messages only: logs go to stderr). Default `process.stdout`. */
  stdout?: NodeJS.WritableStream | undefined
  /**
   * Longest message line read, in bytes; a longer one is skipped as it streams in and answered
   * with a JSON-RPC Invalid Request error, and the lines after it are served. Default 10 MiB.
   */
  maxMessageBytes?: number | undefined
}

/**
 * A server connected to stdio by {@link serveStdio}: `closed` resolves once stdin ends or
 * `close()` is called.
 *
 * @example
 * ```ts
 * import type { StdioServing } from '@agentpmt-kit/mcp'
 *
 * declare const serving: StdioServing
 * await serving.closed
 * ```
 */
export type StdioServing = {
  /** Resolves when the connection is over: stdin ended, or `close()` was called. */
  readonly closed: Promise<void>
  /** Closes the server and its transport. */
  close(): Promise<void>
}

/**
 * Connects a server to stdin and stdout, the transport agent hosts use when they launch a
 * server as a process: one JSON-RPC message per line. A line that is too long
 * (`maxMessageBytes`), not JSON or not a JSON-RPC message is answered with a JSON-RPC error and
 * the next lines are served. The connection ends when stdin ends (the host went away).
 *
 * @example
 * ```ts
 * import { createMcpServer, serveStdio } from '@agentpmt-kit/mcp'
 * import type { JobsClient } from '@agentpmt-kit/jobs-client'
 *
 * declare const client: JobsClient
 * const serving = await serveStdio(createMcpServer({ client }))
 * await serving.closed
 * ```
 */
export async function serveStdio(
  server: McpServer,
  options: ServeStdioOptions = {},
): Promise<StdioServing> {
  const stdin = (options.stdin ?? process.stdin) as NodeJS.ReadableStream
  const transport = new LineTransport(
    stdin,
    options.stdout ?? process.stdout,
    options.maxMessageBytes ?? 10 * 1024 * 1024,
  )
  let resolveClosed: () => void = () => {}
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve
  })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= server
      .close()
      .catch(() => {})
      .finally(() => {
        stdin.off('end', onEnd)
        stdin.off('close', onEnd)
        resolveClosed()
      })
    return closing
  }
  const onEnd = (): void => void close()
  stdin.once('end', onEnd)
  stdin.once('close', onEnd)
  await server.connect(transport)
  return { closed, close }
}
