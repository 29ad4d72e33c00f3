import { BaseError } from '@agentpmt-kit/canonical-json'
import type { Hex, MessageSigner } from '@agentpmt-kit/message-builder'
import { BaseWallet, type Signer } from 'ethers'
import { readAddress, readSignature, serializeSignature } from './internal/signature.js'
import { assertMessage, InvalidSignatureError, recoverMessageSigner } from './verify.js'

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

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom')

/**
 * Wraps an ethers v6 signer as the toolkit's {@link MessageSigner}: `address` lower-case,
 * `signMessage` signing the UTF-8 text of the message with EIP-191 `personal_sign` and resolving
 * to `0x` + 65 bytes with v = 27/28 and a low s, whatever the wallet returned (v = 0/1 and high-s
 * answers of JSON-RPC wallets are normalised). A signature from anything other than an ethers
 * `Wallet` or `HDNodeWallet` is checked to recover to `address` before it is returned. Asynchronous because an ethers `Signer` only tells its address through
 * `getAddress()`.
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

  const derivedFromKey = source instanceof BaseWallet
  const signMessage = async (message: string): Promise<Hex> => {
    assertMessage(message)
    let answer: unknown
    try {
      // ethers signs a string as its UTF-8 bytes (hex-looking text included); bytes are never passed.
      answer = await source.signMessage(message)
    } catch (cause) {
      throw new SigningFailedError({ cause })
    }
    const reading = readSignature(answer, { allowHighS: true })
    if (!reading.ok)
      throw new InvalidSignatureError({
        details: `the wallet answered with a bad signature: ${reading.reason}`,
      })
    const signature = serializeSignature(reading.parts)
    // Recovery costs several times the signing itself: skip it where ethers derived the address
    // from the very key that signs.
    if (derivedFromKey) return signature
    const recovered = await recoverMessageSigner({ message, signature })
    if (recovered !== address) throw new SignerMismatchError({ expected: address, recovered })
    return signature
  }
  return Object.freeze({
    address,
    signMessage,
    toJSON: (): { address: Hex } => ({ address }),
    [inspectSymbol]: (): string => `EthersSigner { address: '${address}' }`,
  })
}

/**
 * The value given to {@link createEthersSigner} cannot sign a message for the server.
 *
 * @example
 * ```ts
 * import { createEthersSigner, UnsupportedSourceError } from '@agentpmt-kit/signer-ethers'
 *
 * try {
 *   await createEthersSigner({} as never)
 * } catch (error) {
 *   if (error instanceof UnsupportedSourceError) console.log(error.details)
 * }
 * ```
 */
export class UnsupportedSourceError extends BaseError {
  override name = 'SignerEthers.UnsupportedSourceError'

  constructor({ details, cause }: { details: string; cause?: unknown }) {
    super('Unsupported signer source.', {
      details,
      docsPath: '/documents/Signing.html',
      ...(cause === undefined ? {} : { cause }),
    })
  }
}

/**
 * The signer or wallet failed to sign (a user rejection, a lost connection). The wallet's error is
 * the `cause`.
 *
 * @example
 * ```ts
 * import { SigningFailedError } from '@agentpmt-kit/signer-ethers'
 * import type { MessageSigner } from '@agentpmt-kit/message-builder'
 *
 * declare const signer: MessageSigner
 * try {
 *   await signer.signMessage('agentpmt-external\n...')
 * } catch (error) {
 *   if (error instanceof SigningFailedError) console.log(error.cause)
 * }
 * ```
 */
export class SigningFailedError extends BaseError {
  override name = 'SignerEthers.SigningFailedError'

  constructor({ cause }: { cause: unknown }) {
    super('The wallet did not sign the message.', {
      cause,
      docsPath: '/documents/Signing.html',
    })
  }
}

/**
 * The wallet returned a signature that recovers to another address than the signer's: it signed
 * other bytes, with another key, or with ERC-1271 (which the server does not accept).
 *
 * @example
 * ```ts
 * import { SignerMismatchError } from '@agentpmt-kit/signer-ethers'
 *
 * declare const error: unknown
 * if (error instanceof SignerMismatchError) console.log(error.expected, error.recovered)
 * ```
 */
export class SignerMismatchError extends BaseError {
  override name = 'SignerEthers.SignerMismatchError'
  /** The signer's address. */
  readonly expected: Hex
  /** The address the returned signature recovers to. */
  readonly recovered: Hex

  constructor({ expected, recovered }: { expected: Hex; recovered: Hex }) {
    super('The signature does not recover to the signer address.', {
      details: `expected ${expected}, recovered ${recovered}`,
      docsPath: '/documents/Signing.html',
    })
    this.expected = expected
    this.recovered = recovered
  }
}
