import {
  createSignatureVerifier,
  type SignatureVerifier,
  serializeSignature,
} from '@agentpmt-kit/message-builder'
// viem/utils rather than the root entry: about 190 fewer modules loaded (see createViemSigner.ts).
import { hashMessage, recoverAddress } from 'viem/utils'

// Only the recovery primitive is viem's; what is accepted is decided by message-builder, so
// @agentpmt-kit/signer-ethers gives the same answer for every input.
const verifier: SignatureVerifier = createSignatureVerifier((message, parts) =>
  recoverAddress({ hash: hashMessage(message), signature: serializeSignature(parts) }),
)

/**
 * Recovers, with viem, the lower-case address that signed `message` (hashed as its UTF-8 text)
 * with EIP-191 `personal_sign`, the way the server's ecrecover does. Accepts `0x` + 65 bytes with
 * v = 0, 1, 27 or 28 and a low s, as `createSignatureVerifier` of message-builder describes.
 *
 * @throws {InvalidSignatureError} for a malformed, high-s or 64-byte (EIP-2098) signature.
 * @throws {InvalidMessageError} when `message` is not a well-formed string.
 *
 * @example
 * ```ts
 * import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
 *
 * const address = await recoverMessageSigner({ message: 'agentpmt-external\n...', signature: '0x...' })
 * // '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
 * ```
 */
export const recoverMessageSigner: SignatureVerifier['recoverMessageSigner'] =
  verifier.recoverMessageSigner

/**
 * Whether, by viem's recovery, `address` (any case) signed `message` with EIP-191
 * `personal_sign`. Resolves to `false`, never throws, for a malformed address, signature or
 * message.
 *
 * @example
 * ```ts
 * import { verifyMessageSignature } from '@agentpmt-kit/signer-viem'
 *
 * const valid = await verifyMessageSignature({
 *   address: '0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
 *   message: 'agentpmt-external\n...',
 *   signature: '0x...',
 * })
 * ```
 */
export const verifyMessageSignature: SignatureVerifier['verifyMessageSignature'] =
  verifier.verifyMessageSignature
