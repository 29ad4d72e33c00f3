import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createJobsClient } from '@agentpmt-kit/jobs-client'
import { createFileJournal } from '@agentpmt-kit/jobs-client/file-journal'
import type { RunningSandbox } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterEach, describe, expect, test } from 'vitest'
import { createMcpServer, mcpToolNames } from './index.js'
import {
  connect,
  everything,
  holdsKey,
  postFor,
  type Session,
  sandboxAndWallet,
  serverOptions,
} from './test/harness.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(
  sandboxOptions: Parameters<typeof sandboxAndWallet>[0] = {},
  extra: Partial<Parameters<typeof createMcpServer>[0]> = {},
): Promise<{ session: Session; sandbox: RunningSandbox; key: string }> {
  const { sandbox, key, signer } = await sandboxAndWallet(sandboxOptions)
  cleanups.push(() => sandbox.close())
  const session = await connect({ ...serverOptions(sandbox, signer, key), ...extra })
  cleanups.push(() => session.close())
  return { session, sandbox, key }
}

describe('tools', () => {
  test('are listed with input schemas, output schemas and descriptions', async () => {
    const { session } = await setup()
    const { tools } = await session.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual([...mcpToolNames].sort())
    const required = Object.fromEntries(
      tools.map((tool) => [tool.name, tool.inputSchema.required ?? []]),
    )
    expect(required).toMatchInlineSnapshot(`
      {
        "complete_job": [
          "job_id",
          "proof_text",
        ],
        "create_workflow": [
          "job_id",
          "name",
          "description",
          "nodes",
          "edges",
        ],
        "diagnose_refusal": [],
        "job_status": [
          "job_id",
        ],
        "list_jobs": [],
        "publish_workflow": [
          "job_id",
          "workflow_id",
        ],
        "reserve_job": [
          "job_id",
        ],
      }
    `)
    for (const tool of tools) {
      expect(tool.outputSchema?.type).toBe('object')
      expect(tool.description?.length).toBeGreaterThan(80)
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool.description ?? '']))
    for (const name of ['reserve_job', 'complete_job'])
      expect(byName[name]).toMatch(/let the reservation lapse: never submit incomplete/)
  })
})

