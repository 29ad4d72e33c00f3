import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import type { BaseError } from '@agentpmt-kit/canonical-json'
import {
  BrowserProvider,
  concat,
  getBytes,
  HDNodeWallet,
  Mnemonic,
  N,
  Signature,
  toBeHex,
  Wallet,
} from 'ethers'
import { describe, expect, test } from 'vitest'
import * as SignerEthers from './index.js'

// What every signer shares (normalising a wallet's answer, the errors, what the signer shows) is
// tested once in message-builder's signature.test.ts; these follow ethers' own paths into it.
type Vector = {
  privateKey: string
  address: string
  message: string
  messageHex: string
  signature: string
}
const personalSign = new Map<string, Vector>(
  (
    JSON.parse(
      readFileSync(
        new URL('../../../vectors/signatures/personal-sign.json', import.meta.url),
        'utf8',
      ),
    ).cases as (Vector & { id: string })[]
  ).map((item) => [item.id, item]),
)
const vector = (id: string): Vector => personalSign.get(id) ?? expect.unreachable(id)
const reserve = vector('anvil-0/job-reserve')
const hexLooking = vector('anvil-0/hex-looking')
const otherKey = vector('anvil-1/job-reserve')

/** As a hardware or mobile wallet may answer: v = 0/1, and with `highS` the malleable twin. */
function likeHardwareWallet(signature: string, { highS = false } = {}): string {
  const { r, s, yParity } = Signature.from(signature)
  if (!highS) return concat([r, s, toBeHex(yParity, 1)])
  return concat([r, toBeHex(N - BigInt(s), 32), toBeHex(1 - yParity, 1)])
}

