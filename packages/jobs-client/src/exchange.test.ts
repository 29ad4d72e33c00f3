/**
 * `exchange`, the one HTTP path of the kit (the client, probe and the server check send through
 * it): an answer of any status is returned, not thrown; the size cap holds whether the answer
 * announces its length or not; 429/502-504 are retried as the policy allows, `Retry-After` read
 * against the answer's own `Date`; each attempt has its timeout; a workflow token falls back to
 * the other header after a 401. The server is a fake `fetch`: no port, no real wait.
 */
import {
  NotFoundError,
  ServiceUnavailableError,
  TimeoutError,
  UnknownAuthError,
} from '@agentpmt-kit/error-recovery'
import { describe, expect, test } from 'vitest'
import { type ExchangeAttempt, type ExchangeOptions, exchange } from './exchange.js'
import { ResponseTooLargeError } from './ResponseTooLargeError.js'

type Sent = { url: string; headers: Record<string, string>; body: string }

/** A fake server answering each request with the next of `answers` (the last one repeats). */
function fakeServer(answers: Array<() => Response | Promise<Response>>) {
  const sent: Sent[] = []
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({
      url,
      headers: init.headers as Record<string, string>,
      body: String(init.body),
    })
    return (answers[sent.length - 1] ?? answers.at(-1)!)()
  }) as typeof globalThis.fetch
  return { sent, fetch }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    })

/** A policy without jitter whose waits are recorded, not waited. */
function recordedWaits(): { waits: number[]; retry: ExchangeOptions['retry'] } {
  const waits: number[] = []
  return {
    waits,
    retry: {
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms)
      },
    },
  }
}

