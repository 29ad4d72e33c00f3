import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { type RunningSandbox, startSandbox } from '@agentpmt-kit/sandbox'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli, tempDir } from '../../test/harness.js'
import { run } from '../index.js'

let sandbox: RunningSandbox
const key = Wallet.createRandom().privateKey
const dir = tempDir()
// `jobs run` keeps its journal here, never in the home folder of whoever runs the tests.
const env = { AGENTPMT_PRIVATE_KEY: key, AGENTPMT_STATE_DIR: join(dir, 'state') }

beforeAll(async () => {
  await ensureBuilt()
  sandbox = await startSandbox({ verificationDelayMs: 50 })
}, 300_000)
afterAll(() => sandbox?.close())

const jobs = (args: string[], options: { json?: boolean } = {}) =>
  runCli(['jobs', ...args, '--base-url', sandbox.url, ...(options.json ? ['--json'] : [])], {
    env,
    timeoutMs: 60_000,
  })

describe('agentpmt jobs', () => {
  test('list: a table, and the wire page with --json', async () => {
    const text = await jobs(['list', '--limit', '3'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/job_share_linkedin\s+social_share\s+25 credits/)
    expect(text.stdout).toMatch(/3 of 7 open jobs/)
    const json = await jobs(['list'], { json: true })
    const page = JSON.parse(json.stdout)
    expect(page.jobs.length).toBe(page.total)
  })

  test('run on a terminal asks for the post URL, through the filtered stderr', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true })
    let stdout = ''
    let stderr = ''
    const stderrWriter = {
      isTTY: true,
      write: (text: string) => {
        stderr += text
        if (text.includes('URL of your published post: '))
          stdin.write('https://bsky.app/profile/agent/post/1\n')
        return true
      },
    }
    const code = await run(
      ['node', 'agentpmt', 'jobs', 'run', 'job_share_bluesky', '--base-url', sandbox.url],
      {
        io: {
          stdin,
          stdout: { write: (text: string) => (stdout += text) },
          stderr: stderrWriter,
          env,
        },
      },
    )
    expect(stderr).toContain('URL of your published post: ')
    expect(code).toBe(0)
    expect(stdout).toContain('job_share_bluesky: verified')
  })

  test('reserve --save, complete, status --wait', async () => {
    const saved = join(dir, 'reservation.json')
    const reserved = await jobs(['reserve', 'job_share_x', '--save', saved])
    expect(reserved.code).toBe(0)
    const reservation = JSON.parse(readFileSync(saved, 'utf8'))
    expect(reservation.trackedUrl).toMatch(/utm_campaign=agent_job_job_share_x/)
    const proof = {
      proof_text: 'Posted once with the tracked link.',
      social_posts: [
        {
          platform: 'x',
          post_url: 'https://x.com/agent/status/1',
          target_url_used: reservation.trackedUrl,
          message_text: `Paid agent jobs: ${reservation.trackedUrl}`,
          posted_at: '2026-05-17T14:30:00Z',
        },
      ],
    }
    writeFileSync(join(dir, 'proof.json'), JSON.stringify(proof))
    const completed = await jobs(
      ['complete', '--reservation', saved, '--proof', join(dir, 'proof.json')],
      { json: true },
    )
    expect(completed.code).toBe(0)
    const completion = JSON.parse(completed.stdout)
    expect(completion.adopted).toBe(false)
    expect(completion.submission.verification.status).toMatch(/^(queued|running|verified)$/)
    const waited = await jobs(['status', 'job_share_x', '--wait'], { json: true })
    expect(waited.code).toBe(0)
    expect(JSON.parse(waited.stdout).submission.verification.status).toBe('verified')
  })

  test('run: a social share and a workflow job, verified', async () => {
    const share = await jobs([
      'run',
      'job_share_reddit',
      '--post-url',
      'https://www.reddit.com/r/agents/comments/1',
    ])
    expect(share.code).toBe(0)
    expect(share.stdout).toMatch(/job_share_reddit: verified/)
    writeFileSync(
      join(dir, 'workflow.json'),
      JSON.stringify({ name: 'Digest', description: 'Weekly invoices', nodes: [], edges: [] }),
    )
    const workflow = await jobs(
      ['run', 'job_workflow_invoice_digest', '--workflow', join(dir, 'workflow.json')],
      { json: true },
    )
    expect(workflow.code).toBe(0)
    expect(JSON.parse(workflow.stdout).outcome).toBe('verified')
  })

  test('--verbose shows signed messages on stderr, never the key or a signature', async () => {
    const result = await jobs(['status', 'job_share_linkedin', '--verbose'])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/\| action:job_status/)
    const all = result.stdout + result.stderr
    expect(all.toLowerCase()).not.toContain(key.slice(2).toLowerCase())
    expect(all).not.toMatch(/0x[0-9a-f]{130}/)
  })

  test('bad input: unknown job, no key, bad URL, unreadable reservation, missing workflow', async () => {
    // A --save that cannot be written is refused before the job is reserved.
    for (const save of [join(dir, 'missing', 'r.json'), dir]) {
      const unsaved = await jobs(['reserve', 'job_share_facebook', '--save', save])
      expect(unsaved.code).toBe(2)
      expect(isOneLineError(unsaved.stderr)).toBe(true)
      expect(unsaved.stderr).toContain(`--save ${save}`)
    }
    expect(sandbox.state().jobs.find((job) => job.job_id === 'job_share_facebook')?.status).toBe(
      'open',
    )
    const unknown = await jobs(['reserve', 'job_missing'])
    expect(unknown.code).toBe(5)
    expect(isOneLineError(unknown.stderr)).toBe(true)
    expect(unknown.stderr).toMatch(/404/)
    const noKey = await runCli(['jobs', 'list', '--base-url', sandbox.url])
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toMatch(/AGENTPMT_PRIVATE_KEY is not set/)
    const badUrl = await jobs(['list', '--base-url', 'ftp://example.com'])
    expect(badUrl.code).toBe(2)
    expect(isOneLineError(badUrl.stderr)).toBe(true)
    writeFileSync(join(dir, 'junk.json'), '{"reservation_id":1}')
    const junk = await jobs([
      'complete',
      '--reservation',
      join(dir, 'junk.json'),
      '--proof',
      join(dir, 'junk.json'),
    ])
    expect(junk.code).toBe(2)
    expect(isOneLineError(junk.stderr)).toBe(true)
    // Refused before reserving: a run that cannot finish must not hold the job.
    const noWorkflow = await jobs(['run', 'job_workflow_ticket_triage'])
    expect(noWorkflow.code).toBe(2)
    expect(isOneLineError(noWorkflow.stderr)).toBe(true)
    expect(noWorkflow.stderr).toContain('--workflow')
    const badPostUrl = await jobs(['run', 'job_share_facebook', '--post-url', 'notaurl'])
    expect(badPostUrl.code).toBe(2)
    expect(badPostUrl.stderr).toContain('--post-url must be the https URL')
    const held = sandbox
      .state()
      .jobs.filter((job) =>
        ['job_workflow_ticket_triage', 'job_share_facebook'].includes(job.job_id),
      )
    expect(held.map((job) => job.status)).toEqual(['open', 'open'])
  })

  test('run: what the job type needs is checked before reserving', async () => {
    writeFileSync(
      join(dir, 'workflow.json'),
      JSON.stringify({ name: 'Digest', description: 'Weekly invoices', nodes: [], edges: [] }),
    )
    // A post URL does not make a workflow job doable, nor a workflow a social share without one.
    const workflowJob = await jobs([
      'run',
      'job_workflow_ticket_triage',
      '--post-url',
      'https://x.com/agent/status/2',
    ])
    expect(workflowJob.code).toBe(2)
    expect(isOneLineError(workflowJob.stderr)).toBe(true)
    expect(workflowJob.stderr).toContain('job_workflow_ticket_triage is a workflow job')
    const shareJob = await jobs([
      'run',
      'job_share_facebook',
      '--workflow',
      join(dir, 'workflow.json'),
    ])
    expect(shareJob.code).toBe(2)
    expect(isOneLineError(shareJob.stderr)).toBe(true)
    expect(shareJob.stderr).toContain('job_share_facebook is a social-share job')
    const jobsNamed = sandbox
      .state()
      .jobs.filter((job) =>
        ['job_workflow_ticket_triage', 'job_share_facebook'].includes(job.job_id),
      )
    expect(jobsNamed.map((job) => job.status)).toEqual(['open', 'open'])
    const reserved = sandbox.state().reservations.map((reservation) => reservation.jobId)
    expect(reserved).not.toContain('job_workflow_ticket_triage')
    expect(reserved).not.toContain('job_share_facebook')
  })

  test('run on a terminal asks again when the answer is not an https URL', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true })
    const answers = [
      'not a url',
      'http://facebook.com/agent/posts/1',
      'https://facebook.com/agent/posts/1',
    ]
    let stdout = ''
    let stderr = ''
    const code = await run(
      ['node', 'agentpmt', 'jobs', 'run', 'job_share_facebook', '--base-url', sandbox.url],
      {
        io: {
          stdin,
          stdout: { write: (text: string) => (stdout += text) },
          stderr: {
            write: (text: string) => {
              stderr += text
              if (text.includes('URL of your published post: ')) stdin.write(`${answers.shift()}\n`)
              return true
            },
          },
          env,
        },
      },
    )
    expect(stderr.match(/That is not an https URL/g)).toHaveLength(2)
    expect(code).toBe(0)
    expect(stdout).toContain('job_share_facebook: verified')
  })

  test('a request that got no response names the cause and the host, in one line', async () => {
    // A port that was just free: nothing listens there any more.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server.close(resolve))
    const refused = await runCli(['jobs', 'list', '--base-url', `http://127.0.0.1:${port}`], {
      env,
    })
    expect(refused.code).toBe(7)
    expect(isOneLineError(refused.stderr)).toBe(true)
    expect(refused.stderr).toMatch(/ECONNREFUSED/)
    expect(refused.stderr).toContain(`to 127.0.0.1:${port} failed`)
    expect(refused.stderr).toContain('is the server (or `agentpmt sandbox`) running')
    // fetch refuses some ports before any socket: its own reason is shown, not "fetch failed".
    const blocked = await runCli(['jobs', 'list', '--base-url', 'http://127.0.0.1:1'], { env })
    expect(blocked.code).toBe(7)
    expect(blocked.stderr).toBe(
      'error: The request to 127.0.0.1:1 failed before a response arrived: bad port\n',
    )
    for (const result of [refused, blocked])
      expect(result.stderr.toLowerCase()).not.toContain(key.slice(2).toLowerCase())
  })
})
