import {
  createSignatureVerifier,
  type SignatureParts,
  type SignatureVerifier,
} from '@agentpmt-kit/message-builder'
import { hashMessage, recoverAddress } from 'ethers'

const word = (value: bigint): string => `0x${value.toString(16).padStart(64, '0')}`
const recover = (message: string, { r, s, yParity }: SignatureParts): string =>
  recoverAddress(hashMessage(message), { r: word(r), s: word(s), v: 27 + yParity })

// ethers only lends its recovery: message-builder decides what is accepted, as for signer-viem.
const verifier: SignatureVerifier = createSignatureVerifier(recover)

/**
 * Recovers, with ethers, the lower-case address whose key made `signature`: EIP-191
 * `personal_sign` over the UTF-8 text of `message` (never bytes it may spell), 65 bytes with
 * v = 0, 1, 27 or 28 and a low s, as the server's ecrecover.
 *
 * @throws {InvalidSignatureError} when the server would refuse `signature` (high s and EIP-2098
 * compact included).
 * @throws {InvalidMessageError} for a message that is not a well-formed string.
 *
 * @example
 * ```ts
 * import { recoverMessageSigner } from '@agentpmt-kit/signer-ethers'
 *
 * const signer = await recoverMessageSigner({ message: 'agentpmt-external\n...', signature: '0x...' })
 * ```
 */
export const recoverMessageSigner: SignatureVerifier['recoverMessageSigner'] =
  verifier.recoverMessageSigner

/**
 * `true` when ethers recovers `address` (compared ignoring case) from `signature` over `message`;
 * `false` for another signer and for anything malformed, never a throw.
 *
 * @example
 * ```ts
 * import { verifyMessageSignature } from '@agentpmt-kit/signer-ethers'
 *
 * if (!(await verifyMessageSignature({ address: '0x…', message: 'agentpmt-external\n...', signature: '0x…' })))
 *   throw new Error('not signed by that wallet')
 * ```
 */
export const verifyMessageSignature: SignatureVerifier['verifyMessageSignature'] =
  verifier.verifyMessageSignature
