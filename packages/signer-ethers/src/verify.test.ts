import { readFileSync } from 'node:fs'
import { Wallet } from 'ethers'
import { describe, expect, test } from 'vitest'
import { createEthersSigner, recoverMessageSigner, verifyMessageSignature } from './index.js'

// message-builder's signature.test.ts holds the rules themselves; here ethers' recovery is
// checked against the vectors once plugged into them.
const file = (name: 'personal-sign.json' | 'verify.json') =>
  JSON.parse(readFileSync(new URL(`../../../vectors/signatures/${name}`, import.meta.url), 'utf8'))
const signing: {
  id: string
  privateKey: string
  address: string
  message: string
  signature: string
}[] = file('personal-sign.json').cases
type Expected = { valid: boolean; recovered: string | null }
const verifying: (Omit<(typeof signing)[number], 'privateKey'> & Expected)[] =
  file('verify.json').cases

describe('personal-sign.json through ethers', () => {
  test.each(signing.map((item) => [item.id, item] as const))('%s', async (_id, item) => {
    const signer = await createEthersSigner(new Wallet(item.privateKey))
    const signature = await signer.signMessage(item.message)
    expect([signer.address, signature]).toEqual([item.address, item.signature])
    expect(await recoverMessageSigner(item)).toBe(item.address)
    expect(await verifyMessageSignature(item)).toBe(true)
  })
})

describe('verify.json through ethers', () => {
  test.each(verifying.map((item) => [item.id, item] as const))('%s', async (_id, item) => {
    const outcome = await recoverMessageSigner(item).then(
      (address) => address,
      (error: Error) => error.name,
    )
    expect(outcome).toBe(item.recovered ?? 'Signature.InvalidSignatureError')
    expect(await verifyMessageSignature(item)).toBe(item.valid)
  })
})

test('an r that is no curve point: ethers throws, the package answers InvalidSignatureError', async () => {
  const item = signing[0] ?? expect.unreachable('no vectors')
  // 5 is not the x coordinate of a point: 5^3 + 7 has no square root modulo p.
  const signature = `0x${(5).toString(16).padStart(64, '0')}${item.signature.slice(66)}`
  const error = await recoverMessageSigner({ message: item.message, signature }).then(
    () => expect.unreachable('recovered'),
    (error: Error) => error,
  )
  expect(error).toMatchObject({
    name: 'Signature.InvalidSignatureError',
    details: 'no public key can be recovered from it',
  })
  expect(error.cause).toBeInstanceOf(Error)
  expect(await verifyMessageSignature({ ...item, signature })).toBe(false)
})
