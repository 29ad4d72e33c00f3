import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { buildMessage } from '@agentpmt-kit/message-builder'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { type Reply, type TestWallet, testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

// Hardhat's well-known test keys #1 and #2; never real wallets. Fixed keys and a fixed seed give
// both sandboxes the same nonces, so every answer, recovered addresses included, must match.
const signer = privateKeyToAccount(
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
)
const stranger = privateKeyToAccount(
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
)
const page = { limit: 5, skip: 0 }

/** The signature of a list request of `wallet` with `requestId` over `page`, by `by`. */
function listSignature(wallet: TestWallet, requestId: string, by = signer): Promise<string> {
  const message = buildMessage({
    wallet: wallet.address,
    session: wallet.session,
    request: requestId,
    scope: { action: 'job_list' },
    payloadHash: canonicalHash(page),
  })
  return by.signMessage({ message })
}

/** Signed requests that reach signature recovery, accepted and refused, each with its own id. */
const cases: Array<[name: string, send: (wallet: TestWallet) => Promise<Reply>]> = [
  ['list', (wallet) => wallet.list(page, { requestId: 'list' })],
  ['status', (wallet) => wallet.status('job_share_x', { requestId: 'status' })],
  ['balance (no payload)', (wallet) => wallet.balance({ requestId: 'balance' })],
  ['tool invoke', (wallet) => wallet.invoke('echo', 'echo', { tag: 1 }, { requestId: 'invoke' })],
  [
    'tool invoke signed with another accepted path',
    (wallet) =>
      wallet.invoke(
        'echo',
        'echo',
        { tag: 2 },
        {
          requestId: 'invoke-path',
          signedPath: '/api/external/tools/echo/actions/echo/invoke',
        },
      ),
  ],
  [
    'payload hashed in its ASCII form',
    (wallet) => wallet.list({ ...page, note: 'café ✓' }, { requestId: 'ascii', ascii: true }),
  ],
  [
    'v written as 0 or 1',
    async (wallet) => {
      const own = await listSignature(wallet, 'v01')
      const v = own.endsWith('1b') ? '00' : '01'
      return wallet.list(page, { requestId: 'v01', signature: `${own.slice(0, -2)}${v}` })
    },
  ],
  [
    'signed by another key',
    async (wallet) =>
      wallet.list(page, {
        requestId: 'stranger',
        signature: await listSignature(wallet, 'stranger', stranger),
      }),
  ],
  [
    'signed over another scope',
    (wallet) =>
      wallet.list(page, {
        requestId: 'scope',
        scope: { action: 'job_status', product: 'job_share_x' },
      }),
  ],
  [
    'r and s from no signature: recovers some other address',
    async (wallet) => {
      const own = await listSignature(wallet, 'other-s')
      const signature = `${own.slice(0, 66)}${'01'.repeat(32)}${own.slice(-2)}`
      return wallet.list(page, { requestId: 'other-s', signature })
    },
  ],
  [
    'r that is no point of the curve: nothing to recover',
    (wallet) =>
      wallet.list(page, {
        requestId: 'no-point',
        signature: `0x${'11'.repeat(32)}${'22'.repeat(32)}1b`,
      }),
  ],
  ['high s', (wallet) => wallet.list(page, { requestId: 'high-s', highS: true })],
]

/**
 * Opens a session of a wallet of its own; with workers, sends its signed requests a few at once
 * until a worker has recovered one. Lists draw nothing from the seeded random source, so both
 * sandboxes then give the same nonces.
 */
async function warmUp(sandbox: RunningSandbox, workers: boolean): Promise<void> {
  const wallet = testWallet(sandbox.url, stranger)
  await wallet.openSession()
  for (let round = 0; workers && sandbox.stats().recoveredOnWorkers === 0; round++)
    await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        wallet.list(page, { requestId: `warm-${round}-${index}` }),
      ),
    )
}