describe('a whole job, in memory', () => {
  test('social share: list, reserve, complete, status until verified', async () => {
    const { session, key } = await setup()
    const listed = await session.call('list_jobs', { limit: 50 })
    expect(listed.result.isError).toBeFalsy()
    const jobs = listed.data.jobs as { job_id: string; job_type: string }[]
    expect(jobs.map((job) => job.job_type)).toContain('social_share')

    const reserved = await session.call('reserve_job', { job_id: 'job_share_linkedin' })
    expect(reserved.result.isError).toBeFalsy()
    expect(reserved.data).toMatchObject({
      job_id: 'job_share_linkedin',
      job_kind: 'social_share',
      platform: 'linkedin',
      deadline_source: 'server',
      already_held: false,
    })
    expect(reserved.data.tracked_url).toMatch(/utm_campaign=agent_job_job_share_linkedin/)
    expect(reserved.data.instructions).toMatch(/linkedin/)
    expect(reserved.data.seconds_left).toBeGreaterThan(1_700)
    expect(reserved.text).toMatch(/Tracked link \(use exactly\)/)

    const again = await session.call('reserve_job', { job_id: 'job_share_linkedin' })
    expect(again.data).toMatchObject({
      reservation_id: reserved.data.reservation_id,
      already_held: true,
    })
    const held = await session.call('list_jobs', {})
    expect(held.data.my_reservations).toEqual([
      expect.objectContaining({ job_id: 'job_share_linkedin' }),
    ])

    const completed = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Published one LinkedIn post with the tracked link.',
      social_post: postFor(reserved.data),
    })
    expect(completed.result.isError).toBeFalsy()
    expect(completed.data).toMatchObject({
      job_id: 'job_share_linkedin',
      reservation_id: reserved.data.reservation_id,
      adopted: false,
    })

    const status = await session.call('job_status', {
      job_id: 'job_share_linkedin',
      wait_seconds: 10,
    })
    expect(status.data).toMatchObject({
      final: true,
      submission: { verification_status: 'verified' },
      my_reservation: null,
    })
    const after = await session.call('list_jobs', {})
    expect(after.data.my_reservations).toEqual([])

    expect(holdsKey(everything(session), key)).toBe(false)
    const signedCalls = session.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.tool !== undefined)
    expect(signedCalls.map((line) => [line.tool, line.signed, line.result])).toEqual([
      ['list_jobs', true, 'ok'],
      ['reserve_job', true, 'ok'],
      ['reserve_job', true, 'ok'],
      ['list_jobs', true, 'ok'],
      ['complete_job', true, 'ok'],
      ['job_status', true, 'ok'],
      ['list_jobs', true, 'ok'],
    ])
    expect(session.logLines.some((line) => line.includes('"event":"request"'))).toBe(true)
  })

  test('workflow: reserve, create, publish, complete, status until verified', async () => {
    const { session, key } = await setup()
    const reserved = await session.call('reserve_job', { job_id: 'job_workflow_ticket_triage' })
    expect(reserved.data).toMatchObject({ job_kind: 'workflow_creation', tracked_url: null })
    const created = await session.call('create_workflow', {
      job_id: 'job_workflow_ticket_triage',
      name: 'Support-ticket triage',
      description: 'Reads a new ticket, classifies its urgency and routes it.',
      nodes: [
        { id: 'n1', type: 'trigger', label: 'New ticket' },
        { id: 'n2', type: 'classify', label: 'Urgency' },
      ],
      edges: [{ from: 'n1', to: 'n2' }],
    })
    expect(created.result.isError).toBeFalsy()
    const workflowId = created.data.workflow_id as string
    const published = await session.call('publish_workflow', {
      job_id: 'job_workflow_ticket_triage',
      workflow_id: workflowId,
    })
    expect(published.data).toMatchObject({ workflow_id: workflowId, status: 'published' })
    const completed = await session.call('complete_job', {
      job_id: 'job_workflow_ticket_triage',
      proof_text: `Created and published workflow ${workflowId}.`,
      workflow_id: workflowId,
    })
    expect(completed.result.isError).toBeFalsy()
    const status = await session.call('job_status', {
      job_id: 'job_workflow_ticket_triage',
      wait_seconds: 10,
    })
    expect(status.data).toMatchObject({
      final: true,
      submission: { verification_status: 'verified' },
    })
    expect(holdsKey(everything(session), key)).toBe(false)
    const workflowCalls = session.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.tool === 'create_workflow' || line.tool === 'publish_workflow')
    expect(workflowCalls.map((line) => line.signed)).toEqual([false, false])
  })
})

