import { randomUUID } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { apiPaths } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import { type Json, testWallet } from '../test/client.js'
import { createSandboxApp, type SandboxApp, startSandbox } from './index.js'

// CI size; `pnpm bench` (bench/sandbox.mjs) runs 100,000 of each and measures RSS.
const count = Number(process.env.SANDBOX_SOAK_COUNT ?? 10_000)
const start = Date.parse('2026-05-17T12:00:00.000Z')
const wallets = Array.from(
  { length: 100 },
  (_, index) => `0x${index.toString(16).padStart(40, '0')}`,
)

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

async function post(app: SandboxApp, path: string, body: unknown) {
  const response = await app.fetch(path, { method: 'POST', body: JSON.stringify(body) })
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Json,
  }
}

describe('bounded memory', () => {
  test(`soak: ${count} sessions and ${count} spent request ids are all dropped once past their TTL`, async () => {
    const app = createSandboxApp({ now: () => start })
    const collect = () => {
      for (let round = 0; round < 3; round++) gc()
      return process.memoryUsage().heapUsed
    }
    const heapBefore = collect()
    let nonces: string[] = []
    for (let index = 0; index < count; index++) {
      const reply = await post(app, apiPaths.session, { wallet_address: wallets[index % 100] })
      nonces.push(reply.body.session_nonce)
    }
    for (let index = 0; index < count; index++) {
      // Passes the session and replay checks, spends its id, then is refused as malformed.
      const reply = await post(app, apiPaths.list, {
        wallet_address: wallets[index % 100],
        session_nonce: nonces[index],
        request_id: randomUUID(),
        signature: '0x00',
      })
      expect(reply.body.error_code).toBe('EXTERNAL_SIGNATURE_MALFORMED')
    }
    nonces = []
    expect(app.state()).toMatchObject({ sessions: count, spentRequestIds: count })
    const heapLoaded = collect()

    // Expired, but still within the grace: a late request is told the session expired.
    app.advance(15 * 60_000)
    expect(app.state()).toMatchObject({ sessions: count, spentRequestIds: count })
    // Past the grace: the next call drops every one of them.
    app.advance(5 * 60_000)
    expect(app.state()).toMatchObject({ sessions: 0, spentRequestIds: 0 })
    const heapAfter = collect()
    console.log(
      `[sandbox soak] ${count} sessions + ${count} spent ids: heap ${mb(heapBefore)} -> ${mb(heapLoaded)} -> ${mb(heapAfter)} MB`,
    )
    expect(heapAfter - heapBefore).toBeLessThan(
      Math.max(8, (heapLoaded - heapBefore) / 4) * 2 ** 20,
    )
  }, 120_000)

  test('an expired session is NONCE_EXPIRED within its grace, NONCE_INVALID after', async () => {
    const sandbox = await startSandbox({
      now: () => start,
      sessionTtlMs: 60_000,
      sessionGraceMs: 30_000,
    })
    try {
      const wallet = testWallet(sandbox.url)
      await wallet.openSession()
      sandbox.advance(60_000)
      expect((await wallet.list()).body.error_code).toBe('EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
      sandbox.advance(30_000)
      expect((await wallet.list()).body.error_code).toBe('EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID')
    } finally {
      await sandbox.close()
    }
  })

  test('past maxSessions: 503 with Retry-After and the error body, until sessions expire', async () => {
    const app = createSandboxApp({
      now: () => start,
      maxSessions: 3,
      sessionTtlMs: 60_000,
      sessionGraceMs: 0,
    })
    for (let index = 0; index < 3; index++)
      expect((await post(app, apiPaths.session, { wallet_address: wallets[0] })).status).toBe(200)
    const refused = await post(app, apiPaths.session, { wallet_address: wallets[0] })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(refused.body).toMatchObject({
      error_code: 'EXTERNAL_SERVICE_UNAVAILABLE',
      detail: expect.stringContaining('3 sessions'),
      details: { limit: 3, checklist: [expect.any(String)] },
    })
    app.advance(60_000)
    expect((await post(app, apiPaths.session, { wallet_address: wallets[0] })).status).toBe(200)
  })

  test('past maxSpentRequestIds: 503, and nothing is spent', async () => {
    const app = createSandboxApp({ now: () => start, maxSpentRequestIds: 2 })
    const session = (await post(app, apiPaths.session, { wallet_address: wallets[0] })).body
      .session_nonce
    const spend = (requestId: string) =>
      post(app, apiPaths.list, {
        wallet_address: wallets[0],
        session_nonce: session,
        request_id: requestId,
        signature: '0x00',
      })
    expect((await spend('a')).body.error_code).toBe('EXTERNAL_SIGNATURE_MALFORMED')
    expect((await spend('b')).body.error_code).toBe('EXTERNAL_SIGNATURE_MALFORMED')
    const refused = await spend('c')
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(app.state().spentRequestIds).toBe(2)
  })
})

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1)
}
