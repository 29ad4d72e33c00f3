import { readFileSync } from 'node:fs'
import type { BaseError } from '@agentpmt-kit/canonical-json'
import * as MessageBuilder from '@agentpmt-kit/message-builder'
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

/** What a call gave: its value, or the error's name and details (the same classes on both sides). */
const outcome = async (run: () => Promise<unknown>) => {
  try {
    return { value: await run() }
  } catch (error) {
    const { name, details } = error as BaseError
    return { error: name, details }
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

  test('the error classes are the very ones of message-builder: instanceof works across both', () => {
    const classes = [
      [
        MessageBuilder.InvalidMessageError,
        ethersSide.InvalidMessageError,
        viemSide.InvalidMessageError,
      ],
      [
        MessageBuilder.InvalidSignatureError,
        ethersSide.InvalidSignatureError,
        viemSide.InvalidSignatureError,
      ],
      [
        MessageBuilder.SignerMismatchError,
        ethersSide.SignerMismatchError,
        viemSide.SignerMismatchError,
      ],
      [
        MessageBuilder.SigningFailedError,
        ethersSide.SigningFailedError,
        viemSide.SigningFailedError,
      ],
      [
        MessageBuilder.UnsupportedSourceError,
        ethersSide.UnsupportedSourceError,
        viemSide.UnsupportedSourceError,
      ],
      [MessageBuilder.BaseError, ethersSide.BaseError, viemSide.BaseError],
    ] as const
    for (const [shared, ...exported] of classes) expect(exported).toStrictEqual([shared, shared])
    expect(Object.keys(ethersSide).filter((name) => name.endsWith('Error'))).toHaveLength(
      classes.length,
    )
  })

  test('errors are the same classes, names and messages', async () => {
    const input = { message: 'x', signature: '0x12' }
    const viemError = await viemSide.recoverMessageSigner(input).catch((error: unknown) => error)
    const ethersError = await ethersSide
      .recoverMessageSigner(input)
      .catch((error: unknown) => error)
    expect(viemError).toBeInstanceOf(ethersSide.InvalidSignatureError)
    expect(ethersError).toBeInstanceOf(viemSide.InvalidSignatureError)
    expect(viemError).toMatchObject({
      name: 'Signature.InvalidSignatureError',
      details: 'expected 65 bytes, got 1 bytes',
    })
    expect((viemError as Error).message).toBe((ethersError as Error).message)
  })
})
