import { parseMessage } from '@agentpmt-kit/message-builder'
import type { Command } from 'commander'
import type { Context } from '../context.js'
import { ExitError } from '../exit.js'
import { InputError, readMessage } from '../input.js'
import { outputFor } from '../output.js'
import { commandSummaries } from './summaries.js'

/**
 * `agentpmt verify [file|-] --signature <hex> [--address <address>]`: recovers the signer of a
 * message as the server's ecrecover does and compares it with the expected wallet (by default the
 * message's `wallet:` line). Exits 1 when the signature is not the wallet's.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { verifyCommand } from './verify.js'
 *
 * declare const context: Parameters<typeof verifyCommand>[1]
 * verifyCommand(new Command('agentpmt'), context)
 * ```
 */
export function verifyCommand(program: Command, context: Context): Command {
  return program
    .command('verify')
    .description(commandSummaries.verify)
    .argument('[file]', 'file holding the message, or - for stdin', '-')
    .requiredOption('--signature <hex>', 'the signature, 0x + 65 bytes hex')
    .option('--address <address>', "expected signer (default: the message's wallet line)")
    .option('--exact', 'keep a trailing newline of the file (it is dropped by default)')
    .option('--json', 'print a JSON document')
    .addHelpText('after', '\nExample:\n  agentpmt verify message.txt --signature 0x5d3c...1b')
    .action(
      async (
        file: string,
        options: { signature: string; address?: string; exact?: boolean; json?: boolean },
      ) => {
        const message = await readMessage(context, file, { exact: options.exact === true })
        if (options.address !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(options.address))
          throw new InputError('--address must be a wallet address: 0x + 40 hex characters.')
        const expected = (options.address ?? walletLine(message)).toLowerCase()
        // Loaded on use: viem takes most of the start-up time of the CLI.
        const { recoverMessageSigner } = await import('@agentpmt-kit/signer-viem')
        const recovered = await recoverMessageSigner({ message, signature: options.signature })
        const valid = recovered === expected
        outputFor(context, options).result({ valid, recovered, expected }, () =>
          valid
            ? `valid: signed by ${recovered}`
            : `invalid: signed by ${recovered}, expected ${expected}`,
        )
        if (!valid) throw new ExitError(1, 'The signature is not the expected wallet’s.')
      },
    )
}

function walletLine(message: string): string {
  try {
    return parseMessage(message).wallet
  } catch (cause) {
    throw new InputError(
      'The message is not a well-formed signed message: give the expected signer with --address.',
      { cause },
    )
  }
}
