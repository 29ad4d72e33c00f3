import { describe, expect, test } from 'vitest'
import { json, routeOf, sessionBody, setup } from './test/fakes.js'

const sessionCalls = (calls: { path: string }[]) =>
  calls.filter((call) => routeOf(call.path) === 'session')

describe('sessions', () => {
  test('are opened lazily, on the first signed call, for the lower-case wallet', async () => {
    const { client, calls } = setup()
    expect(calls).toHaveLength(0)
    await client.listJobs()
    expect(calls.map((call) => routeOf(call.path))).toEqual(['session', 'list'])
    expect(calls[0]!.body).toEqual({ wallet_address: client.address })
    expect(calls[0]!.headers.get('x-job-workflow-token')).toBeNull()
  })

  test('are reused while fresh', async () => {
    const { client, calls } = setup()
    await client.listJobs()
    await client.status('job_share_linkedin')
    await client.listJobs({ skip: 1 })
    expect(sessionCalls(calls)).toHaveLength(1)
  })

  test('concurrent first calls share one session request', async () => {
    const { client, calls } = setup()
    await Promise.all([client.listJobs(), client.status('a'), client.status('b')])
    expect(sessionCalls(calls)).toHaveLength(1)
  })

  test('are renewed before expires_at, not after', async () => {
    const { client, calls, clock } = setup()
    await client.listJobs() // session of 15 minutes: renewed in its last 30 s
    await clock.advance(15 * 60_000 - 31_000)
    await client.listJobs()
    expect(sessionCalls(calls)).toHaveLength(1)
    await clock.advance(2_000)
    await client.listJobs()
    expect(sessionCalls(calls)).toHaveLength(2)
    const lists = calls.filter((call) => routeOf(call.path) === 'list')
    expect(lists.map((call) => call.body.session_nonce)).toEqual(['nonce_1', 'nonce_1', 'nonce_2'])
  })

  test('a short session is renewed in its last tenth', async () => {
    let count = 0
    const { client, calls, clock } = setup({
      session: () => json(200, sessionBody(`short_${++count}`, clock.now(), 60_000)),
    })
    await client.listJobs()
    await clock.advance(53_000)
    await client.listJobs()
    expect(sessionCalls(calls)).toHaveLength(1)
    await clock.advance(2_000)
    await client.listJobs()
    expect(sessionCalls(calls)).toHaveLength(2)
  })

  test('expiry is read from expires_in on the local clock, not from a skewed expires_at', async () => {
    const { client, calls, clock } = setup({
      // A server clock one hour behind: its expires_at is already past for us.
      session: () =>
        json(200, { ...sessionBody('skewed', clock.now() - 3_600_000), expires_in: 900 }),
    })
    await client.listJobs()
    await client.listJobs()
    expect(sessionCalls(calls)).toHaveLength(1)
  })

  test('createSession opens a new one now', async () => {
    const { client, calls } = setup()
    const first = await client.createSession()
    const second = await client.createSession()
    expect(first.session_nonce).toBe('nonce_1')
    expect(second.session_nonce).toBe('nonce_2')
    await client.listJobs()
    expect(calls.at(-1)!.body.session_nonce).toBe('nonce_2')
    expect(sessionCalls(calls)).toHaveLength(2)
  })

  test('a malformed session answer is an InvalidResponseError', async () => {
    const { client } = setup({ session: () => json(200, { nonce: 'x' }) })
    await expect(client.listJobs()).rejects.toMatchObject({
      name: 'JobsClient.InvalidResponseError',
    })
  })
})
