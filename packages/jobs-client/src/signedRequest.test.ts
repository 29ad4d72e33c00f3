import { canonicalize } from '@agentpmt-kit/canonical-json'
import { JobAlreadyReservedError, RateLimitedError } from '@agentpmt-kit/error-recovery'
import { payloadOf } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import type { CompletionProof } from './proofChecks.js'
import { SignatureRejectedError } from './signedRequest.js'
import {
  apiError,
  bodyPayloadHash,
  connectionLost,
  drive,
  json,
  messageOf,
  routeOf,
  setup,
  shareProof,
  wallet,
} from './test/fakes.js'

const signedRoutes = new Set(['list', 'reserve', 'complete', 'status'])

describe('every signed request', () => {
  test('has a fresh request id, and its message hashes exactly the body sent minus the envelope', async () => {
    const { client, calls, messages, clock } = setup()
    await client.listJobs({ limit: 10, skip: 0 })
    const reservation = await client.reserve('job_share_linkedin')
    await client.complete(reservation, shareProof())
    await client.status('job_share_linkedin')
    await drive(clock, client.waitForVerification('job_share_linkedin'))

    const signed = calls.filter((call) => signedRoutes.has(routeOf(call.path)))
    expect(signed.length).toBeGreaterThanOrEqual(6)
    const ids = signed.map((call) => call.requestId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(messages).toHaveLength(signed.length)
    for (const call of signed) {
      const message = messageOf(messages, call)
      expect(message.payloadHash).toBe(bodyPayloadHash(call))
      expect(message.wallet).toBe(wallet)
      expect(call.body.wallet_address).toBe(wallet)
      expect(message.session).toBe(call.body.session_nonce)
    }
  })

  test('scopes each action to its job id, the list to "-"', async () => {
    const { client, calls, messages } = setup()
    await client.listJobs()
    await client.reserve('job_share_linkedin')
    const [list, reserve] = calls.filter((call) => call.requestId !== undefined)
    expect(messageOf(messages, list!).scope).toEqual({ action: 'job_list', product: '-' })
    expect(messageOf(messages, reserve!).scope).toEqual({
      action: 'job_reserve',
      product: 'job_share_linkedin',
    })
  })

  test('sends the body in canonical form, from the same value that was hashed', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await client.complete(reservation, shareProof({ message_text: 'Zoë ✓ 🚀 "quoted"' }))
    const complete = calls.find((call) => routeOf(call.path) === 'complete')!
    expect(complete.text).toBe(canonicalize(JSON.parse(complete.text)))
    expect(payloadOf(complete.body)).toEqual({
      proof_text: 'Published the required AgentPMT social post.',
      reservation_id: 'res_1',
      social_posts: [
        {
          platform: 'linkedin',
          post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
          target_url_used: reservation.trackedUrl,
          message_text: 'Zoë ✓ 🚀 "quoted"',
          posted_at: '2026-05-17T14:30:00Z',
        },
      ],
    })
  })

  test('the body is a snapshot: changing the proof while it is signed changes nothing sent', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    const proof = shareProof() as unknown as {
      proof_text: string
      social_posts: Array<Record<string, string>>
    }
    const pending = client.complete(reservation, proof as unknown as CompletionProof)
    proof.proof_text = 'changed'
    proof.social_posts[0]!.message_text = 'changed'
    await pending
    const complete = calls.find((call) => routeOf(call.path) === 'complete')!
    expect(complete.body.proof_text).toBe('Published the required AgentPMT social post.')
  })
})

