import { randomUUID } from 'node:crypto'
import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { apiPaths, buildMessage } from '@agentpmt-kit/message-builder'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { post } from '../test/client.js'
import { type RawAnswer, type SlowPost, slowPost } from '../test/rawHttp.js'
import { type RunningSandbox, startSandbox } from './index.js'

const page = { limit: 5, skip: 0 }

/** `count` signed list requests of one fresh wallet, each with its own id, as JSON text. */
async function signedLists(sandbox: RunningSandbox, count: number): Promise<string[]> {
  const account = privateKeyToAccount(generatePrivateKey())
  const session = (await post(sandbox.url, apiPaths.session, { wallet_address: account.address }))
    .body.session_nonce as string
  return Promise.all(
    Array.from({ length: count }, async () => {
      const requestId = randomUUID()
      const message = buildMessage({
        wallet: account.address,
        session,
        request: requestId,
        scope: { action: 'job_list' },
        payloadHash: canonicalHash(page),
      })
      return JSON.stringify({
        wallet_address: account.address,
        session_nonce: session,
        request_id: requestId,
        signature: await account.signMessage({ message }),
        ...page,
      })
    }),
  )
}

/** Resolves once `holds()` is true, looking again every few ms (a wait, not a time limit). */
async function until(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((resolve) => setTimeout(resolve, 5))
}

function expectShed(answer: RawAnswer): void {
  expect(answer.status).toBe(503)
  expect(JSON.parse(answer.body).error_code).toBe('EXTERNAL_SERVICE_UNAVAILABLE')
  expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  // Closed once answered: the server neither reads on nor waits for the body.
  expect(answer.headers.connection).toBe('close')
}

// Shedding is decided as a signed request arrives, before its body is read, and a request admitted
// keeps its place until its signature is checked. Without that, a client over capacity waits for
// its 503 until it has sent its whole body (or never gets it, if the body comes slowly), and an
// admitted request can be shed after its body was read. A client whose body does not come holds
// its request open until the server answers; these tests send bodies only when they choose.
describe.concurrent('shedding before the body', () => {
  test('a request over capacity gets its 503 before sending its body; the connection is closed', async () => {
    const sandbox = await startSandbox({ maxPendingRequests: 1 })
    const clients: SlowPost[] = []
    try {
      const [first, second] = await signedLists(sandbox, 2)
      const holder = await slowPost(sandbox.url, apiPaths.list, first!)
      clients.push(holder)
      holder.sendHead(10)
      await until(() => sandbox.stats().byRoute.list === 1)
      const late = await slowPost(sandbox.url, apiPaths.list, second!)
      clients.push(late)
      late.sendHead(0)
      // With shedding after the body, this answer never comes: the body is never sent.
      expectShed(await late.answer)
      await late.closed
      expect(sandbox.stats().shed).toBe(1)
      holder.sendRest()
      expect((await holder.answer).status).toBe(200)
    } finally {
      for (const client of clients) client.destroy()
      await sandbox.close()
    }
  })

  test('30 clients whose bodies come late: those over capacity are shed before their body, the others never after', async () => {
    const clientCount = 30
    const capacity = 8
    // Only the cap on places sheds: the count is exact whatever the machine's speed.
    const sandbox = await startSandbox({
      maxPendingRequests: capacity,
      maxQueueMs: Number.POSITIVE_INFINITY,
    })
    const clients: SlowPost[] = []
    try {
      const bodies = await signedLists(sandbox, clientCount)
      for (const body of bodies) clients.push(await slowPost(sandbox.url, apiPaths.list, body))
      // Every body but its last byte: the server reads none of them to the end.
      for (const [index, client] of clients.entries()) client.sendHead(bodies[index]!.length - 1)
      await until(() => sandbox.stats().byRoute.list === clientCount)
      const answeredEarly = new Set<SlowPost>()
      for (const client of clients) void client.answer.then(() => answeredEarly.add(client))
      await until(() => answeredEarly.size >= sandbox.stats().shed)
      expect(answeredEarly.size).toBe(clientCount - capacity)
      for (const client of answeredEarly) {
        expectShed(await client.answer)
        await client.closed
      }
      const admitted = clients.filter((client) => !answeredEarly.has(client))
      for (const client of admitted) client.sendRest()
      const late = await Promise.all(admitted.map((client) => client.answer))
      expect(late.map((answer) => answer.status)).toEqual(Array(capacity).fill(200))
      expect(sandbox.stats().shed).toBe(clientCount - capacity)
      // Every place was given back: the next request is admitted.
      const [next] = await signedLists(sandbox, 1)
      expect((await post(sandbox.url, apiPaths.list, next!)).status).toBe(200)
    } finally {
      for (const client of clients) client.destroy()
      await sandbox.close()
    }
  })

  test('a place is given back by a request refused before its signature check', async () => {
    const sandbox = await startSandbox({ maxPendingRequests: 1, maxBodyBytes: 1024 })
    try {
      const [valid] = await signedLists(sandbox, 1)
      const refused = [
        await post(sandbox.url, apiPaths.list, '{"not json'),
        await post(sandbox.url, apiPaths.list, 'x'.repeat(2048)),
        await post(sandbox.url, apiPaths.list, { ...JSON.parse(valid!), session_nonce: 'made-up' }),
        await post(sandbox.url, apiPaths.list, { ...JSON.parse(valid!), limit: 0 }),
      ]
      expect(refused.map((reply) => reply.status)).toEqual([400, 413, 401, 400])
      expect((await post(sandbox.url, apiPaths.list, valid!)).status).toBe(200)
      expect(sandbox.stats().shed).toBe(0)
    } finally {
      await sandbox.close()
    }
  })
})