describe('bad inputs are tool errors, never a crash', () => {
  test('schema violations, unknown jobs and tools', async () => {
    const { session } = await setup()
    const bad: [string, Record<string, unknown>][] = [
      ['reserve_job', {}],
      ['reserve_job', { job_id: 42 }],
      ['reserve_job', { job_id: '' }],
      ['list_jobs', { limit: 0 }],
      ['list_jobs', { limit: 'ten' }],
      ['job_status', { job_id: 'job_share_x', wait_seconds: 9_999 }],
      ['complete_job', { job_id: 'job_share_x' }],
      ['complete_job', { job_id: 'job_share_x', proof_text: 'done', social_post: 'a post' }],
      ['create_workflow', { job_id: 'job_workflow_ticket_triage', name: 'n' }],
      ['diagnose_refusal', { http_status: 'x' }],
      ['no_such_tool', {}],
    ]
    for (const [name, args] of bad) {
      const call = await session.call(name, args)
      expect(call.result.isError, `${name} ${JSON.stringify(args)}`).toBe(true)
      expect(call.text.length).toBeGreaterThan(0)
    }
    const missing = session.calls[6]?.text ?? ''
    expect(missing).toMatch(/proof_text/)
    // The server still answers.
    const listed = await session.call('list_jobs', {})
    expect(listed.result.isError).toBeFalsy()
  })

  test('a job id the server does not know, or one held by another wallet', async () => {
    const { session, sandbox } = await setup()
    const unknown = await session.call('reserve_job', { job_id: 'job_nope' })
    expect(unknown.result.isError).toBe(true)
    expect(unknown.data.error).toMatchObject({ code: 'not_found', http_status: 404 })

    const other = createJobsClient({
      signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
      baseUrl: sandbox.url,
    })
    await other.reserve('job_share_x')
    const taken = await session.call('reserve_job', { job_id: 'job_share_x' })
    expect(taken.data.error).toMatchObject({ code: 'job_taken', http_status: 409 })
    expect(taken.text).toMatch(/pick another one with list_jobs/)

    const diagnosed = await session.call('diagnose_refusal', {})
    expect(diagnosed.result.isError).toBeFalsy()
    expect(diagnosed.data).toMatchObject({
      source: 'last_refusal',
      tool: 'reserve_job',
      job_id: 'job_share_x',
      http_status: 409,
      recovery: 'none',
    })
  })

  test('only a reservation this server made can be completed', async () => {
    const { session } = await setup()
    const call = await session.call('complete_job', {
      job_id: 'job_share_reddit',
      proof_text: 'Published.',
      social_post: {
        platform: 'reddit',
        post_url: 'https://reddit.example/r/1',
        target_url_used: 'https://www.agentpmt.com/docs/autonomous-agents',
        message_text: 'hi',
        posted_at: '2026-05-17T14:30:00Z',
      },
    })
    expect(call.result.isError).toBe(true)
    expect(call.data.error).toMatchObject({ code: 'not_reserved_here' })
    const job_id = 'job_workflow_invoice_digest'
    for (const [tool, args] of [
      ['create_workflow', { job_id, name: 'n', description: 'd', nodes: [], edges: [] }],
      ['publish_workflow', { job_id, workflow_id: 'wf_1' }],
    ] as const) {
      const workflow = await session.call(tool, args)
      expect(workflow.data.error).toMatchObject({ code: 'not_reserved_here' })
    }
  })

  test('a proof is checked locally: field-level problems, nothing sent', async () => {
    const { session, sandbox } = await setup()
    const reserved = await session.call('reserve_job', { job_id: 'job_share_linkedin' })
    const before = sandbox.stats().requests
    const call = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Published.',
      social_post: {
        platform: 'x',
        post_url: 'http://linkedin.example/post/1',
        target_url_used: 'https://www.agentpmt.com/agent-workflow-skills/example',
        message_text: 'A post',
        posted_at: 'yesterday',
      },
    })
    expect(call.result.isError).toBe(true)
    const error = call.data.error as { code: string; problems: { field: string }[] }
    expect(error.code).toBe('proof_invalid')
    expect(error.problems.map((problem) => problem.field).sort()).toEqual([
      'social_post.platform',
      'social_post.post_url',
      'social_post.posted_at',
      'social_post.target_url_used',
    ])
    expect(call.text).toMatch(/^Error \(proof_invalid\)/)
    expect(sandbox.stats().requests).toBe(before)

    const workflowId = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Published.',
      workflow_id: 'wf_1',
    })
    expect(workflowId.data.error).toMatchObject({
      code: 'proof_invalid',
      problems: [{ field: 'social_posts' }],
    })
    const notWorkflow = await session.call('create_workflow', {
      job_id: 'job_share_linkedin',
      name: 'n',
      description: 'd',
      nodes: [],
      edges: [],
    })
    expect(notWorkflow.data.error).toMatchObject({ code: 'not_a_workflow_job' })

    // Fixed, the same reservation completes.
    const fixed = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Published one LinkedIn post with the tracked link.',
      social_post: postFor(reserved.data),
    })
    expect(fixed.result.isError).toBeFalsy()
  })

  test('a completion past the safety deadline is refused with the reason', async () => {
    // 2.5 s before the safety deadline; the client reads the server's deadline on the second of
    // its Date header, so up to a second of that window may be taken off on arrival.
    const { session, sandbox } = await setup(
      { reservationTtlMs: 62_500 },
      { safetyMarginMs: 60_000 },
    )
    const reserved = await session.call('reserve_job', { job_id: 'job_share_bluesky' })
    expect(reserved.data.seconds_left).toBeLessThanOrEqual(2)
    await new Promise((resolve) => setTimeout(resolve, 2_600))
    const before = sandbox.stats().requests
    const call = await session.call('complete_job', {
      job_id: 'job_share_bluesky',
      proof_text: 'Published.',
      social_post: postFor(reserved.data),
    })
    expect(call.result.isError).toBe(true)
    expect(call.data.error).toMatchObject({ code: 'deadline_passed' })
    expect(call.text).toMatch(/safety deadline of reservation .* passed at .*Nothing was sent/)
    expect(call.text).toMatch(/let the reservation lapse/)
    expect(sandbox.stats().requests).toBe(before)
  })
})