describe('signature workers', () => {
  test('give the same answer as recovery on the event loop, for accepted and refused signatures', async () => {
    const [inline, pooled] = await Promise.all([
      startSandbox({ seed: 7, signatureWorkers: 0 }),
      startSandbox({ seed: 7, signatureWorkers: 2 }),
    ])
    try {
      await Promise.all([warmUp(inline, false), warmUp(pooled, true)])
      const onWorkers = pooled.stats().recoveredOnWorkers
      const answers = async (sandbox: RunningSandbox) => {
        const wallet = testWallet(sandbox.url, signer)
        await wallet.openSession()
        const replies: Array<[string, number, unknown]> = []
        for (const [name, send] of cases) {
          const reply = await send(wallet)
          replies.push([name, reply.status, reply.body])
        }
        return replies
      }
      const expected = await answers(inline)
      const actual = await answers(pooled)
      expect(actual).toEqual(expected)
      // The answers are the ones each case calls for, not merely equal.
      expect(expected.map(([name, status, body]) => [name, status, errorCode(body)])).toEqual([
        ['list', 200, undefined],
        ['status', 200, undefined],
        ['balance (no payload)', 200, undefined],
        ['tool invoke', 200, undefined],
        ['tool invoke signed with another accepted path', 200, undefined],
        ['payload hashed in its ASCII form', 200, undefined],
        ['v written as 0 or 1', 200, undefined],
        ['signed by another key', 401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'],
        ['signed over another scope', 401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'],
        [
          'r and s from no signature: recovers some other address',
          401,
          'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
        ],
        [
          'r that is no point of the curve: nothing to recover',
          401,
          'EXTERNAL_SIGNATURE_MALFORMED',
        ],
        ['high s', 401, 'EXTERNAL_SIGNATURE_MALFORMED'],
      ])
      const mismatch = expected.find(([name]) => name === 'signed by another key')!
      expect(mismatch[2]).toMatchObject({
        details: { recovered_wallet: stranger.address.toLowerCase() },
      })
      // Every case but high s (refused before recovery) was recovered on a worker.
      expect(pooled.stats().recoveredOnWorkers - onWorkers).toBeGreaterThanOrEqual(cases.length - 1)
      expect(inline.stats().recoveredOnWorkers).toBe(0)
    } finally {
      await Promise.all([inline.close(), pooled.close()])
    }
  })

  test('stop with the sandbox: the process exits once it is closed', async ({ onTestFinished }) => {
    // The built package in a process of its own (`pnpm test` builds before it tests): a worker
    // left running would keep that process alive, and this test would time out. The timeout is
    // generous: loading viem in two workers takes seconds on a busy machine.
    const child = spawn(process.execPath, ['--input-type=module', '--eval', childScript], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    onTestFinished(() => {
      child.kill()
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(0)
    expect(JSON.parse(output).recoveredOnWorkers).toBeGreaterThan(0)
  }, 180_000)
})

function errorCode(body: unknown): string | undefined {
  return (body as { error_code?: string } | null)?.error_code
}

// Starts the built sandbox with two workers, keeps signed requests coming a few at once until a
// worker has recovered one, closes it and prints its stats; it never calls process.exit.
const childScript = `
import { randomUUID } from 'node:crypto'
import { startSandbox } from './dist/index.js'
import { apiPaths, buildMessage } from '@agentpmt-kit/message-builder'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
const sandbox = await startSandbox({ signatureWorkers: 2 })
const post = async (path, body) =>
  (await fetch(sandbox.url + path, { method: 'POST', body: JSON.stringify(body) })).json()
const account = privateKeyToAccount(generatePrivateKey())
const session = (await post(apiPaths.session, { wallet_address: account.address })).session_nonce
const signedList = async () => {
  const request = randomUUID()
  const message = buildMessage({ wallet: account.address, session, request, scope: { action: 'job_list' }, payload: {} })
  return { wallet_address: account.address, session_nonce: session, request_id: request, signature: await account.signMessage({ message }) }
}
while (sandbox.stats().recoveredOnWorkers === 0)
  await Promise.all(Array.from({ length: 4 }, async () => post(apiPaths.list, await signedList())))
await sandbox.close()
process.stdout.write(JSON.stringify(sandbox.stats()))
`
