import { parseMessage } from '@agentpmt-kit/message-builder'
import type { Command } from 'commander'
import type { Context } from '../context.js'
import { InputError, readMessage } from '../input.js'
import { privateKeyVariable, signerFromEnv } from '../key.js'
import { outputFor } from '../output.js'
import { commandSummaries } from './summaries.js'

/**
 * `agentpmt sign [file|-]`: signs a message with EIP-191 `personal_sign` and the key in
 * `AGENTPMT_PRIVATE_KEY`. Only a well-formed message whose wallet line is this key's address is
 * signed: the command is not a general-purpose signing oracle.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { signCommand } from './sign.js'
 *
 * declare const context: Parameters<typeof signCommand>[1]
 * signCommand(new Command('agentpmt'), context)
 * ```
 */
export function signCommand(program: Command, context: Context): Command {
  return program
    .command('sign')
    .description(commandSummaries.sign)
    .argument('[file]', 'file holding the message, or - for stdin', '-')
    .option('--json', 'print a JSON document')
    .addHelpText(
      'after',
      `\nThe key is read from ${privateKeyVariable} only, never from an argument.\n\nExample:\n  agentpmt message build --session n-1 --action job_list | agentpmt sign`,
    )
    .action(async (file: string, options: { json?: boolean }) => {
      const signer = await signerFromEnv(context.env)
      const message = await readMessage(context, file)
      const fields = parseMessage(message)
      if (fields.wallet !== signer.address)
        throw new InputError(
          `The message is for wallet ${fields.wallet}, but ${privateKeyVariable} is the key of ${signer.address}.`,
        )
      const signature = await signer.signMessage(message)
      outputFor(context, options).result(
        { signature, address: signer.address, message },
        () => signature,
      )
    })
}