/** A fake EIP-1193 wallet (chain 1, one account) answering personal_sign with v = 0/1. */
function fakeEthereum(privateKey: string, address: string, options: { highS?: boolean } = {}) {
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
          const [data] = params as [string, string]
          return likeHardwareWallet(new Wallet(privateKey).signMessageSync(getBytes(data)), options)
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
    const signer = await SignerEthers.createEthersSigner(new Wallet(reserve.privateKey))
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('HDNodeWallet of the Hardhat/Anvil mnemonic is account 0', async () => {
    const wallet = HDNodeWallet.fromMnemonic(
      Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
      "m/44'/60'/0'/0/0",
    )
    const signer = await SignerEthers.createEthersSigner(wallet)
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('a hex-looking message is signed as its UTF-8 text', async () => {
    const signer = await SignerEthers.createEthersSigner(new Wallet(hexLooking.privateKey))
    expect(await signer.signMessage('0x1234')).toBe(hexLooking.signature)
  })

  test('a signer that answers high-s with v = 0/1 is normalised', async () => {
    const kms = {
      getAddress: async () => reserve.address,
      signMessage: async (message: string | Uint8Array) =>
        likeHardwareWallet(await new Wallet(reserve.privateKey).signMessage(message), {
          highS: true,
        }),
    }
    expect(await (await SignerEthers.createEthersSigner(kms)).signMessage(reserve.message)).toBe(
      reserve.signature,
    )
  })

  test('a signer that signs with another key gives SignerMismatchError', async () => {
    const impostor = {
      getAddress: async () => reserve.address,
      signMessage: (message: string | Uint8Array) =>
        new Wallet(otherKey.privateKey).signMessage(message),
    }
    const signer = await SignerEthers.createEthersSigner(impostor)
    await expect(signer.signMessage(reserve.message)).rejects.toThrow(
      SignerEthers.SignerMismatchError,
    )
  })

  test('a signer that answers no signature gives InvalidSignatureError', async () => {
    for (const answer of [`0x${'ab'.repeat(64)}`, 42]) {
      const broken = { getAddress: async () => reserve.address, signMessage: async () => answer }
      const signer = await SignerEthers.createEthersSigner(broken as never)
      await expect(signer.signMessage('hi')).rejects.toBeInstanceOf(
        SignerEthers.InvalidSignatureError,
      )
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
    const error = await (await SignerEthers.createEthersSigner(failing))
      .signMessage('hi')
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SignerEthers.SigningFailedError)
    expect((error as SignerEthers.SigningFailedError).cause).toBe(cause)
  })

  test('a message that is not well-formed text is refused before signing', async () => {
    const signer = await SignerEthers.createEthersSigner(new Wallet(reserve.privateKey))
    await expect(signer.signMessage('\ud83e')).rejects.toBeInstanceOf(
      SignerEthers.InvalidMessageError,
    )
    await expect(signer.signMessage(new Uint8Array([1]) as never)).rejects.toBeInstanceOf(
      SignerEthers.InvalidMessageError,
    )
  })
})

describe('JsonRpcSigner from a BrowserProvider over a fake EIP-1193 wallet', () => {
  test('sends personal_sign with the hex UTF-8 of the message and normalises v = 0/1', async () => {
    const { calls, ethereum } = fakeEthereum(reserve.privateKey, reserve.address)
    const provider = new BrowserProvider(ethereum, 1)
    const signer = await SignerEthers.createEthersSigner(await provider.getSigner())
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
    const signs = calls.filter((call) => call.method === 'personal_sign')
    expect(signs).toEqual([
      { method: 'personal_sign', params: [reserve.messageHex, reserve.address] },
    ])
  })

  test('a hex-looking message travels as the hex of its text', async () => {
    const { calls, ethereum } = fakeEthereum(hexLooking.privateKey, hexLooking.address)
    const signer = await SignerEthers.createEthersSigner(
      await new BrowserProvider(ethereum, 1).getSigner(),
    )
    expect(await signer.signMessage('0x1234')).toBe(hexLooking.signature)
    expect(calls.find((call) => call.method === 'personal_sign')?.params).toEqual([
      '0x307831323334',
      hexLooking.address,
    ])
  })

  test('every vector message, including empty and non-ASCII ones, high-s answers too', async () => {
    const cases = [...personalSign]
      .filter(([id]) => id.startsWith('anvil-0/'))
      .map(([, item]) => item)
    const { ethereum } = fakeEthereum(reserve.privateKey, reserve.address, { highS: true })
    const signer = await SignerEthers.createEthersSigner(
      await new BrowserProvider(ethereum, 1).getSigner(),
    )
    for (const item of cases) expect(await signer.signMessage(item.message)).toBe(item.signature)
  })

  test('a wallet that signs with another key than its account gives SignerMismatchError', async () => {
    const { ethereum } = fakeEthereum(otherKey.privateKey, reserve.address)
    const signer = await SignerEthers.createEthersSigner(
      await new BrowserProvider(ethereum, 1).getSigner(),
    )
    await expect(signer.signMessage(reserve.message)).rejects.toBeInstanceOf(
      SignerEthers.SignerMismatchError,
    )
  })

  test('a user rejection gives SigningFailedError', async () => {
    const ethereum = {
      async request({ method }: { method: string }): Promise<unknown> {
        if (method === 'eth_chainId') return '0x1'
        if (method === 'eth_accounts') return [reserve.address]
        throw Object.assign(new Error('User rejected the request.'), { code: 4001 })
      },
    }
    const signer = await SignerEthers.createEthersSigner(
      await new BrowserProvider(ethereum, 1).getSigner(),
    )
    const error = await signer.signMessage('hi').catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SignerEthers.SigningFailedError)
    expect((error as BaseError).name).toBe('Signature.SigningFailedError')
    expect((error as BaseError).walk()).toMatchObject({ code: 'ACTION_REJECTED' })
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
    await expect(SignerEthers.createEthersSigner(source as never)).rejects.toThrow(
      SignerEthers.UnsupportedSourceError,
    )
  })
})

describe('the private key stays out of sight', () => {
  const hidden = { showHidden: true, depth: Number.POSITIVE_INFINITY }
  const leaks = (value: unknown) =>
    inspect(value, hidden).toLowerCase().includes(reserve.privateKey.slice(2))

  test('the ethers Wallet itself would show it, the signer does not', async () => {
    const wallet = new Wallet(reserve.privateKey)
    expect(leaks(wallet.privateKey)).toBe(true)
    const signer = await SignerEthers.createEthersSigner(wallet)
    expect(inspect(signer)).toBe(`EthersSigner { address: '${reserve.address}' }`)
    expect(JSON.stringify(signer)).toBe(`{"address":"${reserve.address}"}`)
    expect(leaks(signer)).toBe(false)
    expect(leaks(inspect(signer, { ...hidden, customInspect: false }))).toBe(false)
  })

  test('nor does an error of the signer', async () => {
    const signer = await SignerEthers.createEthersSigner(new Wallet(reserve.privateKey))
    const errors = await Promise.all(
      ['\udfff', null as never].map((message) =>
        signer.signMessage(message).catch((e: unknown) => e),
      ),
    )
    for (const error of errors) {
      expect(error).toBeInstanceOf(SignerEthers.InvalidMessageError)
      expect(leaks(error)).toBe(false)
      expect(leaks(JSON.stringify(error) + String((error as Error).stack))).toBe(false)
    }
  })
})
