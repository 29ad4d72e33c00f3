import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { type RunningSandbox, type SandboxOptions, startSandbox } from '@agentpmt-kit/sandbox'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, runCli, startCli, tempDir } from '../../test/harness.js'

// Each run is `agentpmt jobs run` as a user starts it: the built binary, killed with SIGKILL
// (no handler runs, nothing is flushed), then started again with the same state folder and key.

const key = generatePrivateKey()
const wallet = privateKeyToAccount(key).address.toLowerCase()
const env = { AGENTPMT_PRIVATE_KEY: key }
const dir = tempDir()
let sandbox: RunningSandbox | undefined

beforeAll(async () => {
  await ensureBuilt()
}, 300_000)
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function sandboxWith(options: SandboxOptions): Promise<RunningSandbox> {
  sandbox = await startSandbox({ port: 0, ...options })
  return sandbox
}

function runArgs(running: RunningSandbox, jobId: string, stateDir: string, extra: string[]) {
  return ['jobs', 'run', jobId, '--base-url', running.url, '--state', stateDir, ...extra]
}

/** The child's stdout so far, and a promise for the first time it matches `pattern`. */
function watch(child: ChildProcessWithoutNullStreams) {
  let stdout = ''
  let stderr = ''
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = []
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const waiter of [...waiters])
      if (waiter.pattern.test(stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  return {
    output: () => ({ stdout, stderr }),
    closed,
    // Generous: a busy two-core machine starts a process and signs slowly.
    until: (pattern: RegExp, timeoutMs = 45_000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout)) return resolve()
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} in time:\n${stdout}\n${stderr}`)),
          timeoutMs,
        )
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      }),
  }
}

async function kill(child: ChildProcessWithoutNullStreams, closed: Promise<void>): Promise<void> {
  child.kill('SIGKILL')
  await closed
  expect(child.signalCode).toBe('SIGKILL')
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function journalFile(stateDir: string, jobId: string): string {
  return join(stateDir, 'journal', wallet, `${jobId}.json`)
}

function recordedStep(stateDir: string, jobId: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(journalFile(stateDir, jobId), 'utf8')) as { step: string }).step
  } catch {
    return undefined
  }
}

/** Every file under the state folder: none may hold the key or a 65-byte signature. */
function expectNoSecrets(stateDir: string): void {
  const files: string[] = []
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.push(path)
    }
  }
  walk(stateDir)
  for (const file of files) {
    const text = readFileSync(file, 'utf8').toLowerCase()
    expect(text).not.toContain(key.slice(2).toLowerCase())
    expect(text).not.toMatch(/[0-9a-f]{130}/)
  }
}

function expectOnce(running: RunningSandbox, jobId: string) {
  const state = running.state()
  const reservations = state.reservations.filter((reservation) => reservation.jobId === jobId)
  const submissions = state.submissions.filter((submission) => submission.jobId === jobId)
  expect(reservations).toHaveLength(1)
  expect(submissions).toHaveLength(1)
  expect(submissions[0]?.verification).toBe('verified')
  return submissions[0]!
}

describe('agentpmt jobs run, killed and run again', () => {
  test('killed right after reserving (the post URL still to come): the reservation is taken up, never made twice', async () => {
    const running = await sandboxWith({ verificationDelayMs: 50 })
    const stateDir = join(dir, 'reserved')
    const jobId = 'job_share_x'
    // `--post-url -` waits for the URL on stdin after printing the tracked link: a fixed point.
    const first = startCli(runArgs(running, jobId, stateDir, ['--post-url', '-']), env)
    const seen = watch(first)
    await seen.until(/Post on x with this link, exactly: /)
    await kill(first, seen.closed)
    expect(recordedStep(stateDir, jobId)).toBe('reserved')
    expectNoSecrets(stateDir)

    const again = await runCli(
      runArgs(running, jobId, stateDir, ['--post-url', 'https://x.com/agent/status/1']),
      { env, timeoutMs: 60_000 },
    )
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    const lines = again.stdout.split('\n')
    expect(lines[0]).toMatch(
      /^resuming job_share_x from the journal: recorded step reserved \(reservation res_\w+\)/,
    )
    expect(lines.filter((line) => line.startsWith('resuming'))).toHaveLength(1)
    expect(again.stdout).toMatch(/job_share_x: verified/)
    const submission = expectOnce(running, jobId)
    expect(submission.reservationId).toBe(
      running.state().reservations.find((reservation) => reservation.jobId === jobId)
        ?.reservationId,
    )
    expect(existsSync(journalFile(stateDir, jobId))).toBe(false)
  }, 90_000)

  test('killed while completing: the recorded proof is sent, once', async () => {
    const running = await sandboxWith({
      verificationDelayMs: 50,
      faults: [{ route: 'complete', latencyMs: 4_000, times: 1 }],
    })
    const stateDir = join(dir, 'completing')
    const jobId = 'job_share_reddit'
    const firstPost = 'https://www.reddit.com/r/agents/comments/first'
    const first = startCli(runArgs(running, jobId, stateDir, ['--post-url', firstPost]), env)
    const seen = watch(first)
    // The complete request is at the server, held by the fault's latency.
    await until(() => (running.stats().byRoute.complete ?? 0) >= 1)
    expect(recordedStep(stateDir, jobId)).toBe('completing')
    const killedAt = Date.now()
    await kill(first, seen.closed)
    expectNoSecrets(stateDir)

    // Another URL now: the run must send the proof it recorded, not make a new one.
    const again = await runCli(
      runArgs(running, jobId, stateDir, [
        '--post-url',
        'https://www.reddit.com/r/agents/comments/second',
      ]),
      { env, timeoutMs: 60_000 },
    )
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    expect(again.stdout.split('\n')[0]).toMatch(
      /^resuming job_share_reddit from the journal: recorded step completing/,
    )
    expect(again.stdout).not.toMatch(/^reserved /m)
    expect(again.stdout).toMatch(/job_share_reddit: verified/)
    // The killed run's request, still held by the latency, lands after: it must add nothing.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + 4_500 - Date.now())))
    const submission = expectOnce(running, jobId)
    const posts = submission.completion.social_posts as Array<{ post_url: string }>
    expect(posts[0]?.post_url).toBe(firstPost)
    expect(existsSync(journalFile(stateDir, jobId))).toBe(false)
  }, 90_000)

  test('killed while the verification runs: the submission is followed, not sent again', async () => {
    const running = await sandboxWith({ verificationDelayMs: 3_000 })
    const stateDir = join(dir, 'completed')
    const jobId = 'job_share_bluesky'
    const first = startCli(
      runArgs(running, jobId, stateDir, ['--post-url', 'https://bsky.app/profile/agent/post/1']),
      env,
    )
    const seen = watch(first)
    await seen.until(/verification: queued/)
    await kill(first, seen.closed)
    expect(recordedStep(stateDir, jobId)).toBe('completed')
    expectNoSecrets(stateDir)
    expect(running.state().submissions.find((item) => item.jobId === jobId)?.verification).not.toBe(
      'verified',
    )

    const again = await runCli(runArgs(running, jobId, stateDir, []), { env, timeoutMs: 60_000 })
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    expect(again.stdout.split('\n')[0]).toMatch(
      /^resuming job_share_bluesky from the journal: recorded step completed/,
    )
    expect(again.stdout).toMatch(/job_share_bluesky: verified/)
    expectOnce(running, jobId)
    expect(existsSync(journalFile(stateDir, jobId))).toBe(false)

    // Run again without a journal: the 409 is answered from the job's status.
    const repeated = await runCli(
      [
        'jobs',
        'run',
        jobId,
        '--base-url',
        running.url,
        '--no-state',
        '--post-url',
        'https://bsky.app/profile/agent/post/2',
      ],
      { env },
    )
    expect(repeated.code).toBe(3)
    expect(repeated.stderr).toBe('')
    expect(repeated.stdout).toBe(
      'This wallet already submitted proof for job_share_bluesky: verification verified.\nFollow it with: agentpmt jobs status job_share_bluesky --wait\n',
    )
    const reserved = await runCli(['jobs', 'reserve', jobId, '--base-url', running.url, '--json'], {
      env,
    })
    expect(reserved.code).toBe(3)
    expect(JSON.parse(reserved.stdout)).toMatchObject({
      job_id: jobId,
      submitted_by: 'this_wallet',
      verification: 'verified',
      next: 'agentpmt jobs status job_share_bluesky --wait',
    })
    // Another wallet meets the same 409 and is told that nothing can be done.
    const other = await runCli(['jobs', 'reserve', jobId, '--base-url', running.url], {
      env: { AGENTPMT_PRIVATE_KEY: generatePrivateKey() },
    })
    expect(other.code).toBe(6)
    expect(other.stdout).toContain(
      'This wallet holds no submission for job_share_bluesky: the submission belongs to another wallet. Nothing can be done for this job.',
    )
    expectOnce(running, jobId)
  }, 90_000)
})
