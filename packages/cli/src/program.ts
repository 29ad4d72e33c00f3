import { BaseError } from '@agentpmt-kit/canonical-json'
import { ApiError } from '@agentpmt-kit/error-recovery'
import { Command, CommanderError } from 'commander'
import { canonicalizeCommand } from './commands/canonicalize.js'
import { conformanceCommand } from './commands/conformance.js'
import { demoCommand } from './commands/demo.js'
import { diagnoseCommand } from './commands/diagnose.js'
import { hashCommand } from './commands/hash.js'
import { baseUrlUsedBy } from './commands/jobs/client.js'
import { jobsCommand } from './commands/jobs.js'
import { mcpCommand } from './commands/mcp.js'
import { messageCommand } from './commands/message.js'
import { probeCommand } from './commands/probe.js'
import { sandboxCommand } from './commands/sandbox.js'
import { signCommand } from './commands/sign.js'
import { verifyCommand } from './commands/verify.js'
import type { CliIo, Context } from './context.js'
import { ExitError, errorClassOf, exitCodes } from './exit.js'
import { packageVersion } from './internal/version.js'
import { keyPatternOf } from './key.js'
import { errorLine } from './output.js'

/**
 * Options of {@link createProgram} and {@link run}: where to read and write (the process by
 * default), and how commander's own errors are shown: `'text'` (the default) prints them as one
 * line on stderr, `'json'` leaves them to the caller ({@link run} prints one JSON object when the
 * arguments hold `--json`).
 *
 * @example
 * ```ts
 * import type { createProgram } from '@agentpmt-kit/cli'
 *
 * const options: createProgram.Options = { io: { env: { AGENTPMT_PRIVATE_KEY: undefined } } }
 * ```
 */
export declare namespace createProgram {
  type Options = {
    io?: Partial<CliIo> | undefined
    errorFormat?: 'text' | 'json' | undefined
  }
}

/** Where `docsPath` values of our errors are published. */
const docsBaseUrl = 'https://agentpmt-kit.github.io/agentpmt-kit'

/**
 * The `agentpmt` command line as a commander `Command`, every command registered. Errors are
 * thrown (commander's `exitOverride`), never turned into `process.exit`; {@link run} is the
 * wrapper that prints them as one line and returns the exit code.
 *
 * @example
 * ```ts
 * import { createProgram } from '@agentpmt-kit/cli'
 *
 * const program = createProgram()
 * await program.parseAsync(['node', 'agentpmt', 'hash', 'payload.json'])
 * ```
 */
export function createProgram(options: createProgram.Options = {}): Command {
  const context = contextOf(options.io)
  const program = new Command('agentpmt')
    .description('The AgentPMT external jobs protocol from the command line.')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      // One line per error: commander puts its suggestion on a line of its own.
      writeErr: (text) =>
        context.stderr.write(text.replace(/\n\(Did you mean (.+)\?\)\n$/, ' (did you mean $1?)\n')),
      // Under --json, run() prints the error as JSON instead.
      outputError: (text, write) => {
        if (options.errorFormat !== 'json') write(text)
      },
    })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `\nThe private key is read from AGENTPMT_PRIVATE_KEY, never from an argument.\nDocs: https://agentpmt-kit.github.io/agentpmt-kit/documents/CLI.html`,
    )
  for (const register of [
    demoCommand,
    canonicalizeCommand,
    hashCommand,
    messageCommand,
    signCommand,
    verifyCommand,
    diagnoseCommand,
    sandboxCommand,
    jobsCommand,
    mcpCommand,
    probeCommand,
    conformanceCommand,
  ])
    register(program, context)
  return program
}

/**
 * Runs the command line on `argv` (as `process.argv`: node, script, arguments) and resolves to
 * the exit code, by the class of the error ({@link exitCodes}). Any error becomes one line on
 * stderr, never a stack trace, or with `--json` one JSON object,
 * `{ "error": { "code", "exitCode", "name", "message", ... } }`; the private key of
 * `AGENTPMT_PRIVATE_KEY` is filtered out of everything written.
 *
 * @example
 * ```ts
 * import { run } from '@agentpmt-kit/cli'
 *
 * process.exitCode = await run(process.argv)
 * ```
 */
export async function run(
  argv: readonly string[],
  options: createProgram.Options = {},
): Promise<number> {
  // Never throws, whatever the environment holds: an error needs the context to be printed.
  const context = contextOf(options.io)
  const json = options.errorFormat === 'json' || jsonRequested(argv)
  try {
    await createProgram({ io: context, errorFormat: json ? 'json' : 'text' }).parseAsync(
      argv as string[],
    )
    return 0
  } catch (error) {
    if (error instanceof ExitError) return error.exitCode
    // --help, --version, and help shown for a missing command exit as commander says.
    if (error instanceof CommanderError && error.exitCode === 0) return 0
    if (error instanceof CommanderError && !json) return exitCodes.usage
    const kind = errorClassOf(error)
    context.stderr.write(
      json
        ? `${JSON.stringify({ error: errorObject(error, context) })}\n`
        : `${errorLine(error)}\n`,
    )
    return exitCodes[kind]
  }
}

/** `--json` among the arguments (before a `--` that ends the options). */
function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--', 2)
  return argv.slice(2, end === -1 ? undefined : end).includes('--json')
}

/**
 * The JSON form of an error: its class (`code`) and exit code, its name and one-line message,
 * and what else is known about it: the HTTP status, the server's `error_code`, the docs page,
 * the base URL the jobs commands used and where it came from.
 */
function errorObject(error: unknown, context: Context): Record<string, unknown> {
  const kind = errorClassOf(error)
  const message =
    error instanceof CommanderError
      ? error.message
          .replace(/^error: /, '')
          .replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)')
      : errorLine(error).replace(/^error: /, '')
  const api =
    error instanceof BaseError ? error.walk((cause) => cause instanceof ApiError) : undefined
  const docsPath = error instanceof BaseError ? error.docsPath : undefined
  const used = baseUrlUsedBy(context)
  return {
    code: kind,
    exitCode: exitCodes[kind],
    name:
      error instanceof CommanderError
        ? 'Cli.UsageError'
        : error instanceof Error
          ? error.name
          : 'Error',
    message,
    ...(api instanceof ApiError ? { status: api.status, errorCode: api.errorCode ?? null } : {}),
    ...(docsPath === undefined ? {} : { docsUrl: `${docsBaseUrl}${docsPath}` }),
    ...(used === undefined ? {} : { baseUrl: used.url, baseUrlFrom: used.from }),
  }
}

function contextOf(io: Partial<CliIo> = {}): Context {
  const env = io.env ?? process.env
  const keyPattern = keyPatternOf(env)
  return {
    stdout: scrubbed(io.stdout ?? process.stdout, keyPattern),
    stderr: scrubbed(io.stderr ?? process.stderr, keyPattern),
    stdin: io.stdin ?? process.stdin,
    env,
  }
}

/** Defence in depth: whatever a bug might print, the key never leaves through our streams. */
function scrubbed(writer: CliIo['stdout'], keyPattern: RegExp | undefined): CliIo['stdout'] {
  if (keyPattern === undefined || (writer as { scrubbed?: true }).scrubbed) return writer
  return {
    scrubbed: true,
    isTTY: writer.isTTY,
    write: (text: string) => writer.write(text.replace(keyPattern, '<redacted key>')),
  } as CliIo['stdout']
}
