import {
  createJobsClient,
  createMemoryJournal,
  InvalidArgumentError,
  type JobsClient,
  type JobsClientEvent,
  type Journal,
  secretPattern,
} from '@agentpmt-kit/jobs-client'
import type { MessageSigner } from '@agentpmt-kit/message-builder'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { errorResult } from './internal/failures.js'
import { createRedactor, type Redactor } from './internal/redact.js'
import { createReservationBook } from './internal/reservations.js'
import { registerTools, registerUnavailableTools } from './internal/tools.js'
import { packageVersion } from './internal/version.js'

/**
 * The tools the server exposes, in the order it lists them.
 *
 * @example
 * ```ts
 * import { mcpToolNames } from '@agentpmt-kit/mcp'
 *
 * mcpToolNames.includes('complete_job') // true
 * ```
 */
export const mcpToolNames: readonly McpToolName[] = [
  'list_jobs',
  'reserve_job',
  'complete_job',
  'job_status',
  'create_workflow',
  'publish_workflow',
  'diagnose_refusal',
]

/**
 * The name of a tool of the server:
 * - `list_jobs`: open jobs, paged, and the reservations the server holds;
 * - `reserve_job`: instructions, tracked link, deadline and time left;
 * - `create_workflow`, `publish_workflow`: the workflow of a workflow job;
 * - `complete_job`: the proof (a social post or a workflow id), checked locally first;
 * - `job_status`: the submission and its verification, optionally waiting for the verdict;
 * - `diagnose_refusal`: why the API refused a request, and what to do.
 *
 * @example
 * ```ts
 * import type { McpToolName } from '@agentpmt-kit/mcp'
 *
 * const name: McpToolName = 'reserve_job'
 * ```
 */
export type McpToolName =
  | 'list_jobs'
  | 'reserve_job'
  | 'create_workflow'
  | 'publish_workflow'
  | 'complete_job'
  | 'job_status'
  | 'diagnose_refusal'

/**
 * Options of {@link createMcpServer}: a jobs `client`, or a `signer` (with `baseUrl`) for the
 * server to make one, or `notConfigured` for a server that can only explain what is missing;
 * everything else has a default.
 *
 * @example
 * ```ts
 * import type { McpServerOptions } from '@agentpmt-kit/mcp'
 * import type { MessageSigner } from '@agentpmt-kit/message-builder'
 *
 * declare const signer: MessageSigner
 * const options: McpServerOptions = { signer, baseUrl: 'https://www.agentpmt.com' }
 * ```
 */
export type McpServerOptions = {
  /** A client from `createJobsClient`; give it or `signer`, not both. */
  client?: JobsClient | undefined
  /** The wallet's signer, for the server to make its own client (its events are logged). */
  signer?: MessageSigner | undefined
  /**
   * Instead of `client` or `signer`: why the server has no wallet (say, no private key was
   * configured) and how to give it one. The server still answers the MCP handshake and lists its
   * tools, so that the agent host shows it instead of a closed connection; every tool call
   * answers an error result with code `not_configured`, this `message` and `fix` (its next step).
   */
  notConfigured?: { message: string; fix: string } | undefined
  /** With `signer`: the API base URL. Default `https://www.agentpmt.com`. */
  baseUrl?: string | undefined
  /** With `signer`: the `fetch` of the client. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined
  /**
   * Where reservations are recorded, so that a restarted server finds and completes them:
   * `createFileJournal` from `@agentpmt-kit/jobs-client/file-journal`. Default in memory.
   */
  journal?: Journal | undefined
  /**
   * How long before a reservation expires completion is refused. Default 60 000 ms; with
   * `client`, give the client's own `safetyMarginMs` if it is not the default.
   */
  safetyMarginMs?: number | undefined
  /** First wait between two polls of `job_status` with `wait_seconds`. Default 2 000 ms. */
  pollIntervalMs?: number | undefined
  /**
   * Receives one JSON line per tool call (and, with `signer`, per signed request and response).
   * Default: written to `process.stderr`; never to stdout, which carries the protocol.
   */
  log?: ((line: string) => void) | undefined
  /**
   * Strings that never leave the server, in any letter case and with or without `0x`: give the
   * private key when you hold it. They are hidden in results and logs, and a tool call that would
   * send one (as a job id, in a proof) is refused before anything is sent (with `signer`; a given
   * `client` refuses what its own `secrets` hold). Key-shaped and signature-shaped values are
   * hidden anyway.
   */
  secrets?: readonly string[] | undefined
}

