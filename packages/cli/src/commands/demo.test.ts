import { spawn } from 'node:child_process'
import { beforeAll, describe, expect, test } from 'vitest'
import { binPath, ensureBuilt, isOneLineError, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

describe('agentpmt demo', () => {
  test('runs the whole loop end to end and exits 0 with both jobs verified', async () => {
    const result = await runCli(['demo'], { timeoutMs: 60_000 })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const out = result.stdout
    // The signed message, lines shown, and what its payload line hashes.
    expect(out).toMatch(
      /\| agentpmt-external\n {3}\| wallet:0x[0-9a-f]{40}\n {3}\| session:\S+\n {3}\| request:\S+\n {3}\| action:job_list\n {3}\| product:-\n {3}\| payload:[0-9a-f]{64}\n/,
    )
    expect(out).toMatch(/payload hash = sha256\(\{"limit":50,"skip":0\}\)/)
    expect(out).toMatch(/payload hash = sha256\(\{\}\)/)
    // HTTP statuses, the tracked URL, the workflow, the verification as it changes.
    expect(out).toMatch(/POST \/api\/external\/jobs\/list -> 200/)
    expect(out).toMatch(/tracked URL https:\/\/\S+utm_medium=agent_social/)
    expect(out).toMatch(/workflow wf_\S+: published/)
    // Seen as it changes: queued or running first (a slow first poll may miss queued), then verified.
    expect(out).toMatch(/verification: (queued|running)[^\n]*\n(.*\n)*?\s*verification: verified/)
    expect(out).toMatch(/verification: verified/)
    expect(out).toMatch(/Both jobs verified\.\n$/)
    // Not a terminal: plain lines, no cursor control.
    expect(out).not.toContain('\u001b[')
  })

  test('a reader that stops early (`| head`) ends the demo quietly', async () => {
    const child = spawn(process.execPath, [binPath, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })

  test('--json is one document with both jobs verified and no signature', async () => {
    const result = await runCli(['demo', '--json'], { timeoutMs: 60_000 })
    expect(result.code).toBe(0)
    const document = JSON.parse(result.stdout)
    expect(document.ok).toBe(true)
    expect(
      document.jobs.map((job: { job_type: string; outcome: string }) => [
        job.job_type,
        job.outcome,
      ]),
    ).toEqual([
      ['social_share', 'verified'],
      ['workflow_creation', 'verified'],
    ])
    expect(document.events.some((event: { type: string }) => event.type === 'signed')).toBe(true)
    expect(result.stdout).not.toMatch(/0x[0-9a-f]{130}/)
    // Nothing shaped like a private key anywhere.
    expect(result.stdout).not.toMatch(/0x[0-9a-f]{64}(?![0-9a-f])/)
  })

  test('recovers from an injected 503 on complete', async () => {
    const result = await runCli(['demo', '--faults', 'route=complete,status=503,times=1'], {
      timeoutMs: 60_000,
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/-> 503 EXTERNAL_SERVICE_UNAVAILABLE/)
    expect(result.stdout).toMatch(/Both jobs verified\./)
  })

  test('exits 1 when the verifier rejects', async () => {
    const result = await runCli(['demo', '--outcome', 'rejected'], { timeoutMs: 60_000 })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Not every job was verified\./)
  })

  test('a bad option value is a one-line error', async () => {
    const result = await runCli(['demo', '--outcome', 'maybe'])
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
  })
})
