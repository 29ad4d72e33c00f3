import { apiPaths } from '@agentpmt-kit/message-builder'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

let sandbox: RunningSandbox
beforeAll(async () => {
  sandbox = await startSandbox({ maxBodyBytes: 8192 })
})
afterAll(() => sandbox.close())

async function send(path: string, body: string | Uint8Array | null, method = 'POST') {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === null ? {} : { body }),
  })
  const text = await response.text()
  let json: { error_code?: string } | undefined
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, json }
}

const bodies: Array<[string, string | Uint8Array]> = [
  ['not JSON', 'hello'],
  ['truncated JSON', '{"wallet_address":'],
  ['a JSON array', '[1,2,3]'],
  ['JSON null', 'null'],
  ['a JSON string', '"text"'],
  ['an empty body', ''],
  ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ['deep nesting', `${'['.repeat(3000)}${']'.repeat(3000)}`],
  [
    'envelope fields of the wrong types',
    JSON.stringify({ wallet_address: 1, session_nonce: [], request_id: {}, signature: null }),
  ],
  ['a huge body', JSON.stringify({ pad: 'x'.repeat(100_000) })],
]

const envelope = {
  wallet_address: `0x${'a'.repeat(40)}`,
  session_nonce: 'n',
  request_id: 'req',
  signature: '0x',
  parameters: {},
}

const paths = [
  apiPaths.session,
  apiPaths.list,
  apiPaths.reserve('job_share_x'),
  apiPaths.complete('job_share_x'),
  apiPaths.status('job_share_x'),
  apiPaths.balance,
  apiPaths.toolInvoke('echo', 'echo'),
  apiPaths.workflowCreate('job_workflow_ticket_triage'),
]

describe('bad input of any kind gets a 4xx with an error_code', () => {
  test.each(bodies)('%s, on every route', async (_, body) => {
    for (const path of paths) {
      const reply = await send(path, body)
      expect(reply.status, `${path}`).toBeGreaterThanOrEqual(400)
      expect(reply.status, `${path}`).toBeLessThan(500)
      expect(reply.json?.error_code, `${path}`).toMatch(/^EXTERNAL_/)
    }
  })

  test.each([
    ['a request id with a newline', JSON.stringify({ ...envelope, request_id: 'a\nb' })],
    ['a lone surrogate in the request id', JSON.stringify(envelope).replace('"req"', '"\\ud800"')],
  ])('%s, on every signed route, is 400', async (_, body) => {
    for (const path of paths.slice(1, -1)) {
      const reply = await send(path, body)
      expect(reply.status, path).toBe(400)
      expect(reply.json?.error_code, path).toBe('EXTERNAL_REQUEST_INVALID')
    }
  })

  test('a huge body is 413, malformed ones 400', async () => {
    expect(
      (await send(apiPaths.list, JSON.stringify({ pad: 'x'.repeat(100_000) }))).json?.error_code,
    ).toBe('EXTERNAL_PAYLOAD_TOO_LARGE')
    expect((await send(apiPaths.list, 'hello')).json?.error_code).toBe('EXTERNAL_REQUEST_INVALID')
  })

  test.each(['GET', 'PUT', 'DELETE', 'PATCH'])(
    '%s on a POST route is 404 with an error_code',
    async (method) => {
      const reply = await send(apiPaths.list, method === 'GET' ? null : '{}', method)
      expect(reply.status).toBe(404)
      expect(reply.json?.error_code).toBe('EXTERNAL_NOT_FOUND')
    },
  )

  test('unknown routes and odd path segments', async () => {
    for (const path of [
      '/',
      '/api',
      '/api/external/jobs',
      '/api/external/jobs/x/y/z',
      '/api/external/tools/%00/actions/a/invoke',
      '/api/external/jobs/%E0%A4%A/reserve',
      // A decoded line break in a job id answered 500 before (issue 13).
      '/api/external/jobs/%0A/reserve',
      '/api/external/jobs/a%0Db/status',
      '/api/external/jobs/job_share_x/workflow/%00/publish',
      `/api/external/jobs/${'j'.repeat(300)}/complete`,
    ]) {
      const reply = await send(path, '{}')
      expect(reply.status, path).toBeGreaterThanOrEqual(400)
      expect(reply.status, path).toBeLessThan(500)
      expect(reply.json?.error_code, path).toMatch(/^EXTERNAL_/)
    }
  })

  test('after all of it the server still serves signed requests, and never answered 5xx', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    expect((await wallet.list()).status).toBe(200)
    const fiveHundreds = Object.entries(sandbox.stats().byStatus).filter(
      ([status]) => Number(status) >= 500,
    )
    expect(fiveHundreds).toEqual([])
  })
})
