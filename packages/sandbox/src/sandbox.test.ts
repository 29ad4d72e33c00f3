import { apiPaths, workflowTokenHeader } from '@agentpmt-kit/message-builder'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { type Json, post, socialProof, testWallet } from '../test/client.js'
import { type RunningSandbox, startSandbox } from './index.js'

const start = Date.parse('2026-05-17T12:00:00.000Z')
let sandbox: RunningSandbox

beforeEach(async () => {
  sandbox = await startSandbox({ now: () => start, verificationDelayMs: 1000 })
})
afterEach(() => sandbox.close())

describe('sessions', () => {
  test('a session answers a nonce with its expiry, 15 minutes by default', async () => {
    const reply = await post(sandbox.url, apiPaths.session, {
      wallet_address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      session_nonce: expect.stringMatching(/^nonce_[0-9a-f]{24}$/),
      expires_in: 900,
      expires_at: '2026-05-17T12:15:00.000Z',
    })
  })

  test('listens on a loopback port the system picked', () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sandbox.port).toBeGreaterThan(0)
  })
})

describe('list', () => {
  test('seven seeded jobs: five social shares on five platforms, two workflow jobs', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reply = await wallet.list()
    expect(reply.status).toBe(200)
    expect(reply.body.total).toBe(7)
    expect(reply.body.limit).toBe(50)
    expect(reply.body.skip).toBe(0)
    const shares = reply.body.jobs.filter((job: Json) => job.job_type === 'social_share')
    expect(new Set(shares.map((job: Json) => job.platform))).toEqual(
      new Set(['linkedin', 'x', 'reddit', 'facebook', 'bluesky']),
    )
    expect(
      reply.body.jobs.filter((job: Json) => job.job_type === 'workflow_creation'),
    ).toHaveLength(2)
    for (const job of reply.body.jobs) {
      expect(typeof job.title).toBe('string')
      expect(job.reward_credits).toBeGreaterThan(0)
    }
  })

  test('pages with limit and skip', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reply = await wallet.list({ limit: 2, skip: 3 })
    expect(reply.body).toMatchObject({ total: 7, limit: 2, skip: 3 })
    expect(reply.body.jobs.map((job: Json) => job.job_id)).toEqual([
      'job_share_facebook',
      'job_share_bluesky',
    ])
  })

  test('hides a job reserved by another wallet, shows it to its holder', async () => {
    const [holder, other] = [testWallet(sandbox.url), testWallet(sandbox.url)]
    await Promise.all([holder.openSession(), other.openSession()])
    expect((await holder.reserve('job_share_x')).status).toBe(200)
    const ids = (reply: Json) => reply.body.jobs.map((job: Json) => job.job_id)
    expect(ids(await other.list())).not.toContain('job_share_x')
    expect((await other.list()).body.total).toBe(6)
    expect(ids(await holder.list())).toContain('job_share_x')
  })
})

