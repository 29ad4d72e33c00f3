import { readFileSync } from 'node:fs'
import { InvalidSignatureError } from '@agentpmt-kit/message-builder'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createViemSigner } from './createViemSigner.js'
import { recoverMessageSigner, verifyMessageSignature } from './verify.js'

// What is accepted is message-builder's (signature.test.ts there); these check that viem's
// recovery, plugged into it, gives the vectors' answers.
type Case = { id: string; privateKey: `0x${string}`; address: string; message: string }
const read = <T>(file: string): T[] =>
  (
    JSON.parse(
      readFileSync(new URL(`../../../vectors/signatures/${file}`, import.meta.url), 'utf8'),
    ) as { cases: T[] }
  ).cases

test.each(
  read<Case & { signature: string }>('personal-sign.json').map((item) => [item.id, item] as const),
)('personal-sign.json %s: createViemSigner signs it, viem recovers it', async (_id, item) => {
  const signer = createViemSigner(privateKeyToAccount(item.privateKey))
  expect(signer.address).toBe(item.address)
  expect(await signer.signMessage(item.message)).toBe(item.signature)
  expect(await recoverMessageSigner(item)).toBe(item.address)
  expect(await verifyMessageSignature(item)).toBe(true)
})

describe('verify.json', () => {
  const cases = read<
    Omit<Case, 'privateKey'> & { signature: string; valid: boolean; recovered: string | null }
  >('verify.json')
  test.each(cases.map((item) => [item.id, item] as const))('%s', async (_id, item) => {
    expect(await verifyMessageSignature(item)).toBe(item.valid)
    const recovered = recoverMessageSigner(item)
    if (item.recovered === null)
      await expect(recovered).rejects.toBeInstanceOf(InvalidSignatureError)
    else expect(await recovered).toBe(item.recovered)
  })
})

test('viem failing on an r that is no curve x coordinate gives InvalidSignatureError', async () => {
  // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square modulo p).
  const [item] = read<Case & { signature: string }>('personal-sign.json')
  if (item === undefined) throw new Error('no vectors')
  const signature = `0x${'0'.repeat(63)}5${item.signature.slice(66)}`
  expect(await verifyMessageSignature({ ...item, signature })).toBe(false)
  const error = await recoverMessageSigner({ ...item, signature }).catch((error: unknown) => error)
  expect(error).toMatchObject({
    name: 'Signature.InvalidSignatureError',
    details: 'no public key can be recovered from it',
  })
  expect((error as Error).cause).toBeInstanceOf(Error)
})
