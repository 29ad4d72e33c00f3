import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Journal } from '@agentpmt-kit/jobs-client'
import type { createMcpServer } from '@agentpmt-kit/mcp'
import type { MessageSigner } from '@agentpmt-kit/message-builder'
import { type Command, InvalidArgumentError } from 'commander'
import type { Context } from '../context.js'
import { ExitError, errorClassOf, exitCodes } from '../exit.js'
import { InputError } from '../input.js'
import { privateKeyVariable, signerFromEnv } from '../key.js'
import { errorLine } from '../output.js'
import { journalDirOf, prepareStateDir, stateDirOf } from '../state.js'
import { defaultBaseUrl } from './jobs/client.js'
import { commandSummaries } from './summaries.js'

type McpCommandOptions = {
  baseUrl?: string
  sandbox?: boolean
  /** The state folder; `false` with `--no-state`. */
  state?: string | false
}

/**
 * The absolute path of the built `agentpmt` bin (dist/bin.js beside dist/commands/), which an
 * agent host can launch with node before the packages are published.
 */
const builtBinPath = fileURLToPath(new URL('../bin.js', import.meta.url))

/** The environment variable of the API base URL, for hosts that configure servers by env. */
const baseUrlVariable = 'AGENTPMT_BASE_URL'

/**
 * `agentpmt mcp`: the job loop as an MCP server over stdio, the way agent hosts (Claude Desktop,
 * any `mcpServers` configuration) launch tool servers. The key comes from `AGENTPMT_PRIVATE_KEY`,
 * the base URL from `--base-url` or `AGENTPMT_BASE_URL`; `--sandbox` serves a sandbox started in
 * this process (with a throwaway key when none is set). stdout carries the protocol only: one
 * JSON line per tool call, signed request and response goes to stderr.
 *
 * Reservations are journaled in the state folder (as `jobs run` does; `--state DIR`, `--no-state`):
 * a restarted server finds them and can complete them. With `--sandbox` the journal is kept in
 * memory unless `--state` is given.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { mcpCommand } from './mcp.js'
 *
 * declare const context: Parameters<typeof mcpCommand>[1]
 * mcpCommand(new Command('agentpmt'), context)
 * ```
 */
export function mcpCommand(program: Command, context: Context): Command {
  return program
    .command('mcp')
    .description(commandSummaries.mcp)
    .option(
      '--base-url <url>',
      `API base URL (default $${baseUrlVariable}, else ${defaultBaseUrl})`,
      baseUrl,
    )
    .option(
      '--sandbox',
      `serve a sandbox started in this process (a throwaway key when ${privateKeyVariable} is unset)`,
    )
    .option(
      '--state <dir>',
      'state folder of the reservation journal (default $AGENTPMT_STATE_DIR, $XDG_STATE_HOME/agentpmt or ~/.local/state/agentpmt)',
    )
    .option('--no-state', 'keep reservations in memory only: a restarted server forgets them')
    .addHelpText(
      'after',
      [
        '',
        'Agent host configuration (e.g. Claude Desktop, claude_desktop_config.json), with this',
        'installation (from a clone: after pnpm build):',
        `  { "mcpServers": { "agentpmt": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(builtBinPath)}, "mcp"],`,
        `    "env": { "${privateKeyVariable}": "0x..." } } } }`,
        'Once the packages are published, from npm:',
        '  { "mcpServers": { "agentpmt": { "command": "npx", "args": ["-y", "@agentpmt-kit/cli", "mcp"],',
        `    "env": { "${privateKeyVariable}": "0x..." } } } }`,
        '',
        'Try it: agentpmt mcp --sandbox',
        'Tools: list_jobs, reserve_job, create_workflow, publish_workflow, complete_job, job_status,',
        'diagnose_refusal. Logs go to stderr; stdout carries the protocol only.',
      ].join('\n'),
    )
    .action(async (options: McpCommandOptions) => {
      let wallet: Wallet
      try {
        wallet = await walletOf(context, options)
      } catch (error) {
        // A host shows a server that exits before the MCP handshake as "Connection closed" and
        // nothing more: the server answers it, and every tool call says what to fix. A person
        // at a terminal gets the error at once.
        if (context.stdin.isTTY || errorClassOf(error) !== 'usage') throw error
        await serveNotConfigured(context, error)
        throw new ExitError(exitCodes.usage, 'The server had no wallet.')
      }
      const { signer, url, keyValue, stateDir } = wallet
      const [{ createMcpServer }, journal] = await Promise.all([
        import('@agentpmt-kit/mcp'),
        journalIn(stateDir),
      ])
      const sandbox = options.sandbox
        ? await (await import('@agentpmt-kit/sandbox')).startSandbox()
        : undefined
      try {
        const server = createMcpServer({
          signer,
          baseUrl: sandbox?.url ?? url,
          ...(journal === undefined ? {} : { journal }),
          log: (line) => context.stderr.write(`${line}\n`),
          secrets: keyValue ? [keyValue] : [],
        })
        context.stderr.write(
          `agentpmt mcp: wallet ${signer.address.toLowerCase()} on ${sandbox === undefined ? url : `${sandbox.url} (sandbox in this process${keyValue ? '' : ', throwaway key'})`}, reservations ${stateDir === undefined ? 'in memory' : `journaled in ${journalDirOf(stateDir)}`}; serving MCP over stdio.\n`,
        )
        await serve(context, server)
      } finally {
        await sandbox?.close()
      }
    })
}

