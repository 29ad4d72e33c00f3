import { Wallet } from 'ethers'
import { createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createJobsClient } from './createJobsClient.js'

const signer = {
  address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  signMessage: async () => `0x${'00'.repeat(65)}` as const,
} as const
let sent = 0
const fetch = async (): Promise<Response> => {
  sent += 1
  return new Response('{}')
}

const refusal = (argument: string) =>
  expect.objectContaining({ name: 'JobsClient.InvalidArgumentError', argument })

describe('createJobsClient refuses options it cannot use', () => {
  test.each([
    ['options', undefined],
    ['options', 'https://www.agentpmt.com'],
    ['signer', {}],
    ['signer', { signer: { address: '0x12', signMessage: signer.signMessage } }],
    ['signer', { signer: { address: signer.address } }],
    ['baseUrl', { signer, baseUrl: 'www.agentpmt.com' }],
    ['baseUrl', { signer, baseUrl: 'ftp://www.agentpmt.com' }],
    ['fetch', { signer, fetch: 'fetch' }],
    ['secrets', { signer, secrets: '0x59c6995e' }],
    ['secrets', { signer, secrets: [42] }],
  ])('%s: %j', (argument, options) => {
    expect(() => createJobsClient(options as never)).toThrowError(refusal(argument))
  })
})

describe("a wallet library's object where a signer belongs names the wrapper to use", () => {
  const key = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
  test.each([
    [
      'a viem account',
      () => privateKeyToAccount(key),
      /viem account: wrap it, createViemSigner\(account\)/,
    ],
    [
      'a viem wallet client',
      () =>
        createWalletClient({
          account: privateKeyToAccount(key),
          transport: http('http://127.0.0.1:1'),
        }),
      /viem wallet client: wrap it, createViemSigner\(walletClient\)/,
    ],
    [
      'an ethers wallet',
      () => new Wallet(key),
      /ethers signer: wrap it, await createEthersSigner\(wallet\)/,
    ],
    [
      "a signer factory's promise, not awaited (as createEthersSigner returns)",
      async () => ({ address: new Wallet(key).address, signMessage: async () => '0x' }),
      /is a promise: await it first/,
    ],
  ])('%s', (_, make, reason) => {
    const error = (() => {
      try {
        createJobsClient({ signer: make() as never })
      } catch (caught) {
        return caught as Error
      }
      return undefined
    })()
    expect(error).toMatchObject({ name: 'JobsClient.InvalidArgumentError', argument: 'signer' })
    expect(error?.message).toMatch(reason)
    expect(error?.message).not.toContain(key.slice(2))
  })
})

describe('calls refuse arguments before anything is sent', () => {
  const client = createJobsClient({ signer, fetch })

  test.each([undefined, '', '.', '..', 'job\n1', 42])('jobId %j', async (jobId) => {
    await expect(client.reserve(jobId as never)).rejects.toThrowError(refusal('jobId'))
    await expect(client.status(jobId as never)).rejects.toThrowError(refusal('jobId'))
    expect(sent).toBe(0)
  })

  test('complete takes only a reservation that reserve returned', async () => {
    const forged = { reservation_id: 'res_1', job_id: 'job_1', expires_at: '2099-01-01T00:00:00Z' }
    await expect(
      client.complete(forged as never, { proof_text: 'x', workflow_id: 'wf_1' }),
    ).rejects.toThrowError(refusal('reservation'))
    await expect(client.complete(null as never, null as never)).rejects.toThrowError(
      refusal('reservation'),
    )
    expect(sent).toBe(0)
  })
})
