import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { BaseError } from '@agentpmt-kit/canonical-json'
import type { Hex } from '@agentpmt-kit/message-builder'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { hexToBytes } from '@noble/hashes/utils.js'
import { BrowserProvider, HDNodeWallet, Mnemonic, Wallet } from 'ethers'
import { describe, expect, test } from 'vitest'
import {
  createEthersSigner,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
} from './createEthersSigner.js'
import { InvalidMessageError, InvalidSignatureError } from './verify.js'

type SigningCase = {
  id: string
  privateKey: Hex
  address: Hex
  message: string
  messageHex: Hex
  signature: Hex
}
const signingCases = (
  JSON.parse(
    readFileSync(
      new URL('../../../vectors/signatures/personal-sign.json', import.meta.url),
      'utf8',
    ),
  ) as { cases: SigningCase[] }
).cases
const vector = (id: string): SigningCase => {
  const found = signingCases.find((item) => item.id === id)
  if (found === undefined) throw new Error(`no vector ${id}`)
  return found
}
const reserve = vector('anvil-0/job-reserve')
const hexLooking = vector('anvil-0/hex-looking')
const otherKey = vector('anvil-1/job-reserve')

const curveOrder = secp256k1.Point.Fn.ORDER
const word = (value: bigint) => value.toString(16).padStart(64, '0')

/** What a wallet does with personal_sign data: EIP-191 over the given bytes, with noble. */
function walletSign(privateKey: Hex, data: Uint8Array, { highS = false } = {}): Hex {
  const prefix = new TextEncoder().encode(`\u0019Ethereum Signed Message:\n${data.length}`)
  const digest = keccak_256(new Uint8Array([...prefix, ...data]))
  const signature = secp256k1.Signature.fromBytes(
    secp256k1.sign(digest, hexToBytes(privateKey.slice(2)), {
      prehash: false,
      format: 'recovered',
    }),
    'recovered',
  )
  let { s } = signature
  let recovery = signature.recovery ?? 0
  if (highS) {
    s = curveOrder - s
    recovery ^= 1
  }
  // v = 0/1, as some hardware and mobile wallets answer.
  return `0x${word(signature.r)}${word(s)}0${recovery}`
}

/** A fake EIP-1193 wallet (chain 1, one account) answering personal_sign with v = 0/1. */
function fakeEthereum(privateKey: Hex, address: Hex, options: { highS?: boolean } = {}) {
  const calls: { method: string; params: unknown }[] = []
  const ethereum = {
    async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
      calls.push({ method, params })
      switch (method) {
        case 'eth_chainId':
          return '0x1'
        case 'eth_accounts':
        case 'eth_requestAccounts':
          return [address]
        case 'personal_sign': {
          const [data] = params as [Hex, Hex]
          return walletSign(privateKey, hexToBytes(data.slice(2)), options)
        }
        default:
          throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 })
      }
    },
  }
  return { calls, ethereum }
}