/** What the server works with: the wallet's signer, the API, the key to hide, the state folder. */
type Wallet = {
  signer: MessageSigner
  url: string
  keyValue: string | undefined
  stateDir: string | undefined
}

/** The wallet and settings of the options and environment; throws a usage error for bad ones. */
async function walletOf(context: Context, options: McpCommandOptions): Promise<Wallet> {
  if (options.sandbox && options.baseUrl !== undefined)
    throw new InputError('Give --sandbox or --base-url, not both.')
  const envBaseUrl = context.env[baseUrlVariable]
  const url =
    options.baseUrl ??
    (envBaseUrl !== undefined && envBaseUrl !== '' && !options.sandbox
      ? checkedBaseUrl(envBaseUrl)
      : defaultBaseUrl)
  const keyValue = context.env[privateKeyVariable]?.trim()
  const signer =
    options.sandbox && !keyValue ? await throwawaySigner() : await signerFromEnv(context.env)
  // The sandbox's reservations are not the real server's: kept out of the state folder
  // unless one is asked for.
  const explicitState = typeof options.state === 'string'
  const stateDir =
    options.state === false || (options.sandbox && !explicitState)
      ? undefined
      : await prepareStateDir(stateDirOf(context.env, options.state || undefined))
  return { signer, url, keyValue, stateDir }
}

/**
 * Serves a server without a wallet: it answers the handshake and lists its tools, and each tool
 * call answers `not_configured` with what is wrong and how to fix it (also said on stderr).
 */
async function serveNotConfigured(context: Context, error: unknown): Promise<void> {
  const { createMcpServer } = await import('@agentpmt-kit/mcp')
  const message = errorLine(error).replace(/^error: /, '')
  const name = error instanceof Error ? error.name : ''
  const fix =
    name === 'Cli.MissingKeyError' || name === 'Cli.InvalidKeyError'
      ? `Set ${privateKeyVariable} (0x + 64 hex) in the "env" of this server in the agent host's configuration, e.g. "env": { "${privateKeyVariable}": "0x..." }, then restart the server (agentpmt mcp --help prints a configuration that works).`
      : 'Fix the "args" or "env" of this server in the agent host\'s configuration as the message says, then restart the server (agentpmt mcp --help prints a configuration that works).'
  const server = createMcpServer({
    notConfigured: { message, fix },
    log: (line) => context.stderr.write(`${line}\n`),
  })
  context.stderr.write(
    `agentpmt mcp: ${message} Serving MCP over stdio without a wallet: every tool call answers this error. ${fix}\n`,
  )
  await serve(context, server)
}

/** Serves `server` over the context's stdio until stdin ends or a signal stops it. */
async function serve(context: Context, server: ReturnType<typeof createMcpServer>): Promise<void> {
  const { serveStdio } = await import('@agentpmt-kit/mcp')
  const serving = await serveStdio(server, {
    stdin: context.stdin,
    stdout: protocolStream(context),
  })
  const stop = (): void => void serving.close()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    await serving.closed
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

/** The protocol goes through the context's stdout, filtered like every other output. */
function protocolStream(context: Context): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      context.stdout.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))
      callback()
    },
  })
}

async function journalIn(stateDir: string | undefined): Promise<Journal | undefined> {
  if (stateDir === undefined) return undefined
  const { createFileJournal } = await import('@agentpmt-kit/jobs-client/file-journal')
  return createFileJournal({ dir: journalDirOf(stateDir) })
}

/** A key generated now, held in this closure only: never printed, logged or stored. */
async function throwawaySigner(): Promise<MessageSigner> {
  const [{ createViemSigner }, accounts] = await Promise.all([
    import('@agentpmt-kit/signer-viem'),
    import('viem/accounts'),
  ])
  return createViemSigner(accounts.privateKeyToAccount(accounts.generatePrivateKey()))
}

function baseUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InvalidArgumentError('must be an http(s) URL, e.g. https://www.agentpmt.com')
  return value.replace(/\/+$/, '')
}

function checkedBaseUrl(value: string): string {
  try {
    return baseUrl(value)
  } catch {
    throw new InputError(
      `${baseUrlVariable} must be an http(s) URL, e.g. https://www.agentpmt.com.`,
    )
  }
}
