// `agentpmt mcp --state DIR` put through SIGKILLs: an MCP client drives social-share jobs
// through reserve_job, complete_job and job_status, and the server is killed (SIGKILL: no
// handler runs, nothing is flushed) at one stage after another, then started again on the same
// state folder. Used by the CLI's tests (CI size) and by `pnpm bench` (bench/mcp-kills.mjs, full
// size). Plain JavaScript, so that both can import it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox } from '@agentpmt-kit/sandbox'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { generatePrivateKey } from 'viem/accounts'

/** Where a server is killed: while a tool call is in flight, or right after it answered. */
export const killStages = [
  'reserve_job:during',
  'reserve_job:after',
  'complete_job:during',
  'complete_job:after',
  'job_status:during',
]

class Killed extends Error {}

/**
 * Runs `kills` kills spread evenly over {@link killStages}, on `kills / 5` jobs (rounded up) driven
 * `concurrency` at a time, each job finished by a last run that is not killed. Returns the counts
 * the caller checks: kills done, jobs verified, reservations and submissions per job, leftovers.
 *
 * @param {{ binPath: string, kills: number, concurrency?: number, seed?: number }} options
 */
export async function mcpKills({ binPath, kills, concurrency = 4, seed = 1 }) {
  const jobCount = Math.ceil(kills / killStages.length)
  const jobs = Array.from({ length: jobCount }, (_, index) => ({
    jobId: `job_share_kill_${index}`,
    jobType: 'social_share',
    title: `Kill test ${index}`,
    rewardCredits: 1,
    platform: 'x',
    targetUrl: 'https://www.agentpmt.com/jobs',
    instructions: 'Post once with the tracked link.',
  }))
  const sandbox = await startSandbox({ jobs, verificationDelayMs: 30 })
  const stateDir = mkdtempSync(join(tmpdir(), 'agentpmt-mcp-kills-'))
  const key = generatePrivateKey()
  let random = seed
  const nextRandom = () => {
    random = (random * 1103515245 + 12345) % 2 ** 31
    return random / 2 ** 31
  }
  let killsDone = 0
  let starts = 0
  const finals = []
  const started = performance.now()

  /** One server process and a client on its stdio. */
  const launch = async () => {
    starts += 1
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [binPath, 'mcp', '--base-url', sandbox.url, '--state', stateDir],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NO_COLOR: '1',
        AGENTPMT_PRIVATE_KEY: key,
      },
      stderr: 'pipe',
    })
    transport.stderr?.resume()
    const client = new Client({ name: 'mcp-kills', version: '1.0.0' })
    await client.connect(transport)
    const closed = new Promise((resolve) => {
      const previous = transport.onclose
      transport.onclose = () => {
        previous?.()
        resolve(undefined)
      }
    })
    return { client, transport, closed }
  }

  /** Drives one job to verified, or until the server is killed at `killAt`. */
  const drive = async (jobId, killAt) => {
    const server = await launch()
    const kill = async () => {
      process.kill(/** @type {number} */ (server.transport.pid), 'SIGKILL')
      await server.closed
      killsDone += 1
      throw new Killed()
    }
    const call = async (name, args) => {
      const pending = server.client.callTool({ name, arguments: args })
      if (killAt === `${name}:during`) {
        pending.catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, nextRandom() * 30))
        await kill()
      }
      const result = await pending
      if (killAt === `${name}:after`) await kill()
      const data = result.isError
        ? JSON.parse(result.content[1]?.text ?? '{}')
        : (result.structuredContent ?? {})
      return { isError: result.isError === true, data }
    }
    try {
      const reserved = await call('reserve_job', { job_id: jobId })
      const submitted = reserved.isError && reserved.data.error?.code === 'already_submitted'
      if (reserved.isError && !submitted)
        throw new Error(`reserve_job ${jobId}: ${JSON.stringify(reserved.data)}`)
      if (!submitted) {
        const done = await call('complete_job', {
          job_id: jobId,
          proof_text: 'Posted once with the tracked link.',
          social_post: {
            platform: 'x',
            post_url: `https://x.com/agent/status/${reserved.data.reservation_id}`,
            target_url_used: reserved.data.tracked_url,
            message_text: `Agents earn credits on AgentPMT: ${reserved.data.tracked_url}`,
            posted_at: new Date().toISOString(),
          },
        })
        const code = done.data.error?.code
        if (done.isError && code !== 'already_submitted')
          throw new Error(`complete_job ${jobId}: ${JSON.stringify(done.data)}`)
      }
      const status = await call('job_status', { job_id: jobId, wait_seconds: 20 })
      return status.data
    } finally {
      await server.client.close().catch(() => {})
    }
  }

  const runJob = async (jobId, index) => {
    for (let stage = 0; stage < killStages.length; stage++) {
      if (index * killStages.length + stage >= kills) break
      try {
        await drive(jobId, killStages[stage])
        throw new Error(`${jobId}: not killed at ${killStages[stage]}`)
      } catch (error) {
        if (!(error instanceof Killed)) throw error
      }
    }
    finals.push({ jobId, status: await drive(jobId, undefined) })
  }

  try {
    const queue = jobs.map((job, index) => [job.jobId, index])
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift())
          await runJob(next[0], next[1])
      }),
    )
    const state = sandbox.state()
    const perJob = jobs.map(({ jobId }) => ({
      jobId,
      reservations: state.reservations.filter((item) => item.jobId === jobId).length,
      submissions: state.submissions.filter((item) => item.jobId === jobId).length,
      verified: state.submissions.filter(
        (item) => item.jobId === jobId && item.verification === 'verified',
      ).length,
    }))
    const files = filesUnder(stateDir)
    return {
      kills: killsDone,
      starts,
      seconds: (performance.now() - started) / 1000,
      jobs: jobCount,
      perJob,
      lost: perJob.filter((job) => job.submissions === 0).length,
      doubled: perJob.filter((job) => job.submissions > 1 || job.reservations > 1).length,
      finals,
      tempFiles: files.filter((file) => file.endsWith('.tmp')),
      filesWithKey: files.filter((file) =>
        readFileSync(file, 'utf8').toLowerCase().includes(key.slice(2).toLowerCase()),
      ),
    }
  } finally {
    await sandbox.close()
    rmSync(stateDir, { recursive: true, force: true })
  }
}

function filesUnder(folder) {
  const files = []
  for (const name of readdirSync(folder)) {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) files.push(...filesUnder(path))
    else files.push(path)
  }
  return files
}
