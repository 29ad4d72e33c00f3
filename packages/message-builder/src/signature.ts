import { BaseError } from '@agentpmt-kit/canonical-json'
import { isAddress } from './rules.js'
import type { Hex, MessageSigner } from './Signer.js'

/** Order of the secp256k1 group. */
const curveOrder = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const halfCurveOrder = curveOrder >> 1n

/**
 * A 65-byte signature split into its parts, `yParity` being the recovery bit (v - 27).
 *
 * @example
 * ```ts
 * import type { SignatureParts } from '@agentpmt-kit/message-builder'
 *
 * const parts: SignatureParts = { r: 1n, s: 2n, yParity: 0 } // v = 27
 * ```
 */
export type SignatureParts = { r: bigint; s: bigint; yParity: 0 | 1 }

/**
 * What {@link readSignature} makes of a value: its parts, or why it is not a signature the server
 * accepts.
 *
 * @example
 * ```ts
 * import { readSignature, type SignatureReading } from '@agentpmt-kit/message-builder'
 *
 * const reading: SignatureReading = readSignature('0x1234')
 * if (!reading.ok) console.log(reading.reason) // 'expected 65 bytes, got 2 bytes'
 * ```
 */
export type SignatureReading = { ok: true; parts: SignatureParts } | { ok: false; reason: string }

/**
 * Reads a signature the way the server does: `0x` + 65 bytes (r, s, v), hex digits in either
 * case, v one of 0, 1, 27, 28, r and s in 1..n-1 and s in the lower half of the curve order
 * (EIP-2). 64-byte compact (EIP-2098) signatures are refused: the server expects 65 bytes. With
 * `allowHighS`, a high-s signature is returned as its low-s twin (s' = n - s, recovery bit
 * flipped), which recovers the same address: the way to normalise what a wallet answered.
 * Never throws; the reason names what is wrong, never the value itself.
 *
 * @example
 * ```ts
 * import { readSignature } from '@agentpmt-kit/message-builder'
 *
 * const reading = readSignature(`0x${'11'.repeat(64)}00`)
 * // { ok: true, parts: { r: 0x1111…n, s: 0x1111…n, yParity: 0 } }
 * readSignature(`0x${'11'.repeat(64)}`)
 * // { ok: false, reason: '64-byte compact (EIP-2098) signatures are not accepted; …' }
 * ```
 */
export function readSignature(
  value: unknown,
  { allowHighS = false }: { allowHighS?: boolean | undefined } = {},
): SignatureReading {
  if (typeof value !== 'string')
    return { ok: false, reason: `expected a hex string, got ${typeOf(value)}` }
  if (!value.startsWith('0x')) return { ok: false, reason: 'expected a 0x-prefixed hex string' }
  const digits = value.slice(2)
  if (!/^[0-9a-fA-F]*$/.test(digits)) return { ok: false, reason: 'not a hex string' }
  if (digits.length === 128)
    return {
      ok: false,
      reason: '64-byte compact (EIP-2098) signatures are not accepted; send r, s and v (65 bytes)',
    }
  if (digits.length !== 130)
    return { ok: false, reason: `expected 65 bytes, got ${digits.length / 2} bytes` }
  const r = BigInt(`0x${digits.slice(0, 64)}`)
  let s = BigInt(`0x${digits.slice(64, 128)}`)
  const v = Number.parseInt(digits.slice(128), 16)
  let yParity: 0 | 1
  if (v === 0 || v === 27) yParity = 0
  else if (v === 1 || v === 28) yParity = 1
  else return { ok: false, reason: `v must be 0, 1, 27 or 28, got ${v}` }
  if (r === 0n || r >= curveOrder) return { ok: false, reason: 'r is out of range' }
  if (s === 0n || s >= curveOrder) return { ok: false, reason: 's is out of range' }
  if (s > halfCurveOrder) {
    if (!allowHighS)
      return { ok: false, reason: 's is in the upper half of the curve order (high-s, EIP-2)' }
    s = curveOrder - s
    yParity = yParity === 0 ? 1 : 0
  }
  return { ok: true, parts: { r, s, yParity } }
}