describe('a social-share job, end to end', () => {
  test('reserve, complete, then verification moves queued → running → verified', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = await wallet.reserve('job_share_linkedin')
    expect(reserved.status).toBe(200)
    expect(reserved.body).toMatchObject({
      reservation_id: expect.stringMatching(/^res_/),
      job_id: 'job_share_linkedin',
      expires_at: '2026-05-17T12:30:00.000Z',
      instructions: expect.stringContaining('linkedin'),
      job: { job_id: 'job_share_linkedin', job_type: 'social_share', platform: 'linkedin' },
    })
    const tracked = new URL(reserved.body.job.social_share.tracking_links[0])
    expect(tracked.origin + tracked.pathname).toBe(
      'https://www.agentpmt.com/agent-workflow-skills/example',
    )
    expect(tracked.searchParams.get('utm_source')).toBe('linkedin')
    expect(tracked.searchParams.get('utm_medium')).toBe('agent_social')
    expect(tracked.searchParams.get('utm_campaign')).toBe('agent_job_job_share_linkedin')
    expect(tracked.searchParams.get('utm_content')).toMatch(/^trk_[0-9a-f]{24}$/)

    const completed = await wallet.complete('job_share_linkedin', socialProof(reserved.body))
    expect(completed.status).toBe(200)
    expect(completed.body).toEqual({
      job_id: 'job_share_linkedin',
      status: 'submitted',
      submission: {
        submission_id: expect.stringMatching(/^sub_/),
        reservation_id: reserved.body.reservation_id,
        submitted_at: '2026-05-17T12:00:00.000Z',
        verification: { status: 'queued', updated_at: '2026-05-17T12:00:00.000Z' },
      },
    })

    const statusOf = async () => (await wallet.status('job_share_linkedin')).body
    expect((await statusOf()).status).toBe('submitted')
    sandbox.advance(1000)
    expect((await statusOf()).submission.verification).toEqual({
      status: 'running',
      updated_at: '2026-05-17T12:00:01.000Z',
    })
    sandbox.advance(1000)
    const final = await statusOf()
    expect(final.status).toBe('completed')
    expect(final.submission.verification.status).toBe('verified')
    expect(final.reservation).toMatchObject({
      reservation_id: reserved.body.reservation_id,
      state: 'submitted',
    })
    // 100 starting credits + the job's 25.
    expect((await wallet.balance()).body).toEqual({ wallet_address: wallet.address, credits: 125 })
  })

  test('reserving again from the same wallet gives back the same reservation', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const first = await wallet.reserve('job_share_x')
    const second = await wallet.reserve('job_share_x')
    expect(second.status).toBe(200)
    expect(second.body).toEqual(first.body)
  })

  test.each([
    ['rejected', 'open'],
    ['needs_human', 'submitted'],
  ] as const)('outcome %s leaves the job %s', async (outcome, jobStatus) => {
    sandbox.setVerificationOutcome(outcome, 'job_share_reddit')
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = await wallet.reserve('job_share_reddit')
    await wallet.complete('job_share_reddit', socialProof(reserved.body))
    sandbox.advance(2000)
    const status = (await wallet.status('job_share_reddit')).body
    expect(status.status).toBe(jobStatus)
    expect(status.submission.verification.status).toBe(outcome)
    expect(status.submission.verification.reason).toEqual(expect.any(String))
    expect((await wallet.balance()).body.credits).toBe(100)
  })

  test('transient_error turns into verified on the retry', async () => {
    sandbox.setVerificationOutcome('transient_error')
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = await wallet.reserve('job_share_bluesky')
    await wallet.complete('job_share_bluesky', socialProof(reserved.body))
    const seen: string[] = []
    for (let step = 0; step < 5; step++) {
      seen.push((await wallet.status('job_share_bluesky')).body.submission.verification.status)
      sandbox.advance(1000)
    }
    expect(seen).toEqual(['queued', 'running', 'transient_error', 'transient_error', 'verified'])
  })
})

describe('a workflow job, end to end', () => {
  test('reserve, create and publish with the token, complete with the workflow id', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const jobId = 'job_workflow_ticket_triage'
    const reserved = await wallet.reserve(jobId)
    expect(reserved.status).toBe(200)
    expect(reserved.body.job.social_share).toBeUndefined()
    const { access_token, expires_at } = reserved.body.workflow_access
    expect(expires_at).toBe(reserved.body.expires_at)
    const headers = { [workflowTokenHeader]: `Bearer ${access_token}` }
    const created = await post(
      sandbox.url,
      apiPaths.workflowCreate(jobId),
      { name: 'Triage', description: 'Routes tickets', nodes: [{ id: 'a' }], edges: [] },
      headers,
    )
    expect(created.status).toBe(200)
    expect(created.body).toEqual({
      workflow_id: expect.stringMatching(/^wf_/),
      job_id: jobId,
      status: 'draft',
    })
    const workflowId = created.body.workflow_id
    const completion = {
      proof_text: 'Built it.',
      reservation_id: reserved.body.reservation_id,
      workflow_id: workflowId,
    }
    const early = await wallet.complete(jobId, completion)
    expect(early.status).toBe(400)
    expect(early.body.error_code).toBe('EXTERNAL_PROOF_INVALID')

    const published = await post(
      sandbox.url,
      apiPaths.workflowPublish(jobId, workflowId),
      {},
      headers,
    )
    expect(published.body).toEqual({ workflow_id: workflowId, job_id: jobId, status: 'published' })
    const done = await wallet.complete(jobId, completion)
    expect(done.status).toBe(200)
    expect(done.body.status).toBe('submitted')
  })

  test('the token opens only its own job', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reserved = await wallet.reserve('job_workflow_ticket_triage')
    const headers = {
      [workflowTokenHeader]: `Bearer ${reserved.body.workflow_access.access_token}`,
    }
    const definition = { name: 'w', description: '', nodes: [], edges: [] }
    const elsewhere = await post(
      sandbox.url,
      apiPaths.workflowCreate('job_workflow_invoice_digest'),
      definition,
      headers,
    )
    expect(elsewhere.status).toBe(403)
    expect(elsewhere.body.error_code).toBe('EXTERNAL_FORBIDDEN')
    const missing = await post(
      sandbox.url,
      apiPaths.workflowCreate('job_workflow_ticket_triage'),
      definition,
    )
    expect(missing.status).toBe(403)
  })
})

