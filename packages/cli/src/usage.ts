import { type Command, CommanderError } from 'commander'

/**
 * The exit code of a usage error: the command line (or a file or variable it names) is wrong
 * and nothing was done. 2, as shells and most tools use it for the same thing.
 *
 * @example
 * ```ts
 * import { usageExitCode } from './usage.js'
 *
 * process.exitCode = usageExitCode // 2
 * ```
 */
export const usageExitCode = 2

/**
 * A command line that commander refused (an unknown command or option, a missing or extra
 * argument, a bad option value), with a message that names the fix: the suggestion, the usage
 * line, or the `--help` to run. Still a `CommanderError`, with exit code 2.
 *
 * @example
 * ```ts
 * import { UsageError } from './usage.js'
 *
 * new UsageError("unknown command 'frobnicate'. Run agentpmt --help to list the commands.", 'commander.unknownCommand')
 * ```
 */
export class UsageError extends CommanderError {
  override name = 'Cli.UsageError'
  constructor(message: string, code: string) {
    super(usageExitCode, code, message)
  }
}

/**
 * Makes `command` and every command under it throw a {@link UsageError} for what commander
 * refuses, and with `write` print it as one line first (in place of commander's own line); help
 * and version (exit 0) go through as they are. Call it once the commands are registered: each
 * error names the command it happened in.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { withUsageErrors } from './usage.js'
 *
 * withUsageErrors(new Command('agentpmt'), (line) => process.stderr.write(line))
 * ```
 */
export function withUsageErrors(command: Command, write?: (line: string) => void): Command {
  command.exitOverride((error) => {
    if (error.exitCode === 0) throw error
    const usage = new UsageError(usageMessage(command, error), error.code)
    // Help shown for a missing command is already the answer.
    if (write !== undefined && error.code !== 'commander.help') write(`error: ${usage.message}\n`)
    throw usage
  })
  for (const sub of command.commands) withUsageErrors(sub, write)
  return command
}

/** Commander's message on one line, with the fix: its suggestion, the usage line, or the help. */
function usageMessage(command: Command, error: CommanderError): string {
  const text = error.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)')
    // A parser's reason ("must be a duration ...") follows commander's "is invalid.".
    .replace(/ is invalid\. /, ' is invalid: ')
    .replace(/\.$/, '')
  const path = commandPath(command)
  switch (error.code) {
    case 'commander.help':
      return `missing command. Run ${path} --help to list the commands.`
    case 'commander.unknownCommand':
      return text.includes('(did you mean')
        ? text
        : `${text}. Run ${path} --help to list the commands.`
    case 'commander.unknownOption':
      return text.includes('(did you mean')
        ? text
        : `${text}. Run ${path} --help to list the options.`
    case 'commander.invalidArgument':
      return `${text}.`
    case 'commander.missingArgument':
    case 'commander.excessArguments':
      return `${text}. Usage: ${path} ${command.usage()}`
    case 'commander.optionMissingArgument':
    case 'commander.missingMandatoryOptionValue':
    case 'commander.conflictingOption':
      return `${text}. Run ${path} --help to list the options.`
    default:
      // A command's own error (command.error()) names its fix itself.
      return `${text}.`
  }
}

/** `agentpmt jobs reserve`: the names from the program down to `command`. */
function commandPath(command: Command): string {
  const names: string[] = []
  for (let current: Command | null = command; current !== null; current = current.parent)
    names.unshift(current.name())
  return names.join(' ')
}
