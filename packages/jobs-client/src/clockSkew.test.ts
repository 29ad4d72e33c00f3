/**
 * Clocks that disagree (issue 22): the whole loop against a sandbox whose clock, timestamps and
 * `Date` header are days or minutes off the client's, and with the client's own clock set
 * forward in mid-work. What the server records decides: every run `verified`, one session for
 * the whole work, deadlines read on the server's clock.
 */
import { createSandboxApp, type SandboxApp, startSandbox } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createJobsClient, type JobsClient } from './createJobsClient.js'
import type { JobsClientEvent } from './Logger.js'
import type { Reservation } from './Reservation.js'
import { apiError, drive, setup } from './test/fakes.js'
import { shareProof } from './test/shareProof.js'

const minute = 60_000
const day = 86_400_000
const fast = { verification: { intervalMs: 20, maxIntervalMs: 100 } }

function clientOf(baseUrl: string, fetch?: typeof globalThis.fetch) {
  const events: JobsClientEvent[] = []
  const client = createJobsClient({
    signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
    baseUrl,
    ...(fetch ? { fetch } : {}),
    retry: { baseDelayMs: 20 },
    logger: (event) => events.push(event),
  })
  return { client, events }
}

async function workflowRun(client: JobsClient) {
  return client.run(
    'job_workflow_ticket_triage',
    async (reservation, { signal }) => {
      const definition = { name: 'Triage', description: 'Routes tickets', nodes: [], edges: [] }
      const created = await client.createWorkflow(reservation, definition, { signal })
      const published = await client.publishWorkflow(reservation, created.workflow_id, { signal })
      return { proof_text: 'Published the triage workflow.', workflow_id: published.workflow_id }
    },
    fast,
  )
}

describe.concurrent('the loop against a server whose clock is off', () => {
  test.for([
    ['2 days behind', -2 * day],
    ['40 minutes behind', -40 * minute],
    ['40 minutes ahead', 40 * minute],
    ['2 days ahead', 2 * day],
  ] as const)(
    '%s: verified, one session, the deadline read on the server clock',
    async ([, offsetMs], { onTestFinished }) => {
      const sandbox = await startSandbox({
        port: 0,
        verificationDelayMs: 20,
        clockOffsetMs: offsetMs,
      })
      onTestFinished(() => sandbox.close())
      const { client } = clientOf(sandbox.url)

      const share = await client.run('job_share_linkedin', shareProof, fast)
      expect(share.error).toBeUndefined()
      expect(share.outcome).toBe('verified')
      const workflow = await workflowRun(client)
      expect(workflow.error).toBeUndefined()
      expect(workflow.outcome).toBe('verified')

      // The server's record, and one session for all of it: none renewed for the local clock.
      expect(sandbox.state().submissions).toHaveLength(2)
      expect(sandbox.stats().byRoute.session).toBe(1)
      // The server's 30 minutes, read as 30 minutes from now here, and its own expires_at kept.
      expect(share.reservation.deadline - Date.now()).toBeGreaterThan(29 * minute)
      expect(share.reservation.deadline - Date.now()).toBeLessThanOrEqual(30 * minute)
      const serverExpiry = Date.parse(share.reservation.expires_at) - offsetMs
      expect(Math.abs(serverExpiry - share.reservation.deadline)).toBeLessThan(3_000)
      const reading = client.serverClock()
      expect(reading.measured).toBe(true)
      expect(Math.abs(reading.offsetMs - offsetMs)).toBeLessThanOrEqual(reading.uncertaintyMs + 1)
      expect(reading.uncertaintyMs).toBeLessThan(2_000)
    },
  )

  test('the clock-behind dialect: verified', async ({ onTestFinished }) => {
    const sandbox = await startSandbox({
      port: 0,
      verificationDelayMs: 20,
      dialect: 'clock-behind',
    })
    onTestFinished(() => sandbox.close())
    const { client } = clientOf(sandbox.url)
    const share = await client.run('job_share_linkedin', shareProof, fast)
    expect(share.outcome).toBe('verified')
    expect(Math.round(client.serverClock().offsetMs / minute)).toBe(-40)
  })
})

describe('the local clock set forward in mid-work (a resumed VM)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A sandbox on a clock that fake `Date` does not move: the real, monotonic one. */
  function sandboxOnRealTime(): SandboxApp {
    return createSandboxApp({
      verificationDelayMs: 20,
      now: () => Math.floor(performance.timeOrigin + performance.now()),
    })
  }

  test.each([
    ['2 days', 2 * day],
    ['40 minutes', 40 * minute],
    ['back 2 days', -2 * day],
  ])(
    '%s: the deadline does not move, the session is kept, the run is verified',
    async (_, jumpMs) => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
      const sandbox = sandboxOnRealTime()
      const { client } = clientOf('http://sandbox.local', sandbox.fetch as typeof fetch)
      let seen: { aborted: boolean; deadline: number } | undefined
      const result = await client.run(
        'job_share_linkedin',
        async (reservation: Reservation, { signal }) => {
          await client.status(reservation.job_id, { signal })
          vi.setSystemTime(Date.now() + jumpMs)
          // A signed call after the jump: the session is the same one, the reservation alive.
          await client.status(reservation.job_id, { signal })
          seen = { aborted: signal.aborted, deadline: reservation.deadline }
          return shareProof(reservation)
        },
        fast,
      )
      expect(result.error).toBeUndefined()
      expect(result.outcome).toBe('verified')
      expect(seen?.aborted).toBe(false)
      expect(sandbox.stats().byRoute.session).toBe(1)
      // What the local clock said when the reservation was read, not after the jump.
      expect(seen!.deadline - (Date.now() - jumpMs)).toBeGreaterThan(29 * minute)
    },
  )
})

describe('Retry-After as an HTTP date, from a server whose clock is off', () => {
  test.each([
    ['40 minutes behind', -40 * minute],
    ['2 days ahead', 2 * day],
  ])('%s: waited for as long as the server meant (read against its Date)', async (_, offsetMs) => {
    let refused = 0
    const { client, clock, events, server } = setup({
      list: (call, index) => {
        if (refused++ > 0) return server.routes.list(call, index)
        const serverNow = clock.now() + offsetMs
        return apiError(
          503,
          'EXTERNAL_SERVICE_UNAVAILABLE',
          {},
          {
            date: new Date(serverNow).toUTCString(),
            'retry-after': new Date(serverNow + 3_000).toUTCString(),
          },
        )
      },
    })
    await drive(clock, client.listJobs())
    const retry = events.find((event) => event.type === 'retry')
    expect(retry).toMatchObject({ reason: 'retry-later' })
    // 3 s as the server's Date has it (whole seconds), not 0 nor 40 minutes or 2 days.
    expect((retry as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(2_000)
    expect((retry as { delayMs: number }).delayMs).toBeLessThanOrEqual(3_000)
  })
})
