import { BaseError } from '@agentpmt-kit/canonical-json'
import type { Hex } from '@agentpmt-kit/message-builder'
import { hashMessage, recoverAddress } from 'ethers'
import { readAddress, readSignature, typeOf } from './internal/signature.js'

/**
 * Recovers the address that signed `message` with EIP-191 `personal_sign`, the way the server's
 * ecrecover does. The message is always hashed as its UTF-8 text (`'0x1234'` is six characters,
 * not two bytes). The signature must be `0x` + 65 bytes with v = 0, 1, 27 or 28 and a low s;
 * 64-byte compact (EIP-2098) signatures are refused, as the server refuses them.
 *
 * @throws {InvalidSignatureError} when `signature` is not such a signature.
 * @throws {InvalidMessageError} when `message` is not a well-formed string.
 *
 * @example
 * ```ts
 * import { recoverMessageSigner } from '@agentpmt-kit/signer-ethers'
 *
 * const address = await recoverMessageSigner({ message: 'agentpmt-external\n...', signature: '0x...' })
 * // '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266' (lower-case)
 * ```
 */
export async function recoverMessageSigner({
  message,
  signature,
}: {
  message: string
  signature: string
}): Promise<Hex> {
  assertMessage(message)
  const reading = readSignature(signature)
  if (!reading.ok) throw new InvalidSignatureError({ details: reading.reason })
  try {
    const { r, s, yParity } = reading.parts
    const address = recoverAddress(hashMessage(message), {
      r: toWord(r),
      s: toWord(s),
      v: 27 + yParity,
    })
    return address.toLowerCase() as Hex
  } catch (cause) {
    // r is in range but is not the x coordinate of a curve point: nothing to recover.
    throw new InvalidSignatureError({ details: 'no public key can be recovered from it', cause })
  }
}

function toWord(value: bigint): string {
  return `0x${value.toString(16).padStart(64, '0')}`
}

/**
 * Whether `signature` is a valid EIP-191 `personal_sign` signature of `message` by `address`
 * (compared ignoring case). Resolves to `false`, never throws, for anything else: a malformed,
 * high-s or 64-byte signature, a malformed address, or a message that is not a well-formed string.
 *
 * @example
 * ```ts
 * import { verifyMessageSignature } from '@agentpmt-kit/signer-ethers'
 *
 * const valid = await verifyMessageSignature({
 *   address: '0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
 *   message: 'agentpmt-external\n...',
 *   signature: '0x...',
 * })
 * ```
 */
export async function verifyMessageSignature({
  address,
  message,
  signature,
}: {
  address: string
  message: string
  signature: string
}): Promise<boolean> {
  const expected = readAddress(address)
  if (expected === undefined) return false
  try {
    return (await recoverMessageSigner({ message, signature })) === expected
  } catch (error) {
    if (error instanceof InvalidSignatureError || error instanceof InvalidMessageError) return false
    throw error
  }
}

/** Throws {@link InvalidMessageError} unless `message` is a string that UTF-8 can encode. */
export function assertMessage(message: unknown): asserts message is string {
  if (typeof message !== 'string')
    throw new InvalidMessageError({ details: `expected a string, got ${typeOf(message)}` })
  if (!message.isWellFormed())
    throw new InvalidMessageError({
      details: 'the message contains a lone surrogate, which UTF-8 cannot encode',
    })
}

/**
 * The value is not a signature the server accepts: not `0x` + 65 bytes, v other than 0, 1, 27,
 * 28, r or s out of range, a high s (EIP-2), or a 64-byte compact signature.
 *
 * @example
 * ```ts
 * import { InvalidSignatureError, recoverMessageSigner } from '@agentpmt-kit/signer-ethers'
 *
 * try {
 *   await recoverMessageSigner({ message: 'hello', signature: '0x1234' })
 * } catch (error) {
 *   if (error instanceof InvalidSignatureError) console.log(error.details) // 'expected 65 bytes, got 2 bytes'
 * }
 * ```
 */
export class InvalidSignatureError extends BaseError {
  override name = 'SignerEthers.InvalidSignatureError'

  constructor({ details, cause }: { details: string; cause?: unknown }) {
    super('Invalid signature.', {
      details,
      docsPath: '/documents/Signing.html#verifying',
      metaMessages: ['Expected 0x + 65 bytes (r, s, v) with v = 27/28 (or 0/1) and a low s.'],
      ...(cause === undefined ? {} : { cause }),
    })
  }
}

/**
 * The message to sign or verify is not a string that UTF-8 can encode. Messages are always text:
 * build them with `@agentpmt-kit/message-builder`.
 *
 * @example
 * ```ts
 * import { InvalidMessageError, recoverMessageSigner } from '@agentpmt-kit/signer-ethers'
 *
 * try {
 *   await recoverMessageSigner({ message: '\ud800', signature: '0x...' })
 * } catch (error) {
 *   if (error instanceof InvalidMessageError) console.log(error.details)
 * }
 * ```
 */
export class InvalidMessageError extends BaseError {
  override name = 'SignerEthers.InvalidMessageError'

  constructor({ details }: { details: string }) {
    super('Invalid message.', { details, docsPath: '/documents/Signing.html' })
  }
}