describe('Wallet and HDNodeWallet', () => {
  test('Wallet signs the vector bytes', async () => {
    const signer = await createEthersSigner(new Wallet(reserve.privateKey))
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('HDNodeWallet of the Hardhat/Anvil mnemonic is account 0', async () => {
    const wallet = HDNodeWallet.fromMnemonic(
      Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
      "m/44'/60'/0'/0/0",
    )
    const signer = await createEthersSigner(wallet)
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('a hex-looking message is signed as its UTF-8 text', async () => {
    const signer = await createEthersSigner(new Wallet(hexLooking.privateKey))
    expect(await signer.signMessage('0x1234')).toBe(hexLooking.signature)
  })

  test('a signer that answers high-s with v = 0/1 is normalised', async () => {
    const kms = {
      getAddress: async () => reserve.address,
      signMessage: async (message: string | Uint8Array) =>
        walletSign(
          reserve.privateKey,
          typeof message === 'string' ? new TextEncoder().encode(message) : message,
          { highS: true },
        ),
    }
    expect(await (await createEthersSigner(kms)).signMessage(reserve.message)).toBe(
      reserve.signature,
    )
  })

  test('a signer that signs with another key gives SignerMismatchError', async () => {
    const impostor = {
      getAddress: async () => reserve.address,
      signMessage: (message: string | Uint8Array) =>
        new Wallet(otherKey.privateKey).signMessage(message),
    }
    const error = await (await createEthersSigner(impostor))
      .signMessage(reserve.message)
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SignerMismatchError)
    expect(error).toMatchObject({
      name: 'SignerEthers.SignerMismatchError',
      expected: reserve.address,
      recovered: otherKey.address,
    })
  })

  test('a signer that answers no signature gives InvalidSignatureError', async () => {
    for (const answer of ['0x', `0x${'ab'.repeat(64)}`, 'nope', `${reserve.signature}00`, 42]) {
      const broken = { getAddress: async () => reserve.address, signMessage: async () => answer }
      const signer = await createEthersSigner(broken as never)
      await expect(signer.signMessage('hi')).rejects.toBeInstanceOf(InvalidSignatureError)
    }
  })

  test('a signer that throws gives SigningFailedError with the cause', async () => {
    const cause = new Error('device disconnected')
    const failing = {
      getAddress: async () => reserve.address,
      signMessage: async () => {
        throw cause
      },
    }
    const error = await (await createEthersSigner(failing))
      .signMessage('hi')
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SigningFailedError)
    expect((error as SigningFailedError).cause).toBe(cause)
  })

  test('a message that is not well-formed text is refused before signing', async () => {
    const signer = await createEthersSigner(new Wallet(reserve.privateKey))
    await expect(signer.signMessage('\ud83e')).rejects.toBeInstanceOf(InvalidMessageError)
    await expect(signer.signMessage(new Uint8Array([1]) as never)).rejects.toBeInstanceOf(
      InvalidMessageError,
    )
  })
})

describe('JsonRpcSigner from a BrowserProvider over a fake EIP-1193 wallet', () => {
  test('sends personal_sign with the hex UTF-8 of the message and normalises v = 0/1', async () => {
    const { calls, ethereum } = fakeEthereum(reserve.privateKey, reserve.address)
    const provider = new BrowserProvider(ethereum, 1)
    const signer = await createEthersSigner(await provider.getSigner())
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
    const signs = calls.filter((call) => call.method === 'personal_sign')
    expect(signs).toEqual([
      { method: 'personal_sign', params: [reserve.messageHex, reserve.address] },
    ])
  })

  test('a hex-looking message travels as the hex of its text', async () => {
    const { calls, ethereum } = fakeEthereum(hexLooking.privateKey, hexLooking.address)
    const signer = await createEthersSigner(await new BrowserProvider(ethereum, 1).getSigner())
    expect(await signer.signMessage('0x1234')).toBe(hexLooking.signature)
    expect(calls.find((call) => call.method === 'personal_sign')?.params).toEqual([
      '0x307831323334',
      hexLooking.address,
    ])
  })

  test('every vector message, including empty and non-ASCII ones, high-s answers too', async () => {
    const cases = signingCases.filter((item) => item.id.startsWith('anvil-0/'))
    const { ethereum } = fakeEthereum(reserve.privateKey, reserve.address, { highS: true })
    const signer = await createEthersSigner(await new BrowserProvider(ethereum, 1).getSigner())
    for (const item of cases) expect(await signer.signMessage(item.message)).toBe(item.signature)
  })

  test('a wallet that signs with another key than its account gives SignerMismatchError', async () => {
    const { ethereum } = fakeEthereum(otherKey.privateKey, reserve.address)
    const signer = await createEthersSigner(await new BrowserProvider(ethereum, 1).getSigner())
    await expect(signer.signMessage(reserve.message)).rejects.toBeInstanceOf(SignerMismatchError)
  })

  test('a user rejection gives SigningFailedError', async () => {
    const ethereum = {
      async request({ method }: { method: string }): Promise<unknown> {
        if (method === 'eth_chainId') return '0x1'
        if (method === 'eth_accounts') return [reserve.address]
        throw Object.assign(new Error('User rejected the request.'), { code: 4001 })
      },
    }
    const signer = await createEthersSigner(await new BrowserProvider(ethereum, 1).getSigner())
    const error = await signer.signMessage('hi').catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SigningFailedError)
    expect((error as BaseError).name).toBe('SignerEthers.SigningFailedError')
  })
})

describe('unsupported sources', () => {
  test.each([
    ['null', null],
    ['a string', reserve.address],
    ['an object without signMessage', { getAddress: async () => reserve.address }],
    ['a bad address', { getAddress: async () => '0x12', signMessage: async () => '0x' }],
    [
      'a failing getAddress',
      {
        getAddress: async () => {
          throw new Error('locked')
        },
        signMessage: async () => '0x',
      },
    ],
  ])('%s', async (_label, source) => {
    const error = await createEthersSigner(source as never).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(UnsupportedSourceError)
    expect(error).toBeInstanceOf(BaseError)
    expect((error as BaseError).name).toBe('SignerEthers.UnsupportedSourceError')
  })
})

describe('the private key stays out of sight', () => {
  const key = reserve.privateKey.slice(2)
  const leaks = (text: string) => text.toLowerCase().includes(key)

  test('the ethers Wallet itself would show it, the signer does not', async () => {
    const wallet = new Wallet(reserve.privateKey)
    expect(leaks(wallet.privateKey)).toBe(true)
    const signer = await createEthersSigner(wallet)
    expect(JSON.stringify(signer)).toBe(`{"address":"${reserve.address}"}`)
    expect(inspect(signer)).toBe(`EthersSigner { address: '${reserve.address}' }`)
    for (const text of [
      inspect(signer, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      inspect(signer, { showHidden: true, depth: Number.POSITIVE_INFINITY, customInspect: false }),
      String(signer),
      JSON.stringify(Object.entries(signer)),
    ])
      expect(leaks(text)).toBe(false)
    expect(Object.keys(signer).sort()).toEqual(['address', 'signMessage', 'toJSON'])
    expect(Object.isFrozen(signer)).toBe(true)
  })

  test('no error of a signer carries it', async () => {
    const signer = await createEthersSigner(new Wallet(reserve.privateKey))
    const errors = [
      await signer.signMessage('\ud800').catch((error: unknown) => error),
      await signer.signMessage(42 as never).catch((error: unknown) => error),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(BaseError)
      expect(leaks(inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY }))).toBe(
        false,
      )
      expect(leaks(JSON.stringify(error))).toBe(false)
      expect(leaks(String((error as Error).stack))).toBe(false)
    }
  })
})
