import { readFileSync } from 'node:fs'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { Wallet } from 'ethers'
import { describe, expect, test } from 'vitest'
import { createEthersSigner } from './createEthersSigner.js'
import {
  InvalidMessageError,
  InvalidSignatureError,
  recoverMessageSigner,
  verifyMessageSignature,
} from './verify.js'

type SigningCase = {
  id: string
  privateKey: `0x${string}`
  address: `0x${string}`
  message: string
  signature: `0x${string}`
}
type VerifyCase = {
  id: string
  address: string
  message: string
  signature: string
  valid: boolean
  recovered: string | null
}

const vectors = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../vectors/signatures/${name}`, import.meta.url), 'utf8'),
  ) as { cases: unknown[] }
const signingCases = vectors('personal-sign.json').cases as SigningCase[]
const verifyCases = vectors('verify.json').cases as VerifyCase[]

describe('vectors/signatures/personal-sign.json', () => {
  test('has cases', () => {
    expect(signingCases.length).toBeGreaterThan(50)
  })

  test.each(signingCases.map((item) => [item.id, item] as const))('%s', async (_id, item) => {
    const signer = await createEthersSigner(new Wallet(item.privateKey))
    expect(signer.address).toBe(item.address)
    expect(await signer.signMessage(item.message)).toBe(item.signature)
    expect(await recoverMessageSigner(item)).toBe(item.address)
    expect(await verifyMessageSignature(item)).toBe(true)
  })
})

describe('vectors/signatures/verify.json', () => {
  test.each(verifyCases.map((item) => [item.id, item] as const))('%s', async (_id, item) => {
    expect(await verifyMessageSignature(item)).toBe(item.valid)
    if (item.recovered === null)
      await expect(recoverMessageSigner(item)).rejects.toBeInstanceOf(InvalidSignatureError)
    else expect(await recoverMessageSigner(item)).toBe(item.recovered)
  })
})

const [reserve] = signingCases
if (reserve === undefined) throw new Error('no vectors')

describe('malformed input', () => {
  const notSignatures: unknown[] = [
    undefined,
    null,
    0,
    65,
    {},
    [],
    new Uint8Array(65),
    '0x',
    '0x00',
    `0x${'00'.repeat(65)}`,
    `0x${'ff'.repeat(65)}`,
    `0X${reserve.signature.slice(2)}`,
    ` ${reserve.signature}`,
    `${reserve.signature}\n`,
  ]

  test.each(notSignatures.map((value) => [String(value).slice(0, 20), value] as const))(
    'signature %s: verify false, recover throws InvalidSignatureError',
    async (_label, signature) => {
      const input = { address: reserve.address, message: reserve.message, signature } as never
      expect(await verifyMessageSignature(input)).toBe(false)
      const error = await recoverMessageSigner(input).catch((error: unknown) => error)
      expect(error).toBeInstanceOf(InvalidSignatureError)
      expect(error).toBeInstanceOf(BaseError)
      expect((error as BaseError).name).toBe('SignerEthers.InvalidSignatureError')
    },
  )

  test('an r that is no curve x coordinate is refused, not a crash', async () => {
    // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square modulo p).
    const signature = `0x${'0'.repeat(63)}5${reserve.signature.slice(66)}`
    expect(await verifyMessageSignature({ ...reserve, signature })).toBe(false)
    await expect(recoverMessageSigner({ ...reserve, signature })).rejects.toBeInstanceOf(
      InvalidSignatureError,
    )
  })

  test.each([
    ['undefined', undefined],
    ['a number', 12],
    ['bytes', new TextEncoder().encode('hello')],
    ['a lone high surrogate', 'abc\ud800'],
    ['a lone low surrogate', '\udc00abc'],
  ])('message %s: verify false, recover throws InvalidMessageError', async (_label, message) => {
    const input = { ...reserve, message } as never
    expect(await verifyMessageSignature(input)).toBe(false)
    const error = await recoverMessageSigner(input).catch((error: unknown) => error)
    expect(error).toBeInstanceOf(InvalidMessageError)
    expect((error as BaseError).name).toBe('SignerEthers.InvalidMessageError')
  })

  test.each([
    undefined,
    null,
    '',
    '0x',
    reserve.address.slice(0, 41),
    `${reserve.address}00`,
    reserve.address.slice(2),
    `0x${'g'.repeat(40)}`,
  ])('address %s: verify false', async (address) => {
    expect(await verifyMessageSignature({ ...reserve, address } as never)).toBe(false)
  })

  test('error messages say what was wrong', async () => {
    const error = (await recoverMessageSigner({ ...reserve, signature: '0x1234' }).catch(
      (error: unknown) => error,
    )) as InvalidSignatureError
    expect(error.shortMessage).toBe('Invalid signature.')
    expect(error.details).toBe('expected 65 bytes, got 2 bytes')
    expect(error.docsPath).toBe('/documents/Signing.html#verifying')
  })
})
