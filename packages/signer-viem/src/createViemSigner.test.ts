import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { createWalletClient, custom, type EIP1193RequestFn, type Hex } from 'viem'
import { mnemonicToAccount, privateKeyToAccount, toAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import {
  createViemSigner,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
} from './createViemSigner.js'
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
function walletSign(
  privateKey: Hex,
  data: Uint8Array,
  { v = 'recovery-bit', highS = false }: { v?: 'recovery-bit' | '27-28'; highS?: boolean } = {},
): Hex {
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
  const vByte = v === 'recovery-bit' ? recovery : 27 + recovery
  return `0x${word(signature.r)}${word(s)}${vByte.toString(16).padStart(2, '0')}`
}

/** A fake EIP-1193 wallet that answers personal_sign with v = 0/1, recording each call. */
function fakeWallet(privateKey: Hex, options: Parameters<typeof walletSign>[2] = {}) {
  const calls: { method: string; params: unknown }[] = []
  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    calls.push({ method, params })
    if (method === 'personal_sign') {
      const [data] = params as [Hex, Hex]
      return walletSign(privateKey, hexToBytes(data.slice(2)), options)
    }
    throw new Error(`unexpected ${method}`)
  }) as EIP1193RequestFn
  return { calls, request }
}

describe('local accounts', () => {
  test('privateKeyToAccount signs the vector bytes', async () => {
    const signer = createViemSigner(privateKeyToAccount(reserve.privateKey))
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('mnemonicToAccount of the Hardhat/Anvil mnemonic is account 0', async () => {
    const account = mnemonicToAccount('test test test test test test test test test test test junk')
    const signer = createViemSigner(account)
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('a hex-looking message is signed as its UTF-8 text', async () => {
    const signer = createViemSigner(privateKeyToAccount(hexLooking.privateKey))
    expect(hexLooking.message).toBe('0x1234')
    expect(await signer.signMessage('0x1234')).toBe(hexLooking.signature)
  })

  test('toAccount around a KMS that answers high-s with v = 0/1 is normalised', async () => {
    const calls: string[] = []
    const kms = toAccount({
      address: reserve.address,
      async signMessage({ message }) {
        if (typeof message !== 'string') throw new Error('expected text')
        calls.push(message)
        return walletSign(reserve.privateKey, new TextEncoder().encode(message), { highS: true })
      },
      signTransaction: async () => '0x',
      signTypedData: async () => '0x',
    })
    const signer = createViemSigner(kms)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
    expect(calls).toEqual([reserve.message])
  })

  test('a local account that signs with another key gives SignerMismatchError', async () => {
    const impostor = toAccount({
      address: reserve.address,
      signMessage: ({ message }) =>
        privateKeyToAccount(otherKey.privateKey).signMessage({ message }),
      signTransaction: async () => '0x',
      signTypedData: async () => '0x',
    })
    const error = await createViemSigner(impostor)
      .signMessage(reserve.message)
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SignerMismatchError)
    expect(error).toMatchObject({
      name: 'SignerViem.SignerMismatchError',
      expected: reserve.address,
      recovered: otherKey.address,
    })
  })

  test('an account that answers no signature gives InvalidSignatureError', async () => {
    for (const answer of ['0x', `0x${'ab'.repeat(64)}`, 'nope', `${reserve.signature}00`]) {
      const broken = toAccount({
        address: reserve.address,
        signMessage: async () => answer as Hex,
        signTransaction: async () => '0x',
        signTypedData: async () => '0x',
      })
      await expect(createViemSigner(broken).signMessage('hi')).rejects.toBeInstanceOf(
        InvalidSignatureError,
      )
    }
  })

  test('an account that throws gives SigningFailedError with the cause', async () => {
    const cause = new Error('KMS unavailable')
    const failing = toAccount({
      address: reserve.address,
      signMessage: async () => {
        throw cause
      },
      signTransaction: async () => '0x',
      signTypedData: async () => '0x',
    })
    const error = await createViemSigner(failing)
      .signMessage('hi')
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SigningFailedError)
    expect((error as SigningFailedError).cause).toBe(cause)
  })

  test('a message that is not well-formed text is refused before signing', async () => {
    const signer = createViemSigner(privateKeyToAccount(reserve.privateKey))
    await expect(signer.signMessage('\ud83e')).rejects.toBeInstanceOf(InvalidMessageError)
    await expect(signer.signMessage(new Uint8Array([1]) as never)).rejects.toBeInstanceOf(
      InvalidMessageError,
    )
  })
})

describe('WalletClient with a JSON-RPC account (custom EIP-1193 transport)', () => {
  test('sends personal_sign with the hex UTF-8 of the message and normalises v = 0/1', async () => {
    const wallet = fakeWallet(reserve.privateKey)
    const client = createWalletClient({
      account: reserve.address,
      transport: custom({ request: wallet.request }),
    })
    const signer = createViemSigner(client)
    expect(signer.address).toBe(reserve.address)
    expect(await signer.signMessage(reserve.message)).toBe(reserve.signature)
    expect(wallet.calls).toHaveLength(1)
    const [call] = wallet.calls
    expect(call?.method).toBe('personal_sign')
    const [data, address] = (call?.params ?? []) as [Hex, Hex]
    expect(data).toBe(reserve.messageHex)
    expect(address.toLowerCase()).toBe(reserve.address)
  })

  test('a hex-looking message travels as the hex of its text, not as the bytes it spells', async () => {
    const wallet = fakeWallet(hexLooking.privateKey)
    const client = createWalletClient({
      account: hexLooking.address,
      transport: custom({ request: wallet.request }),
    })
    expect(await createViemSigner(client).signMessage('0x1234')).toBe(hexLooking.signature)
    expect(wallet.calls[0]?.params).toEqual(['0x307831323334', hexLooking.address])
  })

  test('every vector message, including empty and non-ASCII ones', async () => {
    const cases = signingCases.filter((item) => item.id.startsWith('anvil-0/'))
    const wallet = fakeWallet(reserve.privateKey)
    const client = createWalletClient({
      account: reserve.address,
      transport: custom({ request: wallet.request }),
    })
    const signer = createViemSigner(client)
    for (const item of cases) expect(await signer.signMessage(item.message)).toBe(item.signature)
    expect(wallet.calls.map((call) => (call.params as Hex[])[0])).toEqual(
      cases.map((item) => item.messageHex),
    )
  })

  test('a wallet that signs with another key than its account gives SignerMismatchError', async () => {
    const client = createWalletClient({
      account: reserve.address,
      transport: custom({ request: fakeWallet(otherKey.privateKey).request }),
    })
    await expect(createViemSigner(client).signMessage(reserve.message)).rejects.toBeInstanceOf(
      SignerMismatchError,
    )
  })

  test('a WalletClient with a local account signs locally', async () => {
    const client = createWalletClient({
      account: privateKeyToAccount(reserve.privateKey),
      transport: custom({
        request: async () => {
          throw new Error('no RPC expected')
        },
      }),
    })
    expect(await createViemSigner(client).signMessage(reserve.message)).toBe(reserve.signature)
  })

  test('a user rejection gives SigningFailedError', async () => {
    const client = createWalletClient({
      account: reserve.address,
      transport: custom({
        request: async () => {
          throw Object.assign(new Error('User rejected the request.'), { code: 4001 })
        },
      }),
    })
    const error = await createViemSigner(client)
      .signMessage('hi')
      .catch((error: unknown) => error)
    expect(error).toBeInstanceOf(SigningFailedError)
    expect((error as BaseError).walk()).toMatchObject({ code: 4001 })
  })
})

describe('unsupported sources', () => {
  test.each([
    [
      'a WalletClient without an account',
      createWalletClient({ transport: custom(fakeWallet(reserve.privateKey)) }),
    ],
    ['a bare JSON-RPC account', toAccount(reserve.address)],
    ['a smart account', { type: 'smart', address: reserve.address }],
    ['null', null],
    ['a string', reserve.address],
    [
      'an account with a bad address',
      { ...privateKeyToAccount(reserve.privateKey), address: '0x12' },
    ],
  ])('%s', (_label, source) => {
    const error = (() => {
      try {
        createViemSigner(source as never)
        return undefined
      } catch (error) {
        return error
      }
    })()
    expect(error).toBeInstanceOf(UnsupportedSourceError)
    expect(error).toBeInstanceOf(BaseError)
    expect((error as BaseError).name).toBe('SignerViem.UnsupportedSourceError')
  })
})

describe('the private key stays out of sight', () => {
  const key = reserve.privateKey.slice(2)
  const leaks = (text: string) => text.toLowerCase().includes(key)

  test('JSON.stringify and util.inspect show only the address', () => {
    const signer = createViemSigner(privateKeyToAccount(reserve.privateKey))
    expect(JSON.stringify(signer)).toBe(`{"address":"${reserve.address}"}`)
    expect(inspect(signer)).toBe(`ViemSigner { address: '${reserve.address}' }`)
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
    const signer = createViemSigner(privateKeyToAccount(reserve.privateKey))
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

  test('the key in hex is really what the check looks for', () => {
    expect(leaks(`{"k":"${bytesToHex(hexToBytes(key))}"}`)).toBe(true)
  })
})
