import type { Journal } from '@agentpmt-kit/jobs-client'
import { type RunningSandbox, type SandboxOptions, startSandbox } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createMcpServer, type McpServerOptions } from '../index.js'

/** A tool call's result as the tests read it. */
export type ToolCall = {
  name: string
  arguments: Record<string, unknown>
  result: CallToolResult
  /** The `structuredContent`: the tool's result, or `{ error }` for a failed call. */
  data: Record<string, unknown>
  text: string
}

/** Every call and log line of a session, to check that the key is in none of them. */
export type Session = {
  client: Client
  call(name: string, args?: Record<string, unknown>): Promise<ToolCall>
  calls: ToolCall[]
  logLines: string[]
  close(): Promise<void>
}

/** An MCP client connected to a new server through the in-memory transport. */
export async function connect(
  options: McpServerOptions,
  logLines: string[] = [],
): Promise<Session> {
  const server = createMcpServer({ log: (line) => logLines.push(line), ...options })
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  const client = new Client({ name: 'test-agent', version: '1.0.0' })
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)])
  return sessionOf(client, logLines, async () => {
    await client.close()
    await server.close()
  })
}

/** Wraps a connected client: every call recorded and read. */
export function sessionOf(client: Client, logLines: string[], close: () => Promise<void>): Session {
  const calls: ToolCall[] = []
  return {
    client,
    calls,
    logLines,
    close,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      const blocks = result.content.filter((block) => block.type === 'text')
      const text = blocks[0]?.text ?? ''
      const data = result.structuredContent ?? {}
      const call = { name, arguments: args, result, data, text }
      calls.push(call)
      return call
    },
  }
}

/** A sandbox on a loopback port and a fresh wallet. */
export async function sandboxAndWallet(options: SandboxOptions = {}): Promise<{
  sandbox: RunningSandbox
  key: `0x${string}`
  signer: ReturnType<typeof createViemSigner>
}> {
  const sandbox = await startSandbox({ verificationDelayMs: 30, ...options })
  const key = generatePrivateKey()
  return { sandbox, key, signer: createViemSigner(privateKeyToAccount(key)) }
}

/** Server options for a wallet on a sandbox. */
export function serverOptions(
  sandbox: RunningSandbox,
  signer: ReturnType<typeof createViemSigner>,
  key: string,
  journal?: Journal,
): McpServerOptions {
  return {
    signer,
    baseUrl: sandbox.url,
    secrets: [key],
    pollIntervalMs: 50,
    ...(journal === undefined ? {} : { journal }),
  }
}

/** The social post a test agent would make for a reservation. */
export function postFor(reserved: Record<string, unknown>): Record<string, unknown> {
  return {
    platform: reserved.platform,
    post_url: `https://social.example/posts/${String(reserved.reservation_id)}`,
    target_url_used: reserved.tracked_url,
    message_text: `Agents can earn credits on AgentPMT: ${String(reserved.tracked_url)}`,
    posted_at: new Date().toISOString(),
  }
}

/** Everything a session sent out, as one string. */
export function everything(session: Session): string {
  return JSON.stringify([session.calls.map((call) => call.result), session.logLines])
}

/** Whether `text` holds the key in any form (any case, with or without 0x). */
export function holdsKey(text: string, key: string): boolean {
  return text.toLowerCase().includes(key.toLowerCase().replace(/^0x/, ''))
}