describe('exchange', () => {
  test('an answer of any status is returned, with its typed error, not thrown', async () => {
    const server = fakeServer([
      json(404, { error_code: 'NOT_HERE', detail: 'no such job', details: { checklist: [] } }),
    ])
    const answer = await exchange(
      { path: '/api/external/jobs/job_1/status', body: '{}', endpoint: 'status' },
      { baseUrl: 'http://server.test/', fetch: server.fetch },
    )
    expect(server.sent.map((request) => request.url)).toEqual([
      'http://server.test/api/external/jobs/job_1/status',
    ])
    expect(answer.ok).toBe(false)
    expect(answer.status).toBe(404)
    expect(answer.error).toBeInstanceOf(NotFoundError)
    expect(answer.body).toEqual({
      error_code: 'NOT_HERE',
      detail: 'no such job',
      details: { checklist: [] },
    })
    expect(answer.attempts).toBe(1)
  })

  test('a 2xx answer is ok, its JSON body parsed and its text kept', async () => {
    const server = fakeServer([() => new Response('{"session_nonce":"n1"}', { status: 201 })])
    const answer = await exchange({ path: '/s', body: '{}' }, { fetch: server.fetch })
    expect(answer).toMatchObject({ ok: true, status: 201, body: { session_nonce: 'n1' } })
    expect(answer.text).toBe('{"session_nonce":"n1"}')
    expect(answer.error).toBeUndefined()
  })

  describe('the size cap', () => {
    const big = 'x'.repeat(2_000)
    test('an answer longer than maxResponseBytes, not announcing its length, is refused', async () => {
      const streamed = () =>
        new Response(
          new ReadableStream({
            start(controller) {
              for (let index = 0; index < 4; index++)
                controller.enqueue(new TextEncoder().encode(big.slice(0, 500)))
              controller.close()
            },
          }),
        )
      const server = fakeServer([streamed])
      await expect(
        exchange({ path: '/big', body: '{}' }, { fetch: server.fetch, maxResponseBytes: 1_999 }),
      ).rejects.toBeInstanceOf(ResponseTooLargeError)
      // Exactly at the cap is read.
      const exact = await exchange(
        { path: '/big', body: '{}' },
        { fetch: fakeServer([streamed]).fetch, maxResponseBytes: 2_000 },
      )
      expect(exact.text).toHaveLength(2_000)
    })

    test('an announced length over the cap is refused before reading, and never re-sent', async () => {
      const server = fakeServer([
        () => new Response(big, { headers: { 'content-length': String(big.length) } }),
      ])
      const attempts: ExchangeAttempt[] = []
      await expect(
        exchange(
          { path: '/big', body: '{}' },
          {
            fetch: server.fetch,
            maxResponseBytes: 1_000,
            onAttempt: (attempt) => attempts.push(attempt),
          },
        ),
      ).rejects.toMatchObject({ name: 'JobsClient.ResponseTooLargeError', maxBytes: 1_000 })
      expect(server.sent).toHaveLength(1)
      expect(attempts.map((attempt) => attempt.error)).toEqual([expect.any(ResponseTooLargeError)])
    })
  })

  describe('retries', () => {
    // The server's clock is years behind this machine's: its Retry-After date is 3 s after its Date.
    const busy = json(
      503,
      { detail: 'busy' },
      {
        date: 'Wed, 21 Oct 2015 07:28:00 GMT',
        'retry-after': 'Wed, 21 Oct 2015 07:28:03 GMT',
      },
    )

    test('a 503 is retried after Retry-After, read against the answer’s Date, with a fresh body', async () => {
      const server = fakeServer([busy, json(200, { ok: 1 })])
      const { waits, retry } = recordedWaits()
      const attempts: ExchangeAttempt[] = []
      let signed = 0
      const answer = await exchange(
        { path: '/api/external/jobs/list', body: () => `{"request_id":"r${++signed}"}` },
        { fetch: server.fetch, retry, onAttempt: (attempt) => attempts.push(attempt) },
      )
      expect(answer).toMatchObject({ ok: true, status: 200, body: { ok: 1 } })
      expect(waits).toEqual([3_000])
      expect(server.sent.map((request) => request.body)).toEqual([
        '{"request_id":"r1"}',
        '{"request_id":"r2"}',
      ])
      expect(
        attempts.map((attempt) => [attempt.answer?.status, attempt.delayMs, attempt.requestBody]),
      ).toEqual([
        [503, 3_000, '{"request_id":"r1"}'],
        [200, undefined, '{"request_id":"r2"}'],
      ])
    })

    test('retries end at maxAttempts with the last answer; a status not in retryOn is returned at once', async () => {
      const always = fakeServer([busy])
      const { waits, retry } = recordedWaits()
      const answer = await exchange({ path: '/x', body: '{}' }, { fetch: always.fetch, retry })
      expect(always.sent).toHaveLength(3)
      expect(waits).toEqual([3_000, 3_000])
      expect(answer.status).toBe(503)
      expect(answer.error).toBeInstanceOf(ServiceUnavailableError)

      const failing = fakeServer([json(500, {}), json(200, {})])
      expect((await exchange({ path: '/x', body: '{}' }, { fetch: failing.fetch })).status).toBe(
        500,
      )
      expect(failing.sent).toHaveLength(1)
      const none = fakeServer([busy, json(200, {})])
      const first = await exchange({ path: '/x', body: '{}', retryOn: [] }, { fetch: none.fetch })
      expect([first.status, none.sent.length]).toEqual([503, 1])
    })
  })

  describe('timeouts', () => {
    /** A server that never answers: fetch rejects only when its signal aborts. */
    const silent = (calls: string[]) =>
      ((_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => {
          calls.push(String(init.body))
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        })) as typeof globalThis.fetch

    test('an attempt without an answer within timeoutMs is a TimeoutError', async () => {
      const calls: string[] = []
      const failure = exchange(
        { path: '/slow', body: '{}', resend: false },
        { fetch: silent(calls), timeoutMs: 20 },
      )
      await expect(failure).rejects.toBeInstanceOf(TimeoutError)
      await expect(failure).rejects.toMatchObject({ timeoutMs: 20 })
      expect(calls).toHaveLength(1)
    })

    test('each attempt has its own timeout; the identical bytes are re-sent', async () => {
      const calls: string[] = []
      const { waits, retry } = recordedWaits()
      let signed = 0
      await expect(
        exchange(
          { path: '/slow', body: () => `{"n":${++signed}}` },
          { fetch: silent(calls), timeoutMs: 20, retry },
        ),
      ).rejects.toBeInstanceOf(TimeoutError)
      expect(calls).toEqual(['{"n":1}', '{"n":1}', '{"n":1}'])
      expect(waits).toHaveLength(2)
    })
  })

  test('a workflow token refused with a 401 is sent once more in the other header', async () => {
    const server = fakeServer([json(401, { detail: 'no credentials' }), json(404, {})])
    const answer = await exchange(
      {
        path: '/api/external/jobs/j/workflow/w/publish',
        body: '{}',
        workflowToken: { token: 'wft_1' },
      },
      { fetch: server.fetch },
    )
    expect(server.sent.map((request) => request.headers)).toEqual([
      { 'content-type': 'application/json', 'X-Job-Workflow-Token': 'Bearer wft_1' },
      { 'content-type': 'application/json', Authorization: 'Bearer wft_1' },
    ])
    expect(answer.workflowTokenHeader).toBe('Authorization')
    expect(answer.status).toBe(404)

    const refused = fakeServer([json(401, {})])
    const both = await exchange(
      { path: '/w', body: '{}', workflowToken: { token: 't', header: 'Authorization' } },
      { fetch: refused.fetch },
    )
    expect(refused.sent.map((request) => Object.keys(request.headers)[1])).toEqual([
      'Authorization',
      'X-Job-Workflow-Token',
    ])
    expect(both.error).toBeInstanceOf(UnknownAuthError)
  })
})
