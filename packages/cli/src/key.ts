import { BaseError } from '@agentpmt-kit/canonical-json'
import { secretPattern } from '@agentpmt-kit/jobs-client/secrets'
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
 * What the output filter looks for: the key in `env`, with or without `0x`, in any letter case
 * (jobs-client's `secretPattern`, the rule requests are checked by too); `undefined` when the
 * variable holds no private key. Only a value that is a key is filtered:
 * any other text (a passphrase, a typo) is refused by {@link signerFromEnv} when a command needs
 * the key, and filtering it would garble output that merely contains the same characters. Never
 * throws, whatever the variable holds.
 *
 * @example
 * ```ts
 * import { keyPatternOf } from './key.js'
 *
 * keyPatternOf({}) // undefined
 * ```
 */
export function keyPatternOf(
  env: Readonly<Record<string, string | undefined>>,
): RegExp | undefined {
  const value = keyOf(env)
  return value === undefined ? undefined : secretPattern(value)
}

/**
 * The private key in `env`, as set (`0X` too: such a key is refused for signing, but it is still
 * never printed nor sent), or `undefined` when the variable holds no private key: what jobs
 * clients are given as their `secrets`, so that no request carries it.
 *
 * @example
 * ```ts
 * import { keyOf } from './key.js'
 *
 * keyOf({ AGENTPMT_PRIVATE_KEY: 'hunter2' }) // undefined
 * ```
 */
export function keyOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[privateKeyVariable]?.trim()
  return value !== undefined && /^(?:0x)?[0-9a-f]{64}$/i.test(value) ? value : undefined
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
