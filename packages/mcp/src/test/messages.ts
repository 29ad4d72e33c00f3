/**
 * The request a host opens an MCP session with, as the stdio tests write it (one JSON-RPC
 * message a line); the CLI's `agentpmt mcp` tests send it too.
 *
 * @example
 * ```ts
 * import { initializeRequest } from './messages.js'
 *
 * const line = `${JSON.stringify(initializeRequest)}\n`
 * ```
 */
export const initializeRequest = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'host', version: '1' },
  },
} as const