describe('tools and balance', () => {
  test('echo returns the parameters and costs one credit', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const reply = await wallet.invoke('echo', 'echo', { text: 'hello', n: [1, 2] })
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      product_slug: 'echo',
      action_slug: 'echo',
      result: { text: 'hello', n: [1, 2] },
      credits_charged: 1,
      credits_remaining: 99,
    })
    expect((await wallet.balance()).body.credits).toBe(99)
  })

  test('calculator/add adds', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    expect((await wallet.invoke('calculator', 'add', { a: 2, b: 40 })).body.result).toBe(42)
  })

  test.each([
    ['the /api prefix', '/api/external/tools/echo/actions/echo/invoke'],
    ['a trailing slash', '/external/tools/echo/actions/echo/invoke/'],
    ['both', '/api/external/tools/echo/actions/echo/invoke/'],
  ])('a signed path with %s is accepted', async (_, signedPath) => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    expect((await wallet.invoke('echo', 'echo', { a: 1 }, { signedPath })).status).toBe(200)
  })

  test('slug casing: the URL and the signed path may spell the slugs as given', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    const urlPath = '/api/external/tools/Echo/actions/ECHO/invoke/'
    for (const signedPath of [
      '/external/tools/echo/actions/echo/invoke',
      '/external/tools/Echo/actions/ECHO/invoke',
    ])
      expect((await wallet.invoke('echo', 'echo', { a: 1 }, { urlPath, signedPath })).status).toBe(
        200,
      )
  })
})

test('slug casing: the spelling the tool was registered with is accepted too', async () => {
  const running = await startSandbox({
    tools: [
      { productSlug: 'WebSearch', actionSlug: 'Run', costCredits: 1, run: (p) => ({ result: p }) },
    ],
  })
  try {
    const wallet = testWallet(running.url)
    await wallet.openSession()
    const urlPath = '/api/external/tools/websearch/actions/run/invoke'
    const signedPath = '/external/tools/WebSearch/actions/Run/invoke'
    const reply = await wallet.invoke('WebSearch', 'Run', { q: 1 }, { urlPath, signedPath })
    expect(reply.status).toBe(200)
    const refused = await wallet.invoke(
      'WebSearch',
      'Run',
      { q: 1 },
      {
        urlPath,
        signedPath: '/external/tools/WEBSEARCH/actions/Run/invoke',
      },
    )
    expect(refused.status).toBe(401)
    // Canonical lower case first (the spelling of expected_message), then as registered.
    expect(refused.body.details.accepted_path_candidates).toEqual([
      '/external/tools/websearch/actions/run/invoke',
      '/external/tools/websearch/actions/run/invoke/',
      '/api/external/tools/websearch/actions/run/invoke',
      '/api/external/tools/websearch/actions/run/invoke/',
      signedPath,
      `${signedPath}/`,
      `/api${signedPath}`,
      `/api${signedPath}/`,
    ])
    expect(refused.body.details.expected_message).toContain(
      '\npath:/external/tools/websearch/actions/run/invoke\n',
    )
    // A URL in a third casing: its own spelling comes between the canonical and the registered.
    const upperUrl = '/api/external/tools/WEBSEARCH/actions/RUN/invoke'
    expect(
      (await wallet.invoke('WebSearch', 'Run', { q: 2 }, { urlPath: upperUrl, signedPath })).status,
    ).toBe(200)
    const other = await wallet.invoke(
      'WebSearch',
      'Run',
      { q: 2 },
      { urlPath: upperUrl, signedPath: '/external/tools/webSearch/actions/run/invoke' },
    )
    expect(
      other.body.details.accepted_path_candidates.filter(
        (path: string) => !path.startsWith('/api') && !path.endsWith('/'),
      ),
    ).toEqual([
      '/external/tools/websearch/actions/run/invoke',
      '/external/tools/WEBSEARCH/actions/RUN/invoke',
      signedPath,
    ])
  } finally {
    await running.close()
  }
})

describe('both payload forms', () => {
  const text = 'Zoë shares 🚀 AgentPMT'

  test('a completion with non-ASCII text verifies with the raw and the ASCII hash', async () => {
    for (const ascii of [false, true]) {
      const wallet = testWallet(sandbox.url)
      await wallet.openSession()
      const jobId = ascii ? 'job_share_x' : 'job_share_facebook'
      const reserved = await wallet.reserve(jobId, { ascii })
      const reply = await wallet.complete(
        jobId,
        { ...socialProof(reserved.body, { message_text: text }), proof_text: text },
        { ascii },
      )
      expect(reply.status, `ascii: ${ascii}`).toBe(200)
    }
  })

  test('tool parameters with non-ASCII text verify in both forms', async () => {
    const wallet = testWallet(sandbox.url)
    await wallet.openSession()
    for (const ascii of [false, true])
      expect((await wallet.invoke('echo', 'echo', { text }, { ascii })).body.result).toEqual({
        text,
      })
  })
})