/**
 * Writes a signature as the server wants it: `0x` + r + s + v, v = 27 or 28, lower-case hex.
 *
 * @example
 * ```ts
 * import { serializeSignature } from '@agentpmt-kit/message-builder'
 *
 * serializeSignature({ r: 1n, s: 2n, yParity: 1 })
 * // '0x0000…0001' + '0000…0002' + '1c'
 * ```
 */
export function serializeSignature({ r, s, yParity }: SignatureParts): Hex {
  return `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${yParity === 0 ? '1b' : '1c'}`
}

/**
 * Reads an address: `0x` + 40 hex digits in any case (the checksum is not checked), returned
 * lower-case, the form addresses are compared and returned in; `undefined` for anything else.
 *
 * @example
 * ```ts
 * import { readAddress } from '@agentpmt-kit/message-builder'
 *
 * readAddress('0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266') // '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
 * readAddress('0x12') // undefined
 * ```
 */
export function readAddress(value: unknown): Hex | undefined {
  if (!isAddress(value)) return undefined
  return value.toLowerCase() as Hex
}

/**
 * Throws {@link InvalidMessageError} unless `message` is a string that UTF-8 can encode (no lone
 * surrogate): the only messages that are signed or verified, always as their UTF-8 text.
 *
 * @example
 * ```ts
 * import { assertSignableMessage } from '@agentpmt-kit/message-builder'
 *
 * assertSignableMessage('agentpmt-external\n...') // passes
 * assertSignableMessage('\ud800') // throws InvalidMessageError
 * ```
 */
export function assertSignableMessage(message: unknown): asserts message is string {
  if (typeof message !== 'string')
    throw new InvalidMessageError({ details: `expected a string, got ${typeOf(message)}` })
  if (!message.isWellFormed())
    throw new InvalidMessageError({
      details: 'the message contains a lone surrogate, which UTF-8 cannot encode',
    })
}

/**
 * A library's recovery primitive: the address (any case) whose key made `signature` over the
 * EIP-191 `personal_sign` hash of the UTF-8 text of `message`. It may throw when no public key can
 * be recovered (an r that is no curve point).
 *
 * @example
 * ```ts
 * import { type RecoverAddress, serializeSignature } from '@agentpmt-kit/message-builder'
 * import { hashMessage, recoverAddress } from 'viem'
 *
 * const recover: RecoverAddress = (message, parts) =>
 *   recoverAddress({ hash: hashMessage(message), signature: serializeSignature(parts) })
 * ```
 */
export type RecoverAddress = (
  message: string,
  signature: SignatureParts,
) => Promise<string> | string

/**
 * The verification functions of a signer package, made by {@link createSignatureVerifier}.
 *
 * @example
 * ```ts
 * import type { SignatureVerifier } from '@agentpmt-kit/message-builder'
 *
 * declare const verifier: SignatureVerifier
 * const valid = await verifier.verifyMessageSignature({ address: '0x…', message: 'hi', signature: '0x…' })
 * ```
 */
export type SignatureVerifier = {
  /**
   * The lower-case address that signed `message`. Throws {@link InvalidSignatureError} or
   * {@link InvalidMessageError} for a signature or message the server would refuse.
   */
  recoverMessageSigner: (parameters: { message: string; signature: string }) => Promise<Hex>
  /** Whether `address` signed `message`; `false`, never a throw, for anything malformed. */
  verifyMessageSignature: (parameters: {
    address: string
    message: string
    signature: string
  }) => Promise<boolean>
}

/**
 * Makes `recoverMessageSigner` and `verifyMessageSignature` from a library's recovery primitive,
 * so every signer package accepts and refuses exactly the same inputs. The message must be
 * well-formed text; the signature is read with {@link readSignature} (high-s and 64-byte compact
 * refused) before the primitive sees it, as parts with a normalised recovery bit; a primitive that
 * throws means no key can be recovered (`InvalidSignatureError`). The address is returned, and
 * compared, lower-case. `verifyMessageSignature` answers `false` for a malformed address,
 * signature or message, and only rethrows what is not one of those (a bug in the primitive).
 *
 * @example
 * ```ts
 * import { createSignatureVerifier, serializeSignature } from '@agentpmt-kit/message-builder'
 * import { hashMessage, recoverAddress } from 'viem'
 *
 * const { recoverMessageSigner, verifyMessageSignature } = createSignatureVerifier((message, parts) =>
 *   recoverAddress({ hash: hashMessage(message), signature: serializeSignature(parts) }),
 * )
 * const valid = await verifyMessageSignature({ address: '0x…', message: 'hi', signature: '0x…' })
 * ```
 */
