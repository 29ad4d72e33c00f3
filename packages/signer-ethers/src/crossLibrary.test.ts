import { readFileSync } from 'node:fs'
import * as viemSide from '@agentpmt-kit/signer-viem'
import { Wallet } from 'ethers'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import * as ethersSide from './index.js'

type VerifyCase = { id: string; address: string; message: string; signature: string }
type SigningCase = { id: string; privateKey: `0x${string}`; message: string; signature: string }
const vectors = <T>(name: string): T[] =>
  (
    JSON.parse(
      readFileSync(new URL(`../../../vectors/signatures/${name}`, import.meta.url), 'utf8'),
    ) as { cases: T[] }
  ).cases

/** Name of an error without its module, so the two packages' errors can be compared. */
const outcome = async (run: () => Promise<unknown>) => {
  try {
    return { value: await run() }
  } catch (error) {
    return { error: (error as Error).name.replace(/^Signer(Viem|Ethers)\./, '') }
  }
}

describe('signer-viem and signer-ethers give the same answers', () => {
  test.each(vectors<SigningCase>('personal-sign.json').map((item) => [item.id, item] as const))(
    'signature %s: same bytes, each verifies the other',
    async (_id, item) => {
      const viemSigner = viemSide.createViemSigner(privateKeyToAccount(item.privateKey))
      const ethersSigner = await ethersSide.createEthersSigner(new Wallet(item.privateKey))
      const fromViem = await viemSigner.signMessage(item.message)
      const fromEthers = await ethersSigner.signMessage(item.message)
      expect(fromViem).toBe(fromEthers)
      const address = viemSigner.address
      expect(
        await ethersSide.verifyMessageSignature({
          address,
          message: item.message,
          signature: fromViem,
        }),
      ).toBe(true)
      expect(
        await viemSide.verifyMessageSignature({
          address,
          message: item.message,
          signature: fromEthers,
        }),
      ).toBe(true)
    },
  )

  const inputs = [
    ...vectors<VerifyCase>('verify.json'),
    { id: 'number signature', address: '0x', message: 'x', signature: 7 as never },
    { id: 'lone surrogate', address: '0x', message: '\ud800', signature: '0x' },
  ]
  test.each(inputs.map((item) => [item.id, item] as const))(
    'verify and recover %s',
    async (_id, item) => {
      expect(await viemSide.verifyMessageSignature(item)).toBe(
        await ethersSide.verifyMessageSignature(item),
      )
      expect(await outcome(() => viemSide.recoverMessageSigner(item))).toEqual(
        await outcome(() => ethersSide.recoverMessageSigner(item)),
      )
    },
  )

  test('both export the same names', async () => {
    const names = (module: object) =>
      Object.keys(module)
        .map((name) => name.replace(/Viem|Ethers/, '*'))
        .sort()
    expect(names(viemSide)).toEqual(names(ethersSide))
  })

  test('errors share their shape, module names differ', async () => {
    const input = { message: 'x', signature: '0x12' }
    const viemError = await viemSide.recoverMessageSigner(input).catch((error: unknown) => error)
    const ethersError = await ethersSide
      .recoverMessageSigner(input)
      .catch((error: unknown) => error)
    expect(viemError).toMatchObject({
      name: 'SignerViem.InvalidSignatureError',
      details: 'expected 65 bytes, got 1 bytes',
    })
    expect(ethersError).toMatchObject({
      name: 'SignerEthers.InvalidSignatureError',
      details: 'expected 65 bytes, got 1 bytes',
    })
    expect((viemError as Error).message).toBe(
      (ethersError as Error).message.replace('Ethers', 'Viem'),
    )
  })
})