describe('transport retries', () => {
  test('a lost connection re-sends the identical request: same bytes, same request id', async () => {
    let lost = 0
    const { client, calls, clock, messages } = setup({
      list: (call) => {
        if (lost++ < 2) connectionLost()
        return json(200, { jobs: [], total: 0, limit: call.body.limit, skip: call.body.skip })
      },
    })
    await drive(clock, client.listJobs())
    const lists = calls.filter((call) => routeOf(call.path) === 'list')
    expect(lists).toHaveLength(3)
    expect(new Set(lists.map((call) => call.text)).size).toBe(1)
    expect(new Set(lists.map((call) => call.requestId)).size).toBe(1)
    expect(messages).toHaveLength(1)
  })

  test('gives up after the policy’s attempts with the transport error', async () => {
    const { client, clock } = setup({ list: () => connectionLost() })
    await expect(drive(clock, client.listJobs())).rejects.toMatchObject({
      name: 'ErrorRecovery.NetworkError',
    })
  })

  test('a replay answer to a re-sent completion: status is checked, nothing is submitted again', async () => {
    let first = true
    const { client, calls, clock, server } = setup({
      complete: (call, index) => {
        const response = server.routes.complete(call, index)
        if (first) {
          first = false
          connectionLost(true) // the server did the work; the answer was lost
        }
        return response
      },
    })
    const reservation = await client.reserve('job_share_linkedin')
    const completion = await drive(clock, client.complete(reservation, shareProof()))
    const completes = calls.filter((call) => routeOf(call.path) === 'complete')
    expect(completes).toHaveLength(2)
    expect(completes[1]!.text).toBe(completes[0]!.text)
    expect(server.state.submissions).toHaveLength(1)
    expect(completion.submission?.reservation_id).toBe('res_1')
    expect(routeOf(calls.at(-1)!.path)).toBe('status')
  })

  test('replay after a re-send, and no submission on record: status read, then sent again with a fresh id', async () => {
    let first: string | undefined
    const { client, calls, clock, server } = setup({
      complete: (call, index) => {
        if (first === undefined) {
          first = call.requestId
          connectionLost()
        }
        // The first request id is spent without a submission (the server failed after it).
        if (call.requestId === first) return apiError(409, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY')
        return server.routes.complete(call, index)
      },
    })
    const reservation = await client.reserve('job_share_linkedin')
    const completion = await drive(clock, client.complete(reservation, shareProof()))
    const completes = calls.filter((call) => routeOf(call.path) === 'complete')
    const ids = completes.map((call) => call.requestId)
    expect(ids.slice(0, 2)).toEqual([first, first])
    expect(new Set(ids).size).toBe(2)
    expect(server.state.submissions).toHaveLength(1)
    expect(completion.adopted).toBe(false)
    // The record was read before the second sending.
    const order = calls.map((call) => routeOf(call.path))
    expect(order.indexOf('status')).toBeLessThan(order.lastIndexOf('complete'))
  })
})

describe('recovery', () => {
  test('new-session: opens a new session, signs with a fresh id, retries once', async () => {
    let expired = 1
    const { client, calls, server, events } = setup({
      list: (call) =>
        expired-- > 0
          ? apiError(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
          : json(200, { jobs: [], total: 0, limit: call.body.limit, skip: call.body.skip }),
    })
    await client.listJobs()
    const lists = calls.filter((call) => routeOf(call.path) === 'list')
    expect(lists.map((call) => call.body.session_nonce)).toEqual(['nonce_1', 'nonce_2'])
    expect(lists[0]!.requestId).not.toBe(lists[1]!.requestId)
    expect(server.state.sessions).toBe(2)
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'recovery', recovery: 'new-session' }),
    )
  })

  test('new-session only once: a second expiry is thrown', async () => {
    const { client, calls } = setup({
      list: () => apiError(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'),
    })
    await expect(client.listJobs()).rejects.toMatchObject({
      name: 'ErrorRecovery.SessionNonceInvalidError',
    })
    expect(calls.filter((call) => routeOf(call.path) === 'list')).toHaveLength(2)
  })

  test('new-session on a completion retries it, since the server refused it unread', async () => {
    let expired = 1
    const { client, calls, server } = setup({
      complete: (call, index) =>
        expired-- > 0
          ? apiError(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
          : server.routes.complete(call, index),
    })
    const reservation = await client.reserve('job_share_linkedin')
    await client.complete(reservation, shareProof())
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(2)
    expect(server.state.submissions).toHaveLength(1)
  })

  test('new-request (replay of a fresh request): fresh id, once', async () => {
    const { client, calls } = setup({
      reserve: () => apiError(409, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'),
    })
    await expect(client.reserve('job_share_linkedin')).rejects.toMatchObject({
      name: 'ErrorRecovery.RequestReplayError',
    })
    const reserves = calls.filter((call) => routeOf(call.path) === 'reserve')
    expect(reserves).toHaveLength(2)
    expect(reserves[0]!.requestId).not.toBe(reserves[1]!.requestId)
  })

  test('a 500 on complete: the status is checked before any second sending', async () => {
    const { client, calls, clock, server } = setup({
      complete: (call, index) => {
        server.routes.complete(call, index) // processed, then failed
        return apiError(500, 'EXTERNAL_INTERNAL_ERROR')
      },
    })
    const reservation = await client.reserve('job_share_linkedin')
    const completion = await drive(clock, client.complete(reservation, shareProof()))
    expect(completion.submission?.reservation_id).toBe('res_1')
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(1)
    expect(server.state.submissions).toHaveLength(1)
  })

  test('a 500 on complete, nothing recorded: sent again once with a fresh id', async () => {
    let failures = 1
    const { client, calls, clock, server } = setup({
      complete: (call, index) =>
        failures-- > 0
          ? apiError(500, 'EXTERNAL_INTERNAL_ERROR')
          : server.routes.complete(call, index),
    })
    const reservation = await client.reserve('job_share_linkedin')
    await drive(clock, client.complete(reservation, shareProof()))
    const order = calls.map((call) => routeOf(call.path))
    expect(order.slice(-3)).toEqual(['complete', 'status', 'complete'])
    expect(server.state.submissions).toHaveLength(1)
  })

  test('fix-signature: throws SignatureRejectedError with the diagnosis; never signs the server’s message', async () => {
    const { client, messages } = setup({
      list: (call) => {
        const expected = messageOf(messages, call)
        return apiError(401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH', {
          expected_message: [
            'agentpmt-external',
            `wallet:${expected.wallet}`,
            `session:${expected.session}`,
            `request:${expected.request}`,
            'action:job_list',
            'product:-',
            `payload:${'0'.repeat(64)}`,
          ].join('\n'),
          expected_payload_hash: '0'.repeat(64),
        })
      },
    })
    const error = await client.listJobs().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SignatureRejectedError)
    const { diagnosis } = error as SignatureRejectedError
    expect(diagnosis.problems.map((problem) => problem.kind)).toContain('payload-hash-differs')
    expect((error as SignatureRejectedError).cause).toMatchObject({
      name: 'ErrorRecovery.WalletMismatchError',
    })
    expect(messages).toHaveLength(1)
    expect(messages.some((message) => message.includes('0'.repeat(64)))).toBe(false)
  })

  test('retry-later: waits at least Retry-After, then signs again with a fresh id', async () => {
    let limited = 1
    const { client, calls, clock, events } = setup({
      list: (call) =>
        limited-- > 0
          ? apiError(429, 'EXTERNAL_RATE_LIMITED', {}, { 'retry-after': '7' })
          : json(200, { jobs: [], total: 0, limit: call.body.limit, skip: call.body.skip }),
    })
    const pending = client.listJobs()
    await clock.advance(6_900)
    expect(calls.filter((call) => routeOf(call.path) === 'list')).toHaveLength(1)
    await clock.advance(200)
    await pending
    const lists = calls.filter((call) => routeOf(call.path) === 'list')
    expect(lists).toHaveLength(2)
    expect(lists[0]!.requestId).not.toBe(lists[1]!.requestId)
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'retry', reason: 'retry-later', delayMs: 7_000 }),
    )
  })

  test('retry-later gives up after the policy’s attempts', async () => {
    const { client, clock } = setup({
      list: () => apiError(429, 'EXTERNAL_RATE_LIMITED', {}, { 'retry-after': '1' }),
    })
    await expect(drive(clock, client.listJobs())).rejects.toBeInstanceOf(RateLimitedError)
  })

  test("a call's own retry and timeout options apply to that call only", async () => {
    const { client, clock, calls } = setup({
      list: () => apiError(429, 'EXTERNAL_RATE_LIMITED', {}, { 'retry-after': '1' }),
    })
    const lists = () => calls.filter((call) => routeOf(call.path) === 'list').length
    await expect(client.listJobs({ retry: { maxAttempts: 1 } })).rejects.toBeInstanceOf(
      RateLimitedError,
    )
    expect(lists()).toBe(1)
    await expect(drive(clock, client.listJobs())).rejects.toBeInstanceOf(RateLimitedError)
    // The client's default policy: three attempts.
    expect(lists()).toBe(4)
  })

  test('conflicts are thrown as typed errors, not retried', async () => {
    const { client, calls } = setup({
      reserve: () => apiError(409, 'EXTERNAL_JOB_ALREADY_RESERVED'),
    })
    await expect(client.reserve('job_share_linkedin')).rejects.toBeInstanceOf(
      JobAlreadyReservedError,
    )
    expect(calls.filter((call) => routeOf(call.path) === 'reserve')).toHaveLength(1)
  })

  test('an expired session after a re-send of complete checks status before signing anew', async () => {
    let step = 0
    const { client, calls, clock, server } = setup({
      complete: (call, index) => {
        step++
        if (step === 1) {
          server.routes.complete(call, index)
          connectionLost(true)
        }
        return apiError(401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
      },
    })
    const reservation = await client.reserve('job_share_linkedin')
    const completion = await drive(clock, client.complete(reservation, shareProof()))
    expect(completion.submission?.reservation_id).toBe('res_1')
    expect(calls.filter((call) => routeOf(call.path) === 'complete')).toHaveLength(2)
    expect(
      new Set(calls.filter((call) => routeOf(call.path) === 'complete').map((c) => c.requestId))
        .size,
    ).toBe(1)
    expect(server.state.submissions).toHaveLength(1)
  })
})
