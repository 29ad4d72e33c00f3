import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { type RunningSandbox, startSandbox } from '@agentpmt-kit/sandbox'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli, tempDir } from '../../test/harness.js'

// What a script relies on: the base URL it talks to, the exit code of each class of failure and
// one JSON object on stderr for an error under --json. Each runs the built binary.

let sandbox: RunningSandbox
const key = Wallet.createRandom().privateKey
const dir = tempDir()
const env = { AGENTPMT_PRIVATE_KEY: key, AGENTPMT_STATE_DIR: join(dir, 'state') }

/** A server that answers every request with `status` and `body`: a broken or foreign API. */
async function fakeServer(status: number, body: string, contentType: string): Promise<Server> {
  const server = createServer((_request, response) =>
    response.writeHead(status, { 'content-type': contentType }).end(body),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`
const closed = (server: Server) => new Promise((resolve) => server.close(resolve))

/** A port that was just free: nothing listens there any more. */
async function freePort(): Promise<number> {
  const server = await fakeServer(200, '', 'text/plain')
  const { port } = server.address() as { port: number }
  await closed(server)
  return port
}

/** stderr of a --json run: exactly one line, one JSON object with `error`. */
function jsonError(stderr: string): Record<string, unknown> {
  const lines = stderr.split('\n').filter((line) => line !== '')
  expect(lines, stderr).toHaveLength(1)
  const parsed = JSON.parse(lines[0]!) as { error: Record<string, unknown> }
  expect(Object.keys(parsed)).toEqual(['error'])
  return parsed.error
}

beforeAll(async () => {
  await ensureBuilt()
  sandbox = await startSandbox({ verificationDelayMs: 50 })
}, 300_000)
afterAll(() => sandbox?.close())

describe('the base URL', () => {
  test('--base-url, else AGENTPMT_BASE_URL, named on stderr when not typed', async () => {
    const fromEnv = await runCli(['jobs', 'list', '--limit', '1'], {
      env: { ...env, AGENTPMT_BASE_URL: `${sandbox.url}/` },
    })
    expect(fromEnv.code).toBe(0)
    expect(fromEnv.stderr).toBe(`API ${sandbox.url} (from AGENTPMT_BASE_URL)\n`)
    expect(fromEnv.stdout).toMatch(/1 of 7 open jobs/)

    const port = await freePort()
    // The flag wins over the variable, and is not repeated back.
    const flag = await runCli(['jobs', 'list', '--base-url', sandbox.url], {
      env: { ...env, AGENTPMT_BASE_URL: `http://127.0.0.1:${port}` },
    })
    expect(flag).toMatchObject({ code: 0, stderr: '' })

    const bad = await runCli(['jobs', 'list'], { env: { ...env, AGENTPMT_BASE_URL: 'localhost' } })
    expect(bad.code).toBe(2)
    expect(isOneLineError(bad.stderr)).toBe(true)
    expect(bad.stderr).toContain('AGENTPMT_BASE_URL must be an http(s) URL')
  })

  test('under --json, the error names the base URL and where it came from', async () => {
    const port = await freePort()
    const result = await runCli(['jobs', 'list', '--json'], {
      env: { ...env, AGENTPMT_BASE_URL: `http://127.0.0.1:${port}` },
    })
    expect(result.code).toBe(7)
    expect(result.stdout).toBe('')
    expect(jsonError(result.stderr)).toMatchObject({
      code: 'network',
      exitCode: 7,
      name: 'ErrorRecovery.NetworkError',
      baseUrl: `http://127.0.0.1:${port}`,
      baseUrlFrom: 'AGENTPMT_BASE_URL',
    })
  })
})

