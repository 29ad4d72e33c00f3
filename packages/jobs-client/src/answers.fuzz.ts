/**
 * Any answer a server (or something in front of it) may give, to every client call: the client
 * either succeeds or throws one of the toolkit's typed errors (a `BaseError`), never a
 * `TypeError` or anything untyped.
 */
import { BaseError } from '@agentpmt-kit/canonical-json'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import type { Clock } from './Clock.js'
import { createJobsClient, type JobsClient } from './createJobsClient.js'
import { signer } from './test/fakes.js'

// A run takes a few milliseconds: CI's 5,000 runs take about ten seconds.
const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

/** Virtual time: every timer fires on the next turn and moves the clock to its due time. */
function instantClock(): Clock {
  let now = Date.parse('2026-05-17T14:00:00.000Z')
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = setImmediate(() => {
        now = Math.max(now, now + ms)
        callback()
      })
      return () => clearImmediate(timer)
    },
  }
}

/** Values shaped like the protocol's, with the wrong types, nulls and odd members mixed in. */
const loose = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    { weight: 3, arbitrary: fc.constant(null) },
    fc.constantFrom(
      true,
      0,
      10.5,
      -1,
      '',
      'x',
      '2026-05-17T14:30:00',
      'https://a.example/?utm_source=x',
    ),
    fc.string(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(
    fc.constantFrom(
      'session_nonce',
      'expires_in',
      'expires_at',
      'reserved_until',
      'reservation_id',
      'reservation',
      'job',
      'job_id',
      'id',
      'instructions',
      'social_share',
      'tracking_links',
      'url',
      'workflow_access',
      'access_token',
      'jobs',
      'items',
      'total',
      'submission',
      'verification',
      'status',
      'workflow_id',
      'workflow',
      'error_code',
      'detail',
      'details',
      'checklist',
      '__proto__',
      'constructor',
    ),
    tie('value'),
    { maxKeys: 6 },
  ),
}))

const v = loose.value
/** Answers close to each endpoint's shape, one part at a time made wrong. */
const shaped = fc.oneof(
  fc.record(
    { session_nonce: fc.oneof(fc.constant('n1'), v), expires_in: v, expires_at: v },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      jobs: fc.oneof(
        fc.array(fc.oneof(v, fc.record({ job_id: v, id: v }, { requiredKeys: [] })), {
          maxLength: 3,
        }),
        v,
      ),
      total: v,
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      reservation_id: fc.oneof(fc.constant('res_1'), v),
      job_id: fc.oneof(fc.constant('job_1'), v),
      expires_at: v,
      expires_in: v,
      reservation: fc.oneof(
        v,
        fc.record({ reservation_id: v, expires_in: v, reserved_until: v }, { requiredKeys: [] }),
      ),
      job: fc.oneof(
        v,
        fc.record(
          {
            job_id: v,
            job_type: fc.oneof(fc.constantFrom('social_share', 'workflow_creation'), v),
            social_share: fc.oneof(
              v,
              fc.record(
                {
                  platform: v,
                  tracking_links: fc.oneof(
                    v,
                    fc.array(fc.oneof(v, fc.record({ url: v, href: v }, { requiredKeys: [] })), {
                      maxLength: 2,
                    }),
                  ),
                },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      workflow_access: fc.oneof(
        v,
        fc.record({ access_token: v, expires_at: v }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      submission: fc.oneof(
        v,
        fc.record(
          {
            reservation_id: fc.oneof(fc.constant('res_1'), v),
            verification: fc.oneof(
              v,
              fc.record(
                {
                  status: fc.oneof(
                    fc.constantFrom('queued', 'verified', 'rejected', 'approved'),
                    v,
                  ),
                },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    { workflow_id: v, workflow: fc.oneof(v, fc.record({ id: v }, { requiredKeys: [] })) },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      error_code: v,
      detail: v,
      details: fc.oneof(v, fc.record({ checklist: v, expected_message: v }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
)

const answer = fc.record({
  status: fc.oneof(
    { weight: 3, arbitrary: fc.constant(200) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(201, 204, 400, 401, 402, 404, 409, 410, 429, 500, 502, 503),
    },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
  ),
  body: fc.oneof(
    { weight: 4, arbitrary: shaped.map((value) => JSON.stringify(value)) },
    loose.object.map((value) => JSON.stringify(value)),
    loose.value.map((value) => JSON.stringify(value)),
    fc.string(),
    fc.constantFrom('', '<html><title>502 Bad Gateway</title></html>', '{"session_nonce":'),
  ),
  retryAfter: fc.option(fc.constantFrom('0', '1', '3600', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT')),
})

const savedReservation = {
  reservation_id: 'res_1',
  job_id: 'job_1',
  expires_at: '2026-05-17T15:00:00.000Z',
  instructions: 'Share it.',
  job: { job_id: 'job_1', social_share: { tracking_links: ['https://a.example/?utm_source=x'] } },
}

const proof = {
  proof_text: 'Posted.',
  social_posts: [
    {
      platform: 'x',
      post_url: 'https://x.com/a/status/1',
      target_url_used: 'https://a.example/?utm_source=x',
      message_text: 'See https://a.example/?utm_source=x',
      posted_at: '2026-05-17T14:30:00Z',
    },
  ],
}

/** Every call of the client, each on its own. */
const calls: Record<string, (client: JobsClient) => Promise<unknown>> = {
  createSession: (client) => client.createSession(),
  listJobs: (client) => client.listJobs(),
  jobs: async (client) => {
    for await (const _ of client.jobs({ pageSize: 2 })) {
    }
  },
  reserve: (client) => client.reserve('job_1'),
  status: (client) => client.status('job_1'),
  complete: (client) => client.complete(client.restoreReservation(savedReservation), proof),
  waitForVerification: (client) =>
    client.waitForVerification('job_1', { signal: AbortSignal.timeout(2_000) }),
  run: (client) => client.run('job_1', () => proof, { signal: AbortSignal.timeout(2_000) }),
}

test.prop(
  [
    fc.constantFrom(...Object.keys(calls)),
    fc.array(answer, { minLength: 1, maxLength: 12 }),
    fc.boolean(),
  ],
  {
    numRuns,
    // Found by CI: an expires_in so large that the deadline is past the last Date (a RangeError).
    examples: [
      [
        'reserve',
        [
          {
            status: 200,
            body: '{"reservation_id":"res_1","expires_in":8638220973600.001}',
            retryAfter: null,
          },
          { status: 201, body: '', retryAfter: null },
        ],
        true,
      ],
    ],
  },
)('every call: a typed error or a result, for any answers', async (name, answers, goodSession) => {
  let index = 0
  const client = createJobsClient({
    signer,
    baseUrl: 'https://api.example',
    clock: instantClock(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    fetch: async (url) => {
      // Most runs get past the session, so that every other answer is reached too.
      if (goodSession && String(url).endsWith('/auth/session'))
        return Response.json({ session_nonce: 'n1' })
      const { status, body, retryAfter } = answers[index++ % answers.length]!
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (retryAfter !== null) headers['retry-after'] = retryAfter
      return new Response(status === 204 ? null : body, { status, headers })
    },
  })
  try {
    await calls[name]!(client)
  } catch (error) {
    // A run or a wait aborted by its own test timeout is not the client's error.
    if (error instanceof DOMException && error.name === 'TimeoutError') return
    expect(error, `${name}: ${String(error)}`).toBeInstanceOf(BaseError)
  }
})
