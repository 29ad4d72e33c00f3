import {
  type Hex,
  type MessageSigner,
  readAddress,
  toMessageSigner,
  UnsupportedSourceError,
} from '@agentpmt-kit/message-builder'
import type { Account, Chain, Transport, WalletClient } from 'viem'
// viem/utils, not the root: the root entry loads about 450 modules, this about 260 (startup of
// every process that signs or verifies).
import { keccak256 } from 'viem/utils'
import { recoverMessageSigner } from './verify.js'

/**
 * What {@link createViemSigner} accepts: a viem local `Account` (`privateKeyToAccount`,
 * `mnemonicToAccount`, `hdKeyToAccount`, or `toAccount` around a KMS/HSM), or a `WalletClient`
 * that holds an account (a JSON-RPC account of a browser wallet, or a local one).
 *
 * @example
 * ```ts
 * import type { ViemSignerSource } from '@agentpmt-kit/signer-viem'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const source: ViemSignerSource = privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`)
 * ```
 */
export type ViemSignerSource =
  | Account
  | WalletClient<Transport, Chain | undefined, Account | undefined>

/**
 * Wraps a viem account or wallet client as the toolkit's {@link MessageSigner}: `address`
 * lower-case, `signMessage` signing the UTF-8 text of the message with EIP-191 `personal_sign`
 * and resolving to `0x` + 65 bytes with v = 27/28 and a low s, whatever the wallet returned
 * (v = 0/1 and high-s answers of JSON-RPC wallets and KMS are normalised). A signature from
 * anything other than viem's own key accounts (`privateKeyToAccount`, `mnemonicToAccount`,
 * `hdKeyToAccount`) is checked to recover to `address` before it is returned.
 *
 * The returned object holds no key: `JSON.stringify` and `util.inspect` show only the address.
 *
 * @throws {UnsupportedSourceError} for a JSON-RPC account without a client, a smart account, or a
 * client without an account.
 *
 * @example
 * ```ts
 * import { jobListMessage } from '@agentpmt-kit/message-builder'
 * import { createViemSigner } from '@agentpmt-kit/signer-viem'
 * import { privateKeyToAccount } from 'viem/accounts'
 *
 * const signer = createViemSigner(privateKeyToAccount(process.env.AGENT_KEY as `0x${string}`))
 * const signature = await signer.signMessage('agentpmt-external\n...')
 * ```
 */
export function createViemSigner(source: ViemSignerSource): MessageSigner {
  const { address, sign, derivedFromKey } = signingOf(source)
  return toMessageSigner({
    label: 'ViemSigner',
    address,
    sign,
    // Recovery costs several times the signing itself: skip it where viem derived the address
    // from the very key that signs.
    recoverMessageSigner: derivedFromKey ? undefined : recoverMessageSigner,
  })
}

type Signing = {
  address: Hex
  sign: (message: string) => Promise<unknown>
  /** The account is one of viem's own key accounts, whose address comes from the signing key. */
  derivedFromKey: boolean
}

const isKeyAccount = (account: Account): boolean =>
  account.type === 'local' && (account.source === 'privateKey' || account.source === 'hd')

function signingOf(source: ViemSignerSource): Signing {
  if (typeof source !== 'object' || source === null)
    throw new UnsupportedSourceError({ details: 'expected a viem Account or WalletClient' })
  if ('request' in source && typeof source.request === 'function') {
    const account = source.account
    if (account === undefined)
      throw new UnsupportedSourceError({
        details:
          'the WalletClient has no account; create it with `account` (e.g. from eth_requestAccounts)',
      })
    const client = source
    return {
      address: addressOf(account.address),
      // A string is always sent as its UTF-8 text: `{ raw }` is never used.
      sign: (message) => client.signMessage({ account, message }),
      derivedFromKey: isKeyAccount(account),
    }
  }
  const account = source as Account | { type?: unknown }
  if (account.type === 'local' && 'signMessage' in account) {
    const local = account
    const { sign } = local
    return {
      address: addressOf(local.address),
      // A key account signs the EIP-191 digest directly: the same bytes as `signMessage`, without
      // the hex round trips of viem's `hashMessage`, which cost more than all our own work.
      sign:
        isKeyAccount(local) && sign !== undefined
          ? (message) => sign({ hash: personalSignDigest(message) })
          : (message) => local.signMessage({ message }),
      derivedFromKey: isKeyAccount(local),
    }
  }
  if (account.type === 'json-rpc')
    throw new UnsupportedSourceError({
      details: 'a JSON-RPC account signs through its wallet: pass a WalletClient with this account',
    })
  if (account.type === 'smart')
    throw new UnsupportedSourceError({
      details:
        'smart-contract accounts sign with ERC-1271, which the server does not accept (it uses ecrecover)',
    })
  throw new UnsupportedSourceError({ details: 'expected a viem Account or WalletClient' })
}

const utf8 = new TextEncoder()

/** keccak256("\x19Ethereum Signed Message:\n" + byte length + UTF-8 bytes): what EIP-191 signs. */
function personalSignDigest(message: string): Hex {
  const body = utf8.encode(message)
  const prefix = utf8.encode(`\x19Ethereum Signed Message:\n${body.length}`)
  const bytes = new Uint8Array(prefix.length + body.length)
  bytes.set(prefix)
  bytes.set(body, prefix.length)
  return keccak256(bytes)
}

function addressOf(value: unknown): Hex {
  const address = readAddress(value)
  if (address === undefined)
    throw new UnsupportedSourceError({ details: 'the account has no valid 0x address' })
  return address
}
