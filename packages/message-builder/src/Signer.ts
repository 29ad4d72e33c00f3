/**
 * A `0x`-prefixed hexadecimal string.
 *
 * @example
 * ```ts
 * import type { Hex } from '@agentpmt-kit/message-builder'
 *
 * const signature: Hex = '0x1234'
 * ```
 */
export type Hex = `0x${string}`

/**
 * What jobs-client needs from a wallet: its address and EIP-191 `personal_sign` over the UTF-8
 * text of a message. `@agentpmt-kit/signer-viem` and `@agentpmt-kit/signer-ethers` make one from
 * a viem account or an ethers signer; any other implementation works if it signs the same bytes.
 *
 * @example
 * ```ts
 * import type { MessageSigner } from '@agentpmt-kit/message-builder'
 *
 * declare const signer: MessageSigner
 * const signature = await signer.signMessage('agentpmt-external\n...')
 * // signature: 0x + 65 bytes hex, v = 27 or 28
 * ```
 */
export type MessageSigner = {
  /** The wallet address, lower-case, `0x` + 40 hex characters. */
  readonly address: Hex
  /** Signs the UTF-8 bytes of `message` with EIP-191 `personal_sign`; resolves to 0x + 130 hex. */
  signMessage(message: string): Promise<Hex>
}
