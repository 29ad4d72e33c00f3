import { apiPaths } from '@agentpmt-kit/message-builder'
import { fc, test } from '@fast-check/vitest'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { post, testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)
// Each run is a request over loopback: CI's 5,000 runs take about 40 s, more on a busy machine.
const propertyTimeoutMs = Math.max(60_000, numRuns * 30)

let sandbox: RunningSandbox
const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
let nonce = ''
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3, maxBodyBytes: 16_384 })
  nonce = (await post(sandbox.url, apiPaths.session, { wallet_address: wallet })).body.session_nonce
})
afterAll(() => sandbox.close())

const words = [
  'api',
  'external',
  'jobs',
  'job_share_x',
  'job_workflow_ticket_triage',
  'reserve',
  'complete',
  'status',
  'list',
  'auth',
  'session',
  'tools',
  'echo',
  'actions',
  'invoke',
  'workflow',
  'create',
  'publish',
  'credits',
  'balance',
  'wf_1',
  '',
]
const encoded = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 })
  .map((bytes) => bytes.map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''))
const segment = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom('%0A', '%0D%0A', '%00', '%E0%A4%A', '%ZZ', '%', '..', '.', '%2F', '%ED%A0%80'),
  encoded,
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ minLength: 257, maxLength: 300 }).map(encodeURIComponent),
)
const templates = [
  ['api', 'external', 'jobs', 0, 'reserve'],
  ['api', 'external', 'jobs', 0, 'complete'],
  ['api', 'external', 'jobs', 0, 'status'],
  ['api', 'external', 'jobs', 0, 'workflow', 'create'],
  ['api', 'external', 'jobs', 0, 'workflow', 1, 'publish'],
  ['api', 'external', 'tools', 0, 'actions', 1, 'invoke'],
  ['api', 'external', 'jobs', 'list'],
  ['api', 'external', 'auth', 'session'],
  ['api', 'external', 'credits', 'balance'],
] as const
const path = fc.oneof(
  fc
    .tuple(fc.constantFrom(...templates), segment, segment)
    .map(([template, first, second]) =>
      template.map((part) => (part === 0 ? first : part === 1 ? second : part)),
    ),
  fc.array(segment, { maxLength: 8 }),
)
const text = fc.string({ maxLength: 40 })
const envelope = fc.record(
  {
    wallet_address: fc.oneof(fc.constant(wallet), fc.jsonValue(), text),
    session_nonce: fc.oneof(fc.constant(''), fc.constant('nonce'), fc.jsonValue(), text),
    request_id: fc.oneof(fc.uuid(), fc.jsonValue(), text),
    signature: fc.oneof(
      fc.constant('0x00'),
      fc.stringMatching(/^0x[0-9a-f]{130}$/),
      fc.jsonValue(),
      text,
    ),
    limit: fc.jsonValue(),
    skip: fc.jsonValue(),
    parameters: fc.jsonValue(),
    proof_text: fc.jsonValue(),
    reservation_id: fc.jsonValue(),
    social_posts: fc.jsonValue(),
    workflow_id: fc.jsonValue(),
    name: fc.jsonValue(),
    description: fc.jsonValue(),
    nodes: fc.jsonValue(),
    edges: fc.jsonValue(),
  },
  { requiredKeys: [] },
)
const body = fc.oneof(
  envelope.map((value) => JSON.stringify(value)),
  // The real nonce, so that requests reach the replay check, hashing and recovery.
  envelope.map((value) =>
    JSON.stringify({ ...value, wallet_address: wallet, session_nonce: nonce }),
  ),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc
    .integer({ min: 1, max: 3000 })
    .map((depth) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.constant(''),
)
const headers = fc.record(
  {
    'content-type': fc.oneof(fc.constant('application/json'), fc.constant('text/plain'), text),
    'x-job-workflow-token': fc.oneof(
      text,
      text.map((token) => `Bearer ${token}`),
    ),
    'x-anything': text,
  },
  { requiredKeys: [] },
)
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')

/** Header values a fetch client can send: no control characters. */
const sendable = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter(
      ([, value]) => /^[\x20-\x7e]*$/.test(value) && value.trim() === value,
    ),
  )

describe('no 500 from input', () => {
  test.prop([method, path, headers, body], { numRuns })(
    'any path, method, headers and body: a 4xx with the error body, never a 5xx',
    async (verb, segments, sent, payload) => {
      const url = `${sandbox.url}/${segments.join('/')}`
      const response = await fetch(url, {
        method: verb,
        headers: sendable(sent),
        ...(verb === 'GET' ? {} : { body: payload }),
      })
      const answer = await response.text()
      expect(response.status, `${verb} ${url} ${answer}`).toBeLessThan(500)
      if (response.status >= 400) {
        const parsed = JSON.parse(answer)
        expect(parsed).toMatchObject({
          error_code: expect.stringMatching(/^EXTERNAL_/),
          detail: expect.any(String),
          details: { checklist: expect.any(Array) },
        })
      }
    },
    propertyTimeoutMs,
  )

  test.prop([fc.constant(0)], { numRuns: 1 })(
    'afterwards the server is healthy and never answered 5xx',
    async () => {
      const client = testWallet(sandbox.url)
      await client.openSession()
      expect((await client.list()).status).toBe(200)
      const fiveHundreds = Object.keys(sandbox.stats().byStatus).filter(
        (status) => Number(status) >= 500,
      )
      expect(fiveHundreds).toEqual([])
    },
  )
})
