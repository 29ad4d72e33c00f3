import { BaseError } from '@agentpmt-kit/canonical-json'
import type { Hex, MessageSigner } from '@agentpmt-kit/message-builder'

/**
 * The environment variable that holds the private key. The key is never taken from an argument:
 * arguments end up in shell history and in the process list.
 *
 * @example
 * ```ts
 * import { privateKeyVariable } from './key.js'
 *
 * process.env[privateKeyVariable] // '0x...' (never print it)
 * ```
 */
export const privateKeyVariable = 'AGENTPMT_PRIVATE_KEY'

const keyPattern = /^(0x)?[0-9a-fA-F]{64}$/

/**
 * The signer of the key in `AGENTPMT_PRIVATE_KEY`. Errors never carry the key or any part of it.
 * viem is loaded here, on first use, so that commands without a key start fast.
 *
 * @throws {MissingKeyError} when the variable is unset or empty.
 * @throws {InvalidKeyError} when it is not a secp256k1 private key (32 bytes hex).
 *
 * @example
 * ```ts
 * import { signerFromEnv } from './key.js'
 *
 * const signer = await signerFromEnv(process.env)
 * signer.address // '0x...'
 * ```
 */
export async function signerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Promise<MessageSigner> {
  const value = env[privateKeyVariable]?.trim()
  if (!value) throw new MissingKeyError()
  if (!keyPattern.test(value)) throw new InvalidKeyError()
  const key = (value.startsWith('0x') ? value : `0x${value}`) as Hex
  const [{ createViemSigner }, { privateKeyToAccount }] = await Promise.all([
    import('@agentpmt-kit/signer-viem'),
    import('viem/accounts'),
  ])
  try {
    return createViemSigner(privateKeyToAccount(key))
  } catch {
    // The cause may quote the key: it is dropped on purpose.
    throw new InvalidKeyError()
  }
}

/**
 * Every spelling of the key in `env` that must never be printed (with and without `0x`), for the
 * output filter; empty when there is no key.
 *
 * @example
 * ```ts
 * import { secretsOf } from './key.js'
 *
 * secretsOf({}) // []
 * ```
 */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const value = env[privateKeyVariable]?.trim()
  if (!value || value.length < 16) return []
  const bare = value.replace(/^0x/i, '')
  return [...new Set([value, bare])]
}

/**
 * `AGENTPMT_PRIVATE_KEY` is not set.
 *
 * @example
 * ```ts
 * import { MissingKeyError } from './key.js'
 *
 * new MissingKeyError().shortMessage
 * ```
 */
export class MissingKeyError extends BaseError {
  override name = 'Cli.MissingKeyError'
  constructor() {
    super(
      `${privateKeyVariable} is not set: export the wallet's private key (0x + 64 hex) in this variable.`,
      { docsPath: '/documents/CLI.html' },
    )
  }
}

/**
 * `AGENTPMT_PRIVATE_KEY` is not a private key. The message never quotes the value.
 *
 * @example
 * ```ts
 * import { InvalidKeyError } from './key.js'
 *
 * new InvalidKeyError().shortMessage
 * ```
 */
export class InvalidKeyError extends BaseError {
  override name = 'Cli.InvalidKeyError'
  constructor() {
    super(`${privateKeyVariable} is not a valid private key: expected 0x + 64 hex characters.`, {
      docsPath: '/documents/CLI.html',
    })
  }
}
