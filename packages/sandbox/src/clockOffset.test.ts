import { apiPaths, parseHttpDate, parseTimestamp } from '@agentpmt-kit/message-builder'
import { describe, expect, type TestContext, test } from 'vitest'
import { post, testWallet } from '../test/client.js'
import { createClock, createSandboxApp, type RunningSandbox, startSandbox } from './index.js'

/** A sandbox closed when the test of `context` finishes (concurrent tests: not a global hook). */
async function start(
  context: TestContext,
  options: Parameters<typeof startSandbox>[0] = {},
): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ port: 0, ...options })
  context.onTestFinished(() => sandbox.close())
  return sandbox
}

const minute = 60_000
const day = 86_400_000

describe.concurrent('clockOffsetMs', () => {
  test.for([-2 * day, -40 * minute, 40 * minute, 2 * day])(
    '%d ms: timestamps and the Date header (over HTTP) follow the sandbox clock',
    async (clockOffsetMs, context) => {
      const sandbox = await start(context, { clockOffsetMs })
      const before = Date.now()
      const reply = await post(sandbox.url, apiPaths.session, {
        wallet_address: testWallet(sandbox.url).address,
      })
      const after = Date.now()
      expect(reply.status).toBe(200)
      // One Date header, the sandbox's, not the host's.
      const date = parseHttpDate(reply.headers.get('date'))
      expect(reply.headers.get('date')).not.toContain(',,')
      expect(date).toBeGreaterThanOrEqual(Math.floor((before + clockOffsetMs) / 1000) * 1000)
      expect(date).toBeLessThanOrEqual(after + clockOffsetMs)
      const expiresAt = parseTimestamp(reply.body.expires_at) ?? Number.NaN
      expect(expiresAt - 15 * minute).toBeGreaterThanOrEqual(before + clockOffsetMs)
      expect(expiresAt - 15 * minute).toBeLessThanOrEqual(after + clockOffsetMs)
    },
  )

  test('the in-process app sets Date on every answer, errors included', async () => {
    const now = Date.parse('2026-11-28T21:00:00.000Z')
    const app = createSandboxApp({ now: () => now, clockOffsetMs: -40 * minute })
    for (const path of [apiPaths.session, apiPaths.list, '/nowhere']) {
      const response = await app.fetch(path, { method: 'POST', body: '{}' })
      expect(response.headers.get('date'), path).toBe('Sat, 28 Nov 2026 20:20:00 GMT')
    }
  })

  test('clock-behind runs 40 minutes behind unless clockOffsetMs says otherwise', () => {
    const now = Date.parse('2026-11-28T21:00:00.000Z')
    expect(createSandboxApp({ now: () => now, dialect: 'clock-behind' }).clock.now()).toBe(
      now - 40 * minute,
    )
    expect(
      createSandboxApp({
        now: () => now,
        dialect: 'clock-behind',
        clockOffsetMs: 2 * day,
      }).clock.now(),
    ).toBe(now + 2 * day)
    expect(createSandboxApp({ now: () => now }).clock.now()).toBe(now)
  })

  test('a clock offset must be finite; advance() still moves only forward', () => {
    expect(() => createClock(Date.now, Number.NaN)).toThrow(RangeError)
    const clock = createClock(() => 0, -5)
    clock.advance(10)
    expect(clock.now()).toBe(5)
  })
})

describe.concurrent('authorization-header', () => {
  async function workflowReservation(context: TestContext, dialect?: 'authorization-header') {
    const sandbox = await start(context, dialect ? { dialect } : {})
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = await wallet.reserve('job_workflow_ticket_triage')
    return { sandbox, token: String(reserved.body.workflow_access.access_token) }
  }
  const definition = { name: 'Triage', description: 'Routes tickets.', nodes: [], edges: [] }
  const path = apiPaths.workflowCreate('job_workflow_ticket_triage')

  test('takes the token from Authorization only; without it: 401 without an error_code', async (context) => {
    const { sandbox, token } = await workflowReservation(context, 'authorization-header')
    const refused = await post(sandbox.url, path, definition, {
      'X-Job-Workflow-Token': `Bearer ${token}`,
    })
    expect(refused.status).toBe(401)
    expect(refused.body).toEqual({ detail: 'Authentication credentials were not provided.' })
    expect(refused.headers.get('www-authenticate')).toBe('Bearer')
    const wrong = await post(sandbox.url, path, definition, { authorization: 'Bearer nope' })
    expect(wrong.status).toBe(403)
    const created = await post(sandbox.url, path, definition, { authorization: `Bearer ${token}` })
    expect(created.status).toBe(200)
  })

  test('the default dialect takes X-Job-Workflow-Token, not Authorization', async (context) => {
    const { sandbox, token } = await workflowReservation(context)
    const other = await post(sandbox.url, path, definition, { authorization: `Bearer ${token}` })
    expect(other.status).toBe(403)
    const created = await post(sandbox.url, path, definition, {
      'X-Job-Workflow-Token': `Bearer ${token}`,
    })
    expect(created.status).toBe(200)
  })
})
