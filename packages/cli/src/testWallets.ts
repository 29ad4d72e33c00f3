import type { Hex } from '@agentpmt-kit/message-builder'
import { privateKeyToAccount } from 'viem/accounts'

/**
 * The first three development keys of Hardhat and Anvil (mnemonic "test test ... junk"): known to
 * everyone, so printing them leaks nothing, and never to be used on a real network. The sandbox
 * accepts any wallet; these are a convenience for trying it out.
 */
const publicTestKeys: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
]

/**
 * A public test wallet: its address and its well-known development key.
 *
 * @example
 * ```ts
 * import type { TestWallet } from './testWallets.js'
 *
 * declare const wallet: TestWallet
 * wallet.address
 * ```
 */
export type TestWallet = { address: Hex; privateKey: Hex }

/**
 * The public test wallets printed by `agentpmt sandbox`.
 *
 * @example
 * ```ts
 * import { testWallets } from './testWallets.js'
 *
 * testWallets()[0]?.address // '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
 * ```
 */
export function testWallets(): TestWallet[] {
  return publicTestKeys.map((privateKey) => ({
    address: privateKeyToAccount(privateKey).address.toLowerCase() as Hex,
    privateKey,
  }))
}
