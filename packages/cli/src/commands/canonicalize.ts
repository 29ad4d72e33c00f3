import { canonicalize } from '@agentpmt-kit/canonical-json'
import type { Command } from 'commander'
import type { Context } from '../context.js'
import { readJson } from '../input.js'
import { outputFor } from '../output.js'
import { commandSummaries } from './summaries.js'

/**
 * `agentpmt canonicalize [--ascii] [file|-]`: the canonical form of a JSON input, the exact text
 * whose SHA-256 is the payload hash.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { canonicalizeCommand } from './canonicalize.js'
 *
 * declare const context: Parameters<typeof canonicalizeCommand>[1]
 * canonicalizeCommand(new Command('agentpmt'), context)
 * ```
 */
export function canonicalizeCommand(program: Command, context: Context): Command {
  return program
    .command('canonicalize')
    .description(commandSummaries.canonicalize)
    .argument('[file]', 'JSON file, or - for stdin', '-')
    .option('--ascii', 'escape non-ASCII characters as \\uXXXX (Python ensure_ascii form)')
    .option('--json', 'print a JSON document')
    .addHelpText('after', '\nExample:\n  echo \'{"skip":0,"limit":50}\' | agentpmt canonicalize')
    .action(async (file: string, options: { ascii?: boolean; json?: boolean }) => {
      const value = await readJson(context, file)
      const form = options.ascii ? 'ascii' : 'raw'
      const canonical = canonicalize(value, { ascii: options.ascii === true })
      outputFor(context, options).result({ form, canonical }, () => canonical)
    })
}
