import { inspect } from 'node:util'
import { describe, expect, test } from 'vitest'
import {
  apiError,
  connectionLost,
  drive,
  json,
  routeOf,
  setup,
  shareProof,
  testKey,
  workflowToken,
} from './test/fakes.js'

describe('logger', () => {
  test('gets request, response, retry and recovery events, without key, signatures, nonce or token', async () => {
    let lost = 1
    let expired = 1
    let limited = 1
    const { client, clock, calls, events, server } = setup({
      list: (call, index) => {
        if (lost-- > 0) connectionLost()
        if (expired-- > 0) return apiError(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
        if (limited-- > 0) return apiError(429, 'EXTERNAL_RATE_LIMITED', {}, { 'retry-after': '1' })
        return server.routes.list(call, index)
      },
    })
    await drive(clock, client.listJobs())
    const reservation = await client.reserve('job_workflow_1')
    await client.createWorkflow(reservation, { name: 'n', description: 'd', nodes: [], edges: [] })
    const share = await client.reserve('job_share_linkedin')
    await client.complete(share, shareProof())

    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set(['request', 'response', 'retry', 'recovery']),
    )
    expect(events.filter((event) => event.type === 'retry').map((event) => event.reason)).toEqual([
      'transport',
      'retry-later',
    ])
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'response',
        status: 401,
        errorCode: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
      }),
    )
    const logged = JSON.stringify(events) + inspect(events, { depth: 10 })
    const secrets = [
      testKey,
      testKey.slice(2),
      workflowToken,
      ...calls.flatMap((call) => [call.body.signature, call.body.session_nonce]),
    ].filter((value): value is string => typeof value === 'string')
    expect(secrets.length).toBeGreaterThan(5)
    for (const secret of secrets) expect(logged).not.toContain(secret)
    expect(logged).not.toMatch(/0x[0-9a-f]{130}/)
  })

  test('a logger that throws breaks nothing', async () => {
    const { client } = setup(
      {},
      {
        logger: () => {
          throw new Error('logger down')
        },
      },
    )
    await expect(client.listJobs()).resolves.toMatchObject({ total: 2 })
    void json
    void routeOf
  })
})
