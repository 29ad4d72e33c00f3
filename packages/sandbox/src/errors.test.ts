import { apiPaths } from '@agentpmt-kit/message-builder'
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Json, post, type Reply, socialProof, testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

// Statuses from PROTOCOL section 5 and the project's error table, written out here on purpose.
const statusOf: Record<string, number> = {
  EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID: 401,
  EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED: 401,
  EXTERNAL_SIGNATURE_MALFORMED: 401,
  EXTERNAL_SIGNATURE_WALLET_MISMATCH: 401,
  EXTERNAL_SIGNATURE_REQUEST_REPLAY: 409,
  EXTERNAL_REQUEST_INVALID: 400,
  EXTERNAL_PROOF_INVALID: 400,
  EXTERNAL_CREDITS_INSUFFICIENT: 402,
  EXTERNAL_FORBIDDEN: 403,
  EXTERNAL_NOT_FOUND: 404,
  EXTERNAL_JOB_ALREADY_RESERVED: 409,
  EXTERNAL_JOB_ALREADY_SUBMITTED: 409,
  EXTERNAL_RESERVATION_EXPIRED: 409,
  EXTERNAL_PAYLOAD_TOO_LARGE: 413,
  EXTERNAL_RATE_LIMITED: 429,
  EXTERNAL_INTERNAL_ERROR: 500,
  EXTERNAL_SERVICE_UNAVAILABLE: 503,
}
// sha256('{"limit":50,"skip":0}') and sha256('{}'), computed with Python's hashlib.
const listHash = '4879729d88891f52ee7d8b54ea2f618e20a75b3817e55e0dbeb84c2bca8f3d93'
const seen = new Set<string>()

/** Asserts the error shape of PROTOCOL section 5 and the code's status. */
function expectError(reply: Reply, code: string): Json {
  expect(reply.body?.error_code, JSON.stringify(reply.body)).toBe(code)
  expect(reply.status).toBe(statusOf[code])
  expect(typeof reply.body.detail).toBe('string')
  expect(reply.body.details.checklist.length).toBeGreaterThan(0)
  for (const item of reply.body.details.checklist) expect(typeof item).toBe('string')
  seen.add(code)
  return reply.body
}

let sandbox: RunningSandbox
beforeEach(async () => {
  sandbox = await startSandbox({ maxBodyBytes: 4096 })
})
afterEach(() => sandbox.close())
afterAll(() => {
  expect([...seen].sort()).toEqual(Object.keys(statusOf).sort())
})

async function opened() {
  const wallet = testWallet(sandbox.url)
  await wallet.openSession()
  return wallet
}

