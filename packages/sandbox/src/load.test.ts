import { randomUUID } from 'node:crypto'
import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { apiPaths, buildMessage, type Scope } from '@agentpmt-kit/message-builder'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { post } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

const clients = 50
const requestsPerClient = 41 // 2,050 signed requests in all
let sandbox: RunningSandbox
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

type Planned = {
  path: string
  body: Record<string, unknown>
  kind: 'list' | 'status' | 'balance' | 'echo'
  tag: number
}

test(`load: ${clients * requestsPerClient} signed requests from ${clients} concurrent clients`, async () => {
  const accounts = Array.from({ length: clients }, () => privateKeyToAccount(generatePrivateKey()))
  const sessions = await Promise.all(
    accounts.map(async (account) => {
      const reply = await post(sandbox.url, apiPaths.session, { wallet_address: account.address })
      return reply.body.session_nonce as string
    }),
  )

  // Sign everything first, so that the timed part measures the server (which recovers every
  // signature) rather than the test's own signing.
  const signStarted = performance.now()
  const plans: Planned[][] = await Promise.all(
    accounts.map(async (account, client) => {
      const plan: Planned[] = []
      for (let index = 0; index < requestsPerClient; index++) {
        const kind = (['list', 'status', 'balance', 'echo'] as const)[index % 4]!
        const tag = client * 1000 + index
        const [path, scope, payload, sent]: [
          string,
          Scope,
          Record<string, unknown> | null,
          Record<string, unknown>,
        ] =
          kind === 'list'
            ? [apiPaths.list, { action: 'job_list' }, { limit: 5, skip: 0 }, { limit: 5, skip: 0 }]
            : kind === 'status'
              ? [
                  apiPaths.status('job_share_x'),
                  { action: 'job_status', product: 'job_share_x' },
                  {},
                  {},
                ]
              : kind === 'balance'
                ? [apiPaths.balance, { action: 'balance' }, null, {}]
                : [
                    apiPaths.toolInvoke('echo', 'echo'),
                    { method: 'POST', path: '/external/tools/echo/actions/echo/invoke' },
                    { tag },
                    { parameters: { tag } },
                  ]
        const requestId = randomUUID()
        const message = buildMessage({
          wallet: account.address,
          session: sessions[client]!,
          request: requestId,
          scope,
          ...(payload === null ? { payload: null } : { payloadHash: canonicalHash(payload) }),
        })
        const envelope = {
          wallet_address: account.address,
          session_nonce: sessions[client]!,
          request_id: requestId,
          signature: await account.signMessage({ message }),
        }
        plan.push({ path, body: { ...envelope, ...sent }, kind, tag })
      }
      return plan
    }),
  )
  const signMs = performance.now() - signStarted

  const before = sandbox.stats().requests
  const started = performance.now()
  const results = await Promise.all(
    plans.map(async (plan) => {
      const replies = []
      for (const request of plan)
        replies.push({ request, reply: await post(sandbox.url, request.path, request.body) })
      return replies
    }),
  )
  const elapsedMs = performance.now() - started
  const all = results.flat()
  const total = all.length

  expect(total).toBe(clients * requestsPerClient)
  expect(all.filter(({ reply }) => reply.status >= 500)).toEqual([])
  expect(all.filter(({ reply }) => reply.status !== 200).map(({ reply }) => reply.body)).toEqual([])
  for (const { request, reply } of all) {
    if (request.kind === 'echo') expect(reply.body.result).toEqual({ tag: request.tag })
    if (request.kind === 'list') expect(reply.body.total).toBe(7)
    if (request.kind === 'status') expect(reply.body.job_id).toBe('job_share_x')
  }
  // Nothing lost: the server saw every request exactly once, and charged every echo.
  expect(sandbox.stats().requests - before).toBe(total)
  const echoes = Math.ceil((requestsPerClient - 3) / 4)
  for (const account of accounts)
    expect(sandbox.state().credits[account.address.toLowerCase()]).toBe(100 - echoes)

  const throughput = Math.round((total / elapsedMs) * 1000)
  console.log(
    `[sandbox load] ${total} signed requests, ${clients} concurrent clients: ${Math.round(elapsedMs)} ms, ${throughput} requests/s (signing beforehand: ${Math.round(signMs)} ms)`,
  )
  // No time limit is asserted: each request costs one secp256k1 recovery on one thread, and on a
  // shared machine the time says more about the neighbours than about the sandbox.
}, 120_000)
