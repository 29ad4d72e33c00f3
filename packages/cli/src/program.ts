import { Command, CommanderError } from 'commander'
import { commandSummaries } from './commands/summaries.js'
import type { CliIo, Context } from './context.js'
import { packageVersion } from './internal/version.js'
import { keyPatternOf } from './key.js'
import { withUsageErrors } from './usage.js'

/**
 * Options of {@link createProgram} and {@link run}: where to read and write (the process by
 * default), and how usage errors (what commander refuses) are shown: `'text'` (the default)
 * prints them as one line on stderr that names the fix, `'json'` leaves them to the caller
 * ({@link run} prints one JSON object when the arguments hold `--json`).
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

type Register = (program: Command, context: Context) => Command

/** Each top-level command and how to load it: a command's module is imported only when it runs. */
const commandModules: {
  readonly [name in keyof typeof commandSummaries]: () => Promise<Register>
} = {
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  canonicalize: async () => (await import('./commands/canonicalize.js')).canonicalizeCommand,
  hash: async () => (await import('./commands/hash.js')).hashCommand,
  message: async () => (await import('./commands/message.js')).messageCommand,
  sign: async () => (await import('./commands/sign.js')).signCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  diagnose: async () => (await import('./commands/diagnose.js')).diagnoseCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  jobs: async () => (await import('./commands/jobs.js')).jobsCommand,
  mcp: async () => (await import('./commands/mcp.js')).mcpCommand,
  probe: async () => (await import('./commands/probe.js')).probeCommand,
  conformance: async () => (await import('./commands/conformance.js')).conformanceCommand,
}

/**
 * The `agentpmt` command line as a commander `Command`, every command registered. Errors are
 * thrown (commander's `exitOverride`; what commander refuses as a `CommanderError` with exit code
 * 2 and a message naming the fix), never turned into `process.exit`; {@link run} is the
 * wrapper that prints them as one line and returns the exit code. Each command's module is loaded
 * only when that command runs (`--version` and `--help` load none), then the arguments are parsed
 * again by the full command.
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
  const program = baseProgram(context)
  for (const [name, load] of Object.entries(commandModules))
    program
      .command(name)
      .description(commandSummaries[name as keyof typeof commandSummaries])
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[arguments...]')
      .action(async () => {
        const full = baseProgram(context)
        ;(await load())(full, context)
        withUsageErrors(full, usageWriter(context, options))
        // commander keeps the arguments it parsed (untyped): the full command parses the same ones.
        await full.parseAsync((program as Command & { rawArgs: string[] }).rawArgs)
      })
  return withUsageErrors(program, usageWriter(context, options))
}

/** Where a usage error's line goes: stderr, or nowhere under `'json'` (run() prints JSON). */
function usageWriter(
  context: Context,
  options: createProgram.Options,
): ((line: string) => void) | undefined {
  return options.errorFormat === 'json' ? undefined : (line) => context.stderr.write(line)
}

/** The program without its commands: name, version, error handling, the help's epilogue. */
function baseProgram(context: Context): Command {
  return new Command('agentpmt')
    .description('The AgentPMT external jobs protocol from the command line.')
    .version(packageVersion(), '-v, --version')
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // withUsageErrors() prints the error, on one line with its fix.
      outputError: () => {},
    })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      [
        '',
        'The private key is read from AGENTPMT_PRIVATE_KEY, never from an argument.',
        'Exit codes: 0 done, 1 failed (or refused as invalid), 2 usage error (nothing was done),',
        '3 outcome unknown, 4 signature refused, 5 not found, 6 job taken, 7 network, 8 server.',
        'Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/CLI.html',
      ].join('\n'),
    )
}

/**
 * Runs the command line on `argv` (as `process.argv`: node, script, arguments) and resolves to
 * the exit code, by the class of the error (`exitCodes`). Any error becomes one line on
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
    // --help and --version.
    if (error instanceof CommanderError && error.exitCode === 0) return 0
    // Loaded only on failure: classifying errors needs every package's error classes.
    const { reportError } = await import('./errorReport.js')
    return reportError(error, context, json)
  }
}

/** `--json` among the arguments (before a `--` that ends the options). */
function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--', 2)
  return argv.slice(2, end === -1 ? undefined : end).includes('--json')
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