describe('signature errors, in the order of PROTOCOL section 5', () => {
  test('NONCE_INVALID: an unknown nonce, or the nonce of another wallet', async () => {
    const [wallet, other] = [await opened(), await opened()]
    expectError(
      await wallet.list(undefined, { session: 'nonce_unknown' }),
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
    expectError(
      await wallet.list(undefined, { session: other.session }),
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
  })

  test('NONCE_EXPIRED: after the session TTL', async () => {
    const wallet = await opened()
    sandbox.advance(15 * 60_000)
    expectError(await wallet.list(), 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
    await wallet.openSession()
    expect((await wallet.list()).status).toBe(200)
  })

  test('MALFORMED: short, bad v, not hex', async () => {
    const wallet = await opened()
    const good = '0x' + 'ab'.repeat(64)
    for (const signature of ['0x1234', `${good}05`, `0x${'zz'.repeat(65)}`, ''])
      expectError(await wallet.list(undefined, { signature }), 'EXTERNAL_SIGNATURE_MALFORMED')
  })

  test('MALFORMED: a high-s signature, which ecrecover would take: the sandbox is stricter', async () => {
    const wallet = await opened()
    expectError(await wallet.list(undefined, { highS: true }), 'EXTERNAL_SIGNATURE_MALFORMED')
    expect((await wallet.list(undefined)).status).toBe(200)
  })

  test('WALLET_MISMATCH: a different payload signed; details rebuild the expected message', async () => {
    const wallet = await opened()
    const requestId = 'req-mismatch-1'
    const reply = await wallet.list(
      { limit: 50, skip: 0 },
      { requestId, signedPayload: { limit: 10, skip: 0 } },
    )
    const body = expectError(reply, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    expect(body.details.expected_message).toBe(
      [
        'agentpmt-external',
        `wallet:${wallet.address}`,
        `session:${wallet.session}`,
        `request:${requestId}`,
        'action:job_list',
        'product:-',
        `payload:${listHash}`,
      ].join('\n'),
    )
    expect(body.details.expected_payload_hash).toBe(listHash)
    expect(body.details.accepted_payload_hashes).toEqual([listHash])
    expect(body.details.expected_wallet).toBe(wallet.address)
    expect(body.details.recovered_wallet).toMatch(/^0x[0-9a-f]{40}$/)
    expect(body.details.recovered_wallet).not.toBe(wallet.address)
    expect(body.details.payload_canonical_top_level_keys).toEqual(['limit', 'skip'])
    expect(body.details.accepted_path_candidates).toBeUndefined()
  })

  test('WALLET_MISMATCH: a wrong scope, a wrong product, another key', async () => {
    const wallet = await opened()
    expectError(
      await wallet.status('job_share_x', {
        scope: { action: 'job_reserve', product: 'job_share_x' },
      }),
      'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    )
    expectError(
      await wallet.status('job_share_x', {
        scope: { action: 'job_status', product: 'job_share_reddit' },
      }),
      'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    )
    // Another key signs exactly the message the server expects for this wallet's fields.
    const impostor = testWallet(sandbox.url)
    const requestId = 'req-impostor-1'
    const message = [
      'agentpmt-external',
      `wallet:${wallet.address}`,
      `session:${wallet.session}`,
      `request:${requestId}`,
      'action:job_list',
      'product:-',
      `payload:${listHash}`,
    ].join('\n')
    const stolen = await post(sandbox.url, apiPaths.list, {
      wallet_address: wallet.address,
      session_nonce: wallet.session,
      request_id: requestId,
      signature: await impostor.account.signMessage({ message }),
      limit: 50,
      skip: 0,
    })
    const details = expectError(stolen, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH').details
    expect(details.recovered_wallet).toBe(impostor.address)
    expect(details.recovered_wallet_for_expected_message).toBe(impostor.address)
    expect(details.expected_message).toBe(message)
  })

  test('WALLET_MISMATCH on a tool invoke lists the accepted path candidates and both hashes', async () => {
    const wallet = await opened()
    const reply = await wallet.invoke(
      'echo',
      'echo',
      { text: 'é' },
      { signedPath: '/external/tools/calculator/actions/add/invoke' },
    )
    const body = expectError(reply, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    expect(body.details.accepted_path_candidates).toEqual([
      '/external/tools/echo/actions/echo/invoke',
      '/external/tools/echo/actions/echo/invoke/',
      '/api/external/tools/echo/actions/echo/invoke',
      '/api/external/tools/echo/actions/echo/invoke/',
    ])
    // sha256 of {"text":"é"} in UTF-8 and of {"text":"\u00e9"}, computed with Python's hashlib.
    const raw = '42d3cbf59fdccced04e5dff14433fb52d34d58e385e9770ffd896ff517d63b92'
    const ascii = 'd804508ba860f371e3f4ad571e0b760745ca1347987ba8ad41cb3eef8b4c284f'
    expect(body.details.expected_message.split('\n').slice(4)).toEqual([
      'method:POST',
      'path:/external/tools/echo/actions/echo/invoke',
      `payload:${raw}`,
    ])
    expect(body.details.expected_payload_hash).toBe(raw)
    expect(body.details.accepted_payload_hashes).toEqual([raw, ascii])
    expect(body.details.payload_canonical_top_level_keys).toEqual(['text'])
  })

  test('REPLAY: a request id is spent once the session checks pass, also by a refused signature', async () => {
    const wallet = await opened()
    const requestId = 'req-replay-1'
    expectError(
      await wallet.list(undefined, { requestId, signedPayload: { limit: 1, skip: 0 } }),
      'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    )
    // The fixed request needs a fresh id: "the old one is spent" (PROTOCOL section 5).
    expectError(await wallet.list(undefined, { requestId }), 'EXTERNAL_SIGNATURE_REQUEST_REPLAY')
    const fresh = 'req-replay-2'
    expect((await wallet.list(undefined, { requestId: fresh })).status).toBe(200)
    expectError(
      await wallet.list(undefined, { requestId: fresh }),
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
    // A new session starts a fresh set of request ids.
    await wallet.openSession()
    expect((await wallet.list(undefined, { requestId })).status).toBe(200)
  })

  test('REPLAY: any refused signature spends its id; a spent id is a replay whatever its signature', async () => {
    const wallet = await opened()
    // Signed for the wrong action, then fixed and signed again with the same id.
    const wrongAction = { requestId: 'req-action', scope: { action: 'job_reserve', product: '-' } }
    expectError(await wallet.list(undefined, wrongAction), 'EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    expectError(
      await wallet.list(undefined, { requestId: 'req-action' }),
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
    expectError(
      await wallet.list(undefined, { requestId: 'req-malformed', signature: '0x12' }),
      'EXTERNAL_SIGNATURE_MALFORMED',
    )
    expectError(
      await wallet.list(undefined, { requestId: 'req-malformed' }),
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
    // The replay check comes before the signature's: a spent id with a broken signature is a replay.
    expectError(
      await wallet.list(undefined, { requestId: 'req-malformed', signature: '0x12' }),
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
  })

  test('REPLAY: a request refused before the replay check has not spent its id', async () => {
    const wallet = await opened()
    const requestId = 'req-early'
    expectError(
      await wallet.list({ limit: 'ten', skip: 0 } as Json, { requestId }),
      'EXTERNAL_REQUEST_INVALID',
    )
    expectError(
      await wallet.list(undefined, { requestId, session: 'nonce_unknown' }),
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
    expect((await wallet.list(undefined, { requestId })).status).toBe(200)
  })
})

describe('request and business errors', () => {
  test('REQUEST_INVALID: wrong types in the envelope or the payload', async () => {
    const wallet = await opened()
    expectError(
      await post(sandbox.url, apiPaths.session, { wallet_address: '0x12' }),
      'EXTERNAL_REQUEST_INVALID',
    )
    expectError(await wallet.list({ limit: 'ten', skip: 0 } as Json), 'EXTERNAL_REQUEST_INVALID')
    expectError(await wallet.list({ limit: 1000, skip: 0 }), 'EXTERNAL_REQUEST_INVALID')
    const missing = await post(sandbox.url, apiPaths.list, { limit: 50, skip: 0 })
    expect(expectError(missing, 'EXTERNAL_REQUEST_INVALID').details.field).toBe('wallet_address')
    expectError(
      await wallet.complete('job_share_x', { proof_text: 1, reservation_id: 'r' }),
      'EXTERNAL_REQUEST_INVALID',
    )
    expectError(
      await wallet.invoke('calculator', 'add', { a: 'one', b: 2 }),
      'EXTERNAL_REQUEST_INVALID',
    )
  })

  test('PROOF_INVALID: each broken rule of a social-share proof, and the job stays reserved', async () => {
    const wallet = await opened()
    const reserved = (await wallet.reserve('job_share_linkedin')).body
    const proof = socialProof(reserved)
    const broken: Array<Record<string, unknown>> = [
      socialProof(reserved, {
        target_url_used: 'https://www.agentpmt.com/agent-workflow-skills/example',
      }),
      socialProof(reserved, { platform: 'x' }),
      socialProof(reserved, { post_url: 'http://www.linkedin.com/feed/update/1' }),
      socialProof(reserved, { posted_at: '17 May 2026' }),
      { ...proof, social_posts: [] },
      { ...proof, social_posts: [proof.social_posts[0], proof.social_posts[0]] },
      { proof_text: 'done', reservation_id: reserved.reservation_id },
    ]
    for (const completion of broken)
      expectError(await wallet.complete('job_share_linkedin', completion), 'EXTERNAL_PROOF_INVALID')
    expect((await wallet.status('job_share_linkedin')).body.status).toBe('reserved')
    expect((await wallet.complete('job_share_linkedin', proof)).status).toBe(200)
  })

  test('CREDITS_INSUFFICIENT: a tool costs more than the balance', async () => {
    const poor = await startSandbox({ startingCredits: 1 })
    try {
      const wallet = testWallet(poor.url)
      await wallet.openSession()
      const body = expectError(
        await wallet.invoke('calculator', 'add', { a: 1, b: 2 }),
        'EXTERNAL_CREDITS_INSUFFICIENT',
      )
      expect(body.details).toMatchObject({ required_credits: 2, available_credits: 1 })
      expect((await wallet.balance()).body.credits).toBe(1)
    } finally {
      await poor.close()
    }
  })

  test('FORBIDDEN: completing the reservation of another wallet', async () => {
    const [holder, other] = [await opened(), await opened()]
    const reserved = (await holder.reserve('job_share_x')).body
    expectError(await other.complete('job_share_x', socialProof(reserved)), 'EXTERNAL_FORBIDDEN')
  })

  test('NOT_FOUND: unknown job, reservation, tool, route or method', async () => {
    const wallet = await opened()
    expectError(await wallet.reserve('job_nope'), 'EXTERNAL_NOT_FOUND')
    expectError(await wallet.status('job_nope'), 'EXTERNAL_NOT_FOUND')
    expectError(
      await wallet.complete('job_share_x', {
        proof_text: 'p',
        reservation_id: 'res_nope',
        social_posts: [],
      }),
      'EXTERNAL_NOT_FOUND',
    )
    expectError(await wallet.invoke('nope', 'run', {}), 'EXTERNAL_NOT_FOUND')
    expectError(await post(sandbox.url, '/api/external/nothing', {}), 'EXTERNAL_NOT_FOUND')
    const get = await fetch(`${sandbox.url}${apiPaths.list}`)
    expectError(
      { status: get.status, body: await get.json(), headers: get.headers, text: '' },
      'EXTERNAL_NOT_FOUND',
    )
  })

  test('JOB_ALREADY_RESERVED: a second wallet cannot reserve a held job', async () => {
    const [holder, other] = [await opened(), await opened()]
    await holder.reserve('job_share_x')
    expectError(await other.reserve('job_share_x'), 'EXTERNAL_JOB_ALREADY_RESERVED')
  })

  test('JOB_ALREADY_SUBMITTED: a second completion changes nothing; a submitted job cannot be reserved', async () => {
    const [holder, other] = [await opened(), await opened()]
    const reserved = (await holder.reserve('job_share_x')).body
    const first = await holder.complete('job_share_x', socialProof(reserved))
    expect(first.status).toBe(200)
    const again = await holder.complete(
      'job_share_x',
      socialProof(reserved, { message_text: 'a different post' }),
    )
    expectError(again, 'EXTERNAL_JOB_ALREADY_SUBMITTED')
    expect((await holder.status('job_share_x')).body.submission).toEqual({
      ...first.body.submission,
      verification: expect.any(Object),
    })
    expect(sandbox.state().submissions).toHaveLength(1)
    expect(sandbox.state().submissions[0]!.completion).toEqual(socialProof(reserved))
    expectError(await other.reserve('job_share_x'), 'EXTERNAL_JOB_ALREADY_SUBMITTED')
  })

  test('RESERVATION_EXPIRED: completing after the reservation TTL', async () => {
    const wallet = await opened()
    const reserved = (await wallet.reserve('job_share_reddit')).body
    sandbox.advance(30 * 60_000)
    await wallet.openSession()
    expectError(
      await wallet.complete('job_share_reddit', socialProof(reserved)),
      'EXTERNAL_RESERVATION_EXPIRED',
    )
  })

  test('PAYLOAD_TOO_LARGE: a body over maxBodyBytes', async () => {
    const wallet = await opened()
    expectError(
      await wallet.invoke('echo', 'echo', { text: 'x'.repeat(5000) }),
      'EXTERNAL_PAYLOAD_TOO_LARGE',
    )
    expect((await wallet.list()).status).toBe(200)
  })

  test.each([
    [429, 'EXTERNAL_RATE_LIMITED', '3'],
    [500, 'EXTERNAL_INTERNAL_ERROR', null],
    [503, 'EXTERNAL_SERVICE_UNAVAILABLE', '3'],
  ] as const)('an injected %i answers %s', async (status, code, retryAfter) => {
    const wallet = await opened()
    sandbox.faults.set([{ route: 'list', status, retryAfterSeconds: 3 }])
    const reply = await wallet.list()
    expectError(reply, code)
    expect(reply.headers.get('retry-after')).toBe(retryAfter)
  })
})
