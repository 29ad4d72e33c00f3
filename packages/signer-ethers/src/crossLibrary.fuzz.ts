import * as viemSide from '@agentpmt-kit/signer-viem'
import { fc, test } from '@fast-check/vitest'
import { bytesToHex } from '@noble/hashes/utils.js'
import { Wallet } from 'ethers'
import { privateKeyToAccount } from 'viem/accounts'
import { expect } from 'vitest'
import * as ethersSide from './index.js'

// Each run derives two keys, signs twice and recovers about ten times (tens of milliseconds on a
// busy machine): a twenty-fifth of FC_NUM_RUNS, so CI's 5000 gives 200 runs within the timeout.
const numRuns = Math.max(20, Math.ceil(Number(process.env.FC_NUM_RUNS ?? 200) / 25))
const timeout = 300_000

const curveOrder = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const privateKey = fc
  .bigInt({ min: 1n, max: curveOrder - 1n })
  .map((scalar) => `0x${scalar.toString(16).padStart(64, '0')}` as const)
const message = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => `0x${bytesToHex(bytes)}`),
  fc
    .array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 8 })
    .map((lines) => lines.join('\n')),
)

test.prop(
  [privateKey, privateKey, message, fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })],
  {
    numRuns,
  },
)(
  'viem and ethers signers agree, verify each other, and refuse another key or message',
  async (key, otherKey, text, change) => {
    fc.pre(key !== otherKey)
    const viemSigner = viemSide.createViemSigner(privateKeyToAccount(key))
    const ethersSigner = await ethersSide.createEthersSigner(new Wallet(key))
    expect(viemSigner.address).toBe(ethersSigner.address)
    const fromViem = await viemSigner.signMessage(text)
    const fromEthers = await ethersSigner.signMessage(text)
    expect(fromViem).toBe(fromEthers)
    expect(fromViem).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/)

    const address = viemSigner.address
    expect(
      await ethersSide.verifyMessageSignature({ address, message: text, signature: fromViem }),
    ).toBe(true)
    expect(
      await viemSide.verifyMessageSignature({ address, message: text, signature: fromEthers }),
    ).toBe(true)

    const other = privateKeyToAccount(otherKey).address
    for (const side of [viemSide, ethersSide]) {
      expect(
        await side.verifyMessageSignature({ address: other, message: text, signature: fromViem }),
      ).toBe(false)
      expect(
        await side.verifyMessageSignature({ address, message: text + change, signature: fromViem }),
      ).toBe(false)
    }
  },
  timeout,
)

const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((unit) => String.fromCharCode(unit))

test.prop(
  [
    fc.string({ unit: 'binary', maxLength: 20 }),
    loneSurrogate,
    fc.string({ unit: 'binary', maxLength: 20 }),
  ],
  {
    numRuns,
  },
)(
  'a lone surrogate is refused by both signers alike',
  async (before, surrogate, after) => {
    const text = before + surrogate + after
    fc.pre(!text.isWellFormed())
    const key = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
    const viemError = await viemSide
      .createViemSigner(privateKeyToAccount(key))
      .signMessage(text)
      .catch((e: unknown) => e)
    const ethersError = await (await ethersSide.createEthersSigner(new Wallet(key)))
      .signMessage(text)
      .catch((e: unknown) => e)
    expect(viemError).toBeInstanceOf(viemSide.InvalidMessageError)
    expect(ethersError).toBeInstanceOf(ethersSide.InvalidMessageError)
  },
  timeout,
)
