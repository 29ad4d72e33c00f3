import {
  type MessageSigner,
  readAddress,
  toMessageSigner,
  UnsupportedSourceError,
} from '@agentpmt-kit/message-builder'
import { BaseWallet, type Signer } from 'ethers'
import { recoverMessageSigner } from './verify.js'

/**
 * What {@link createEthersSigner} accepts: any ethers v6 `Signer` (`Wallet`, `HDNodeWallet`,
 * `JsonRpcSigner` from a `BrowserProvider` or `JsonRpcProvider`), or anything with the same
 * `getAddress` and `signMessage`.
 *
 * @example
 * ```ts
 * import type { EthersSignerSource } from '@agentpmt-kit/signer-ethers'
 * import { Wallet } from 'ethers'
 *
 * const source: EthersSignerSource = new Wallet(process.env.AGENT_KEY as string)
 * ```
 */
export type EthersSignerSource = Pick<Signer, 'getAddress' | 'signMessage'>

/**
 * Wraps an ethers v6 signer as the toolkit's {@link MessageSigner}: `address` lower-case,
 * `signMessage` signing the UTF-8 text of the message with EIP-191 `personal_sign` and resolving
 * to `0x` + 65 bytes with v = 27/28 and a low s, whatever the wallet returned (v = 0/1 and high-s
 * answers of JSON-RPC wallets are normalised). A signature from anything other than an ethers
 * `Wallet` or `HDNodeWallet` is checked to recover to `address` before it is returned.
 * Asynchronous because an ethers `Signer` only tells its address through `getAddress()`.
 *
 * The returned object holds no key: `JSON.stringify` and `util.inspect` show only the address.
 *
 * @throws {UnsupportedSourceError} when `getAddress()` fails or gives no valid address.
 *
 * @example
 * ```ts
 * import { createEthersSigner } from '@agentpmt-kit/signer-ethers'
 * import { Wallet } from 'ethers'
 *
 * const signer = await createEthersSigner(new Wallet(process.env.AGENT_KEY as string))
 * const signature = await signer.signMessage('agentpmt-external\n...')
 * ```
 */
export async function createEthersSigner(source: EthersSignerSource): Promise<MessageSigner> {
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof source.getAddress !== 'function' ||
    typeof source.signMessage !== 'function'
  )
    throw new UnsupportedSourceError({ details: 'expected an ethers Signer' })
  let answer: unknown
  try {
    answer = await source.getAddress()
  } catch (cause) {
    throw new UnsupportedSourceError({ details: 'getAddress() failed', cause })
  }
  const address = readAddress(answer)
  if (address === undefined)
    throw new UnsupportedSourceError({ details: 'getAddress() gave no valid 0x address' })

  return toMessageSigner({
    label: 'EthersSigner',
    address,
    // ethers signs a string as its UTF-8 bytes (hex-looking text included); bytes are never passed.
    sign: (message) => source.signMessage(message),
    // A Wallet or HDNodeWallet derived the address from the very key that signs: recovering
    // would cost several times the signing for nothing.
    recoverMessageSigner: source instanceof BaseWallet ? undefined : recoverMessageSigner,
  })
}