describe('complete_job as the guides write it', () => {
  test('social_posts (an array of one) is the proof; unknown arguments are refused with a hint', async () => {
    const { session, sandbox } = await setup()
    const { tools } = await session.client.listTools()
    for (const tool of tools) expect(tool.title, tool.name).toMatch(/\w/)
    const reserved = await session.call('reserve_job', { job_id: 'job_share_linkedin' })
    const post = postFor(reserved.data)
    const misspelt = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Posted once.',
      social_postz: [post],
    })
    expect(misspelt.result.isError).toBe(true)
    expect(misspelt.text).toMatch(
      /unknown argument social_postz: complete_job takes .*social_posts/,
    )
    const two = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Posted once.',
      social_posts: [post, post],
    })
    expect(two.result.isError).toBe(true)
    const both = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Posted once.',
      social_posts: [post],
      social_post: post,
    })
    expect(both.data.error).toMatchObject({ code: 'invalid_input' })
    expect(sandbox.stats().byRoute.complete ?? 0).toBe(0)
    const done = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Posted once.',
      social_posts: [post],
    })
    expect(done.result.isError).toBeFalsy()
    expect(sandbox.state().submissions).toHaveLength(1)
  })
})

describe('the key never leaves', () => {
  test('not in results, errors or log lines, even when the model sends it', async () => {
    const { session, key } = await setup()
    await session.call('reserve_job', { job_id: key })
    await session.call('reserve_job', { job_id: key.slice(2) })
    await session.call('job_status', { job_id: key })
    await session.call('diagnose_refusal', {
      error_body: { error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH', detail: key },
      signed_message: `agentpmt-external\nwallet:${key}`,
    })
    await session.call('diagnose_refusal', {})
    await session.call('complete_job', { job_id: 'job_share_x', proof_text: key })
    expect(session.calls.length).toBe(6)
    expect(holdsKey(everything(session), key)).toBe(false)
  })

  test('a tool call that would send the key is refused before anything is sent', async () => {
    const paths: string[] = []
    const { session, key } = await setup({ onRequest: (entry) => paths.push(entry.path) })
    const bare = key.slice(2)
    for (const jobId of [key, bare, bare.toUpperCase()])
      for (const tool of ['reserve_job', 'job_status']) {
        const call = await session.call(tool, { job_id: jobId })
        expect(call.data.error).toMatchObject({
          code: 'invalid_input',
          problems: [{ field: 'job_id' }],
        })
      }
    const reserved = await session.call('reserve_job', { job_id: 'job_share_linkedin' })
    const post = postFor(reserved.data)
    const leaking = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: `Posted. ${bare.toUpperCase()}`,
      social_post: post,
    })
    expect(leaking.data.error).toMatchObject({
      code: 'invalid_input',
      problems: [{ field: 'proof_text' }],
    })
    // Another 64-hex value is no secret: a proof may quote a transaction hash.
    const done = await session.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: `Posted. ${generatePrivateKey()}`,
      social_post: post,
    })
    expect(done.result.isError).toBeFalsy()
    expect(paths.some((path) => holdsKey(path, key))).toBe(false)
    expect(paths.filter((path) => path.endsWith('/complete'))).toHaveLength(1)
    expect(holdsKey(everything(session), key)).toBe(false)
  })
})