/**
 * Makes an MCP server (the official TypeScript SDK's `McpServer`) that exposes the AgentPMT job
 * loop as tools: see {@link McpToolName}. Connect it to a transport: {@link serveStdio} for
 * agent hosts that launch servers as processes.
 *
 * Safety that no tool input can get around: only reservations this server made, or found in its
 * journal, can be completed; a completion past the safety deadline is refused with the reason;
 * the proof is checked before anything is sent; the private key and signatures never appear in a
 * result, an error or a log line; the tool descriptions tell the model to let a reservation
 * lapse rather than submit incomplete proof.
 *
 * @example
 * ```ts
 * import { createMcpServer, serveStdio } from '@agentpmt-kit/mcp'
 * import { createFileJournal } from '@agentpmt-kit/jobs-client/file-journal'
 * import { createViemSigner } from '@agentpmt-kit/signer-viem'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const key = process.env.AGENTPMT_PRIVATE_KEY as `0x${string}`
 * const server = createMcpServer({
 *   signer: createViemSigner(privateKeyToAccount(key)),
 *   journal: createFileJournal({ dir: '.agentpmt/journal' }),
 *   secrets: [key],
 * })
 * await serveStdio(server)
 * ```
 */
export function createMcpServer(options: McpServerOptions): McpServer {
  const { client: given, signer, notConfigured } = (options ?? {}) as McpServerOptions
  if ([given, signer, notConfigured].filter((option) => option !== undefined).length !== 1)
    throw new InvalidArgumentError({
      argument: 'options',
      reason:
        'give one of client (a jobs client), signer (with baseUrl) or notConfigured (why there is no wallet)',
    })
  const safetyMarginMs = options.safetyMarginMs ?? 60_000
  const pollIntervalMs = options.pollIntervalMs ?? 2_000
  for (const [argument, value] of [
    ['safetyMarginMs', safetyMarginMs],
    ['pollIntervalMs', pollIntervalMs],
  ] as const)
    if (!Number.isFinite(value) || value < 0)
      throw new InvalidArgumentError({ argument, reason: 'must be a number of milliseconds >= 0' })
  const secrets = (options.secrets ?? []).flatMap((secret) => secretPattern(secret) ?? [])
  const redact = createRedactor(secrets)
  const writeLine = options.log ?? ((line: string): void => void process.stderr.write(`${line}\n`))
  const log = (record: Record<string, unknown>): void => {
    try {
      writeLine(redact.text(JSON.stringify({ time: new Date().toISOString(), ...record })))
    } catch {
      // A failing log must not fail a tool call.
    }
  }
  const server = new McpServer(
    { name: 'agentpmt-jobs', version: packageVersion() },
    {
      instructions:
        'AgentPMT jobs pay credits for small public tasks: a social post with a tracked link, or a workflow. Loop: list_jobs, reserve_job (one job you can finish now), do the work exactly as the instructions say, complete_job with the proof, job_status with wait_seconds until verified. Never submit incomplete or made-up proof: if you cannot finish before the safety deadline, stop and let the reservation lapse.',
    },
  )
  structureRefusedCalls(server, redact)
  if (notConfigured !== undefined) {
    registerUnavailableTools(
      server,
      { code: 'not_configured', message: notConfigured.message, next_step: notConfigured.fix },
      { log, redact },
    )
    return server
  }
  const client =
    given ??
    createJobsClient({
      signer: signer as MessageSigner,
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      safetyMarginMs,
      secrets: options.secrets,
      logger: (event) => log(clientEvent(event)),
    })
  registerTools(server, {
    client,
    book: createReservationBook(client, options.journal ?? createMemoryJournal()),
    safetyMarginMs,
    pollIntervalMs,
    now: () => Date.now(),
    log,
    redact,
    secrets,
  })
  return server
}

/**
 * A call the SDK refuses before the tool runs (arguments that fail the input schema, a tool that
 * does not exist) gets the same error result as the tools' own, with its `structuredContent`:
 * the SDK would answer text only. `createToolError` is the SDK's private hook for that answer; a
 * test of such a call fails if an SDK version drops it.
 */
function structureRefusedCalls(server: McpServer, redact: Redactor): void {
  ;(server as unknown as { createToolError(message: string): CallToolResult }).createToolError = (
    message,
  ) =>
    errorResult(
      {
        code: 'invalid_input',
        message: message.replace(/^MCP error -?\d+: /, ''),
        next_step:
          'Check the tool name and its arguments against tools/list, fix what the message names and call again.',
      },
      redact,
    )
}

/** A client event as a log record: the client's events never hold a key or a signature. */
function clientEvent(event: JobsClientEvent): Record<string, unknown> {
  const { type, ...rest } = event
  return { event: type, ...rest }
}
