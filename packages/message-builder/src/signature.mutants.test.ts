import { describe, expect, test } from 'vitest'
import { createSignatureVerifier, readSignature } from './signature.js'

// Cases signature.test.ts leaves open (found by mutation testing).

const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n // secp256k1 order
const hex64 = (value: bigint): string => value.toString(16).padStart(64, '0')

describe('readSignature with allowHighS', () => {
  test.each([
    ['1b', 1],
    ['1c', 0],
  ] as const)('a high s with v = 0x%s becomes n - s with the other parity', (v, yParity) => {
    const reading = readSignature(`0x${hex64(5n)}${hex64(n - 7n)}${v}`, { allowHighS: true })
    expect(reading).toEqual({ ok: true, parts: { r: 5n, s: 7n, yParity } })
  })
})

describe('createSignatureVerifier', () => {
  const address = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
  const signature = `0x${hex64(5n)}${hex64(7n)}1c`

  test('gives the recovery function the message and the parts, and the address lower-cased', async () => {
    const calls: unknown[] = []
    const verifier = createSignatureVerifier((message, parts) => {
      calls.push([message, parts])
      return address.toUpperCase().replace('0X', '0x')
    })
    await expect(verifier.recoverMessageSigner({ message: 'hi', signature })).resolves.toBe(address)
    await expect(
      verifier.verifyMessageSignature({
        address: address.toUpperCase().replace('0X', '0x'),
        message: 'hi',
        signature,
      }),
    ).resolves.toBe(true)
    await expect(
      verifier.verifyMessageSignature({ address: `0x${'1'.repeat(40)}`, message: 'hi', signature }),
    ).resolves.toBe(false)
    expect(calls).toEqual([
      ['hi', { r: 5n, s: 7n, yParity: 1 }],
      ['hi', { r: 5n, s: 7n, yParity: 1 }],
      ['hi', { r: 5n, s: 7n, yParity: 1 }],
    ])
  })
})
