import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import type { Command } from 'commander'
import type { Context } from '../context.js'
import { readJson } from '../input.js'
import { outputFor } from '../output.js'
import { commandSummaries } from './summaries.js'

/**
 * `agentpmt hash [--ascii] [file|-]`: the payload hash of a JSON input, SHA-256 of its canonical
 * form, lowercase hex; the value of the `payload:` line.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { hashCommand } from './hash.js'
 *
 * declare const context: Parameters<typeof hashCommand>[1]
 * hashCommand(new Command('agentpmt'), context)
 * ```
 */
export function hashCommand(program: Command, context: Context): Command {
  return program
    .command('hash')
    .description(commandSummaries.hash)
    .argument('[file]', 'JSON file, or - for stdin', '-')
    .option('--ascii', 'hash the ASCII form (the server accepts either form)')
    .option('--json', 'print a JSON document')
    .addHelpText('after', "\nExample:\n  echo '{}' | agentpmt hash")
    .action(async (file: string, options: { ascii?: boolean; json?: boolean }) => {
      const value = await readJson(context, file)
      const form = options.ascii ? 'ascii' : 'raw'
      const canonical = canonicalize(value, { ascii: options.ascii === true })
      const payloadHash = sha256Hex(canonical)
      outputFor(context, options).result({ form, canonical, payloadHash }, () => payloadHash)
    })
}