export function createSignatureVerifier(recover: RecoverAddress): SignatureVerifier {
  const recoverMessageSigner = async (input: {
    message: string
    signature: string
  }): Promise<Hex> => {
    const { message, signature } = input ?? ({} as Partial<typeof input>)
    assertSignableMessage(message)
    const reading = readSignature(signature)
    if (!reading.ok) throw new InvalidSignatureError({ details: reading.reason })
    let answer: unknown
    try {
      answer = await recover(message, reading.parts)
    } catch (cause) {
      // r is in range but is not the x coordinate of a curve point: nothing to recover.
      throw new InvalidSignatureError({ details: 'no public key can be recovered from it', cause })
    }
    const address = readAddress(answer)
    if (address === undefined)
      throw new TypeError(`the recovery function returned ${typeOf(answer)}, not an address`)
    return address
  }
  const verifyMessageSignature = async (input: {
    address: string
    message: string
    signature: string
  }): Promise<boolean> => {
    const { address, message, signature } = input ?? ({} as Partial<typeof input>)
    const expected = readAddress(address)
    if (expected === undefined) return false
    try {
      return (await recoverMessageSigner({ message, signature })) === expected
    } catch (error) {
      if (error instanceof InvalidSignatureError || error instanceof InvalidMessageError)
        return false
      throw error
    }
  }
  return { recoverMessageSigner, verifyMessageSignature }
}

/**
 * What a signer package gives {@link toMessageSigner}: the signer's lower-case address, how its
 * library signs the UTF-8 text of a message, and, unless the library derived the address from the
 * very key that signs, how to recover the signer of an answer.
 *
 * @example
 * ```ts
 * import type { WalletSigning } from '@agentpmt-kit/message-builder'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const account = privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`)
 * const signing: WalletSigning = {
 *   label: 'ViemSigner',
 *   address: account.address.toLowerCase() as `0x${string}`,
 *   sign: (message) => account.signMessage({ message }),
 * }
 * ```
 */
export type WalletSigning = {
  /** What `util.inspect` shows before the address: `ViemSigner { address: '0x…' }`. */
  label: string
  /** The signer's address, lower-case. */
  address: Hex
  /** Signs the UTF-8 text of `message` with EIP-191 `personal_sign`; may answer anything. */
  sign: (message: string) => Promise<unknown>
  /**
   * Recovers the signer of a normalised answer, to check it is `address`. Leave it out only where
   * the library derived `address` from the signing key itself (recovery costs several times the
   * signing).
   */
  recoverMessageSigner?: SignatureVerifier['recoverMessageSigner'] | undefined
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom')

/**
 * Makes the toolkit's {@link MessageSigner} from a wallet's signing function, with the behaviour
 * every signer package shares: the message is checked to be well-formed text before the wallet is
 * asked; a wallet that throws gives {@link SigningFailedError} (its error as `cause`); the answer
 * is normalised to `0x` + 65 bytes with v = 27/28 and a low s (v = 0/1 and high-s answers of
 * JSON-RPC wallets and KMS), or refused with {@link InvalidSignatureError}; when
 * `recoverMessageSigner` is given, a signature that recovers to another address gives
 * {@link SignerMismatchError}. The returned object is frozen and holds no key: `JSON.stringify`
 * and `util.inspect` show only the address.
 *
 * @example
 * ```ts
 * import { toMessageSigner } from '@agentpmt-kit/message-builder'
 * import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
 *
 * declare function kmsSign(message: string): Promise<string> // answers v = 0/1, maybe high s
 * const signer = toMessageSigner({
 *   label: 'KmsSigner',
 *   address: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
 *   sign: kmsSign,
 *   recoverMessageSigner,
 * })
 * const signature = await signer.signMessage('agentpmt-external\n...') // v = 27/28, low s
 * ```
 */
export function toMessageSigner({
  label,
  address,
  sign,
  recoverMessageSigner,
}: WalletSigning): MessageSigner {
  const signMessage = async (message: string): Promise<Hex> => {
    assertSignableMessage(message)
    let answer: unknown
    try {
      answer = await sign(message)
    } catch (cause) {
      throw new SigningFailedError({ cause })
    }
    const reading = readSignature(answer, { allowHighS: true })
    if (!reading.ok)
      throw new InvalidSignatureError({
        details: `the wallet answered with a bad signature: ${reading.reason}`,
      })
    const signature = serializeSignature(reading.parts)
    if (recoverMessageSigner === undefined) return signature
    const recovered = await recoverMessageSigner({ message, signature })
    if (recovered !== address) throw new SignerMismatchError({ expected: address, recovered })
    return signature
  }
  return Object.freeze({
    address,
    signMessage,
    toJSON: (): { address: Hex } => ({ address }),
    [inspectSymbol]: (): string => `${label} { address: '${address}' }`,
  })
}

/** A short description of a value's type for error details (never the value itself). */
function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Uint8Array) return 'a Uint8Array'
  return typeof value
}