describe('exit codes and JSON errors', () => {
  test('usage: 2, nothing done, one JSON object with the class, name and message', async () => {
    const unknownFlag = await runCli(['jobs', 'list', '--limt', '3', '--json'], { env })
    expect(unknownFlag.code).toBe(2)
    expect(jsonError(unknownFlag.stderr)).toEqual({
      code: 'usage',
      exitCode: 2,
      name: 'Cli.UsageError',
      message: "unknown option '--limt' (did you mean --limit?)",
    })
    const noKey = await runCli(['jobs', 'list', '--base-url', sandbox.url, '--json'])
    expect(noKey.code).toBe(2)
    expect(jsonError(noKey.stderr)).toMatchObject({
      code: 'usage',
      exitCode: 2,
      name: 'Cli.MissingKeyError',
      message: expect.stringMatching(/^AGENTPMT_PRIVATE_KEY is not set/),
      docsUrl: 'https://agentpmt-kit.github.io/agentpmt-kit/documents/CLI.html',
    })
    // Without --json, the same error is one text line.
    const text = await runCli(['jobs', 'list', '--limt', '3'], { env })
    expect(text).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: unknown option/) })
  })

  test('invalid: 1, the server refused the request as invalid', async () => {
    const server = await fakeServer(
      400,
      JSON.stringify({
        error_code: 'EXTERNAL_REQUEST_INVALID',
        detail: 'limit must be at most 50.',
        details: { checklist: [] },
      }),
      'application/json',
    )
    try {
      const result = await runCli(['jobs', 'list', '--base-url', urlOf(server), '--json'], { env })
      expect(result.code).toBe(1)
      expect(jsonError(result.stderr)).toMatchObject({
        code: 'invalid',
        exitCode: 1,
        status: 400,
        errorCode: 'EXTERNAL_REQUEST_INVALID',
      })
    } finally {
      await closed(server)
    }
  })

  test('a failed job: 1, whether rejected or given up after the reservation for want of input', async () => {
    sandbox.setVerificationOutcome('rejected', 'job_share_reddit')
    const rejected = await runCli(
      [
        'jobs',
        'run',
        'job_share_reddit',
        '--post-url',
        'https://www.reddit.com/r/agents/comments/1',
        '--base-url',
        sandbox.url,
        '--json',
      ],
      { env },
    )
    expect(rejected.code).toBe(1)
    expect(JSON.parse(rejected.stdout)).toMatchObject({ outcome: 'rejected' })
    // No post URL on stdin: the job was reserved, so this is a failed job, not a usage error.
    const abandoned = await runCli(
      ['jobs', 'run', 'job_share_linkedin', '--post-url', '-', '--base-url', sandbox.url],
      { env, stdin: '' },
    )
    expect(abandoned.stdout).toMatch(/reserved job_share_linkedin/)
    expect(abandoned.code).toBe(1)
  })

  test('not found: 5', async () => {
    const result = await runCli(
      ['jobs', 'reserve', 'job_missing', '--base-url', sandbox.url, '--json'],
      { env },
    )
    expect(result.code).toBe(5)
    expect(jsonError(result.stderr)).toMatchObject({
      code: 'not_found',
      exitCode: 5,
      name: 'Cli.JobNotFoundError',
      message: expect.stringMatching(
        /job_missing not found\. List the open jobs with: agentpmt jobs list$/,
      ),
      status: 404,
      baseUrl: sandbox.url,
      baseUrlFrom: '--base-url',
    })
    // In text, the one error line names the next command too, for each command given a job id.
    for (const command of [
      ['reserve'],
      ['status'],
      ['status', '--wait'],
      ['run', '--post-url', 'https://www.linkedin.com/feed/update/urn:li:activity:1'],
    ]) {
      const [name, ...rest] = command
      const text = await runCli(
        ['jobs', name!, 'job_missing', ...rest, '--base-url', sandbox.url],
        {
          env,
        },
      )
      expect(text.code, command.join(' ')).toBe(5)
      expect(isOneLineError(text.stderr), text.stderr).toBe(true)
      expect(text.stderr).toMatch(/List the open jobs with: agentpmt jobs list\n$/)
    }
  })

  test('conflict: 6, another wallet holds the job', async () => {
    const first = await runCli(['jobs', 'reserve', 'job_share_x', '--base-url', sandbox.url], {
      env,
    })
    expect(first.code).toBe(0)
    const other = await runCli(
      ['jobs', 'reserve', 'job_share_x', '--base-url', sandbox.url, '--json'],
      { env: { AGENTPMT_PRIVATE_KEY: Wallet.createRandom().privateKey } },
    )
    expect(other.code).toBe(6)
    expect(JSON.parse(other.stdout)).toMatchObject({
      outcome: 'reserved_elsewhere',
      next: 'agentpmt jobs list',
    })
    const text = await runCli(['jobs', 'reserve', 'job_share_x', '--base-url', sandbox.url], {
      env: { AGENTPMT_PRIVATE_KEY: Wallet.createRandom().privateKey },
    })
    expect(text.code).toBe(6)
    expect(text.stdout).toMatch(/Pick another job: agentpmt jobs list\n$/)
  })

  test('network: 7', async () => {
    const port = await freePort()
    const result = await runCli(['jobs', 'list', '--base-url', `http://127.0.0.1:${port}`], {
      env,
    })
    expect(result.code).toBe(7)
    expect(isOneLineError(result.stderr)).toBe(true)
  })

  test('signature or session: 4', async () => {
    const server = await fakeServer(
      401,
      JSON.stringify({
        error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
        detail: 'The signature does not recover to the wallet.',
        details: { checklist: [] },
      }),
      'application/json',
    )
    try {
      const result = await runCli(['jobs', 'list', '--base-url', urlOf(server), '--json'], { env })
      expect(result.code).toBe(4)
      expect(jsonError(result.stderr)).toMatchObject({ code: 'signature', exitCode: 4 })
    } finally {
      await closed(server)
    }
  })

  test('server: 8 for a 5xx and for an answer that is not the API', async () => {
    const failing = await fakeServer(
      500,
      JSON.stringify({ error_code: 'EXTERNAL_INTERNAL_ERROR', detail: 'boom', details: {} }),
      'application/json',
    )
    const foreign = await fakeServer(200, '<html><title>Welcome</title></html>', 'text/html')
    try {
      const failed = await runCli(['jobs', 'list', '--base-url', urlOf(failing), '--json'], {
        env,
      })
      expect(failed.code).toBe(8)
      expect(jsonError(failed.stderr)).toMatchObject({
        code: 'server',
        exitCode: 8,
        status: 500,
        errorCode: 'EXTERNAL_INTERNAL_ERROR',
      })
      const html = await runCli(['jobs', 'list', '--base-url', urlOf(foreign)], { env })
      expect(html.code).toBe(8)
      expect(isOneLineError(html.stderr)).toBe(true)
    } finally {
      await Promise.all([closed(failing), closed(foreign)])
    }
  })
})
