import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  concat,
  createWalletClient,
  custom,
  type EIP1193RequestFn,
  type Hex,
  hexToBigInt,
  numberToHex,
  slice,
} from 'viem'
import { mnemonicToAccount, privateKeyToAccount, toAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import {
  createViemSigner,
  InvalidMessageError,
  InvalidSignatureError,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
} from './index.js'

// The rules every signer shares (normalising answers, errors, what the signer object shows) are
// tested in message-builder's signature.test.ts; these test viem's paths into them.
const { cases: signingCases } = JSON.parse(
  readFileSync(new URL('../../../vectors/signatures/personal-sign.json', import.meta.url), 'utf8'),
) as {
  cases: {
    id: string
    privateKey: Hex
    address: Hex
    message: string
    messageHex: Hex
    signature: Hex
  }[]
}
const vector = (id: string) =>
  signingCases.find((item) => item.id === id) ?? expect.unreachable(`no vector ${id}`)
const reserve = vector('anvil-0/job-reserve')
const hexLooking = vector('anvil-0/hex-looking')
const otherKey = vector('anvil-1/job-reserve')

/** How some hardware wallets and KMS answer: v = 0/1 and, with `highS`, the malleable twin. */
function asWalletAnswers(signature: Hex, { highS = false } = {}): Hex {
  const s = hexToBigInt(slice(signature, 32, 64))
  const bit = Number(signature.endsWith('1c')) ^ Number(highS)
  const twin = highS ? secp256k1.Point.Fn.ORDER - s : s
  return concat([
    slice(signature, 0, 32),
    numberToHex(twin, { size: 32 }),
    numberToHex(bit, { size: 1 }),
  ])
}

/** A fake EIP-1193 wallet: personal_sign of the given bytes, answered as some wallets do. */
function fakeWallet(privateKey: Hex, options: { highS?: boolean } = {}) {
  const calls: { method: string; params: unknown }[] = []
  const request = (async ({ method, params }: { method: string; params?: unknown }) => {
    calls.push({ method, params })
    if (method !== 'personal_sign') throw new Error(`unexpected ${method}`)
    const [raw] = params as [Hex, Hex]
    return asWalletAnswers(
      await privateKeyToAccount(privateKey).signMessage({ message: { raw } }),
      options,
    )
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
        const signature = await privateKeyToAccount(reserve.privateKey).signMessage({ message })
        return asWalletAnswers(signature, { highS: true })
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
    const mismatch = createViemSigner(impostor).signMessage(reserve.message)
    await expect(mismatch).rejects.toBeInstanceOf(SignerMismatchError)
    await expect(mismatch).rejects.toMatchObject({ recovered: otherKey.address })
  })

  test('an account that answers no signature gives InvalidSignatureError', async () => {
    for (const answer of [`0x${'ab'.repeat(64)}`, `${reserve.signature}00`]) {
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
    expect(() => createViemSigner(source as never)).toThrow(UnsupportedSourceError)
  })
})

describe('the private key stays out of sight', () => {
  const leaks = (text: string) => text.toLowerCase().includes(reserve.privateKey.slice(2))

  test('the signer of a viem key account shows its address only', () => {
    const signer = createViemSigner(privateKeyToAccount(reserve.privateKey))
    expect(inspect(signer)).toBe(`ViemSigner { address: '${reserve.address}' }`)
    expect(JSON.stringify(signer)).toBe(`{"address":"${reserve.address}"}`)
    const hidden = { showHidden: true, depth: Number.POSITIVE_INFINITY }
    expect(leaks(inspect(signer, hidden))).toBe(false)
    expect(leaks(inspect(signer, { ...hidden, customInspect: false }))).toBe(false)
    expect(leaks(`key: ${reserve.privateKey.toUpperCase()}`)).toBe(true) // the check can fail
  })

  test('nor do its errors', async () => {
    const signer = createViemSigner(privateKeyToAccount(reserve.privateKey))
    for (const message of ['\ud800', 42 as never]) {
      const error = await signer.signMessage(message).catch((error: unknown) => error)
      expect(error).toBeInstanceOf(BaseError)
      expect(leaks(inspect(error, { showHidden: true, depth: Number.POSITIVE_INFINITY }))).toBe(
        false,
      )
      expect(leaks(`${JSON.stringify(error)} ${(error as Error).stack}`)).toBe(false)
    }
  })
})