/**
 * The value is not a signature the server accepts: not `0x` + 65 bytes, v other than 0, 1, 27,
 * 28, r or s out of range, a high s (EIP-2), a 64-byte compact signature, or an r from which no
 * public key can be recovered. Thrown by both signer packages.
 *
 * @example
 * ```ts
 * import { InvalidSignatureError } from '@agentpmt-kit/message-builder'
 * import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
 *
 * try {
 *   await recoverMessageSigner({ message: 'hello', signature: '0x1234' })
 * } catch (error) {
 *   if (error instanceof InvalidSignatureError) console.log(error.details) // 'expected 65 bytes, got 2 bytes'
 * }
 * ```
 */
export class InvalidSignatureError extends BaseError {
  override name = 'Signature.InvalidSignatureError'

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
 * build them with `buildMessage` or the job message helpers.
 *
 * @example
 * ```ts
 * import { assertSignableMessage, InvalidMessageError } from '@agentpmt-kit/message-builder'
 *
 * try {
 *   assertSignableMessage('\ud800')
 * } catch (error) {
 *   if (error instanceof InvalidMessageError) console.log(error.details)
 * }
 * ```
 */
export class InvalidMessageError extends BaseError {
  override name = 'Signature.InvalidMessageError'

  constructor({ details }: { details: string }) {
    super('Invalid message.', { details, docsPath: '/documents/Signing.html' })
  }
}

/**
 * The value given to a signer package (`createViemSigner`, `createEthersSigner`) cannot sign a
 * message for the server: no valid address, a JSON-RPC account without a client, a client
 * without an account, or a smart-contract account (the server uses `ecrecover`, not ERC-1271).
 *
 * @example
 * ```ts
 * import { UnsupportedSourceError } from '@agentpmt-kit/message-builder'
 * import { createViemSigner } from '@agentpmt-kit/signer-viem'
 * import { toAccount } from 'viem/accounts'
 *
 * try {
 *   createViemSigner(toAccount('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'))
 * } catch (error) {
 *   if (error instanceof UnsupportedSourceError) console.log(error.details)
 * }
 * ```
 */
export class UnsupportedSourceError extends BaseError {
  override name = 'Signature.UnsupportedSourceError'

  constructor({ details, cause }: { details: string; cause?: unknown }) {
    super('Unsupported signer source.', {
      details,
      docsPath: '/documents/Signing.html',
      ...(cause === undefined ? {} : { cause }),
    })
  }
}

/**
 * The account or wallet failed to sign (a user rejection, a KMS error, a lost connection). The
 * wallet's error is the `cause`.
 *
 * @example
 * ```ts
 * import { type MessageSigner, SigningFailedError } from '@agentpmt-kit/message-builder'
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
  override name = 'Signature.SigningFailedError'

  constructor({ cause }: { cause: unknown }) {
    super('The wallet did not sign the message.', { cause, docsPath: '/documents/Signing.html' })
  }
}

/**
 * The wallet returned a signature that recovers to another address than the signer's: it signed
 * other bytes, with another key, or with ERC-1271 (which the server does not accept).
 *
 * @example
 * ```ts
 * import { SignerMismatchError } from '@agentpmt-kit/message-builder'
 *
 * declare const error: unknown
 * if (error instanceof SignerMismatchError) console.log(error.expected, error.recovered)
 * ```
 */
export class SignerMismatchError extends BaseError {
  override name = 'Signature.SignerMismatchError'
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