describe('diagnose_refusal', () => {
  test('nothing to diagnose yet; a given signature refusal names the differing line', async () => {
    const { session } = await setup()
    const nothing = await session.call('diagnose_refusal', {})
    expect(nothing.data.error).toMatchObject({ code: 'nothing_to_diagnose' })
    const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
    const expected = `agentpmt-external\nwallet:${wallet}\nsession:nonce-new\nrequest:r1\naction:job_reserve\nproduct:job_1\npayload:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`
    const given = await session.call('diagnose_refusal', {
      error_body: {
        error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
        detail: 'Signature does not match wallet.',
        details: { expected_message: expected, checklist: ['Sign the exact message.'] },
      },
      http_status: 401,
      signed_message: expected.replace('nonce-new', 'nonce-old'),
      payload: {},
    })
    expect(given.data).toMatchObject({
      source: 'given',
      error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      recovery: 'fix-signature',
      checklist: ['Sign the exact message.'],
      problems: [{ kind: 'session-differs', line: 3 }],
    })
    expect(given.text).toMatch(/Never sign the server's expected_message/)
  })
})

describe('a restarted server', () => {
  test('finds the reservation in its journal and completes it', async () => {
    const { sandbox, key, signer } = await sandboxAndWallet()
    cleanups.push(() => sandbox.close())
    const dir = await mkdtemp(join(tmpdir(), 'agentpmt-mcp-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))

    const first = await connect(serverOptions(sandbox, signer, key, createFileJournal({ dir })))
    const shareReserved = await first.call('reserve_job', { job_id: 'job_share_facebook' })
    const workflowReserved = await first.call('reserve_job', {
      job_id: 'job_workflow_invoice_digest',
    })
    expect(workflowReserved.result.isError).toBeFalsy()
    await first.close()

    const second = await connect(serverOptions(sandbox, signer, key, createFileJournal({ dir })))
    cleanups.push(() => second.close())
    const listed = await second.call('list_jobs', {})
    expect(
      (listed.data.my_reservations as { job_id: string }[]).map((held) => held.job_id).sort(),
    ).toEqual(['job_share_facebook', 'job_workflow_invoice_digest'])

    const completed = await second.call('complete_job', {
      job_id: 'job_share_facebook',
      proof_text: 'Published one Facebook post with the tracked link.',
      social_post: postFor(shareReserved.data),
    })
    expect(completed.result.isError).toBeFalsy()
    expect(completed.data.reservation_id).toBe(shareReserved.data.reservation_id)
    const status = await second.call('job_status', {
      job_id: 'job_share_facebook',
      wait_seconds: 10,
    })
    expect(status.data).toMatchObject({ submission: { verification_status: 'verified' } })

    // The workflow token is not journaled: reserve_job again gets it back, then it completes.
    const again = await second.call('reserve_job', { job_id: 'job_workflow_invoice_digest' })
    expect(again.data).toMatchObject({
      reservation_id: workflowReserved.data.reservation_id,
      already_held: true,
    })
    const created = await second.call('create_workflow', {
      job_id: 'job_workflow_invoice_digest',
      name: 'Weekly invoice digest',
      description: 'Collects the week’s invoices and sends one digest.',
      nodes: [{ id: 'n1', type: 'schedule' }],
      edges: [],
    })
    expect(created.result.isError).toBeFalsy()
    expect(holdsKey(everything(first) + everything(second), key)).toBe(false)
  })

  test('without reserve_job again, a restored workflow reservation says how to get its token', async () => {
    const { sandbox, key, signer } = await sandboxAndWallet()
    cleanups.push(() => sandbox.close())
    const dir = await mkdtemp(join(tmpdir(), 'agentpmt-mcp-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const first = await connect(serverOptions(sandbox, signer, key, createFileJournal({ dir })))
    await first.call('reserve_job', { job_id: 'job_workflow_ticket_triage' })
    await first.close()
    const second = await connect(serverOptions(sandbox, signer, key, createFileJournal({ dir })))
    cleanups.push(() => second.close())
    const created = await second.call('create_workflow', {
      job_id: 'job_workflow_ticket_triage',
      name: 'n',
      description: 'd',
      nodes: [],
      edges: [],
    })
    expect(created.data.error).toMatchObject({ code: 'workflow_token_missing' })
    expect(created.text).toMatch(/call reserve_job again/)
  })
})

describe('options', () => {
  test('a client, a signer or notConfigured: one of them', () => {
    expect(() => createMcpServer({})).toThrow(/one of client .*, signer .* or notConfigured/)
    const signer = createViemSigner(privateKeyToAccount(generatePrivateKey()))
    const client = createJobsClient({ signer })
    expect(() => createMcpServer({ client, signer })).toThrow(/one of/)
    const notConfigured = { message: 'No key.', fix: 'Set one.' }
    expect(() => createMcpServer({ signer, notConfigured })).toThrow(/one of/)
    expect(() => createMcpServer({ client, safetyMarginMs: -1 })).toThrow(/safetyMarginMs/)
    expect(createMcpServer({ client })).toBeDefined()
  })
})
