import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { mcpToolNames } from '@agentpmt-kit/mcp'
import { startSandbox } from '@agentpmt-kit/sandbox'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { generatePrivateKey } from 'viem/accounts'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
// The handshake the MCP package's own stdio tests send (a test helper, never published).
import { initializeRequest as initialize } from '../../../mcp/src/test/messages.js'
import { binPath, ensureBuilt, runCli } from '../../test/harness.js'

// `agentpmt mcp` is a stdio server of its own process, as a host starts it: every run here is the
// built binary (`process: true`), never the command line in the test's process.
import { run } from '../program.js'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')

beforeAll(async () => {
  await ensureBuilt()
  // The CLI's build check does not look at the MCP package: rebuild it when its sources are newer.
  const mcpRoot = join(repoRoot, 'packages', 'mcp')
  const built = join(mcpRoot, 'dist', 'index.js')
  if (!existsSync(built) || newest(join(mcpRoot, 'src')) > statSync(built).mtimeMs) {
    const result = spawnSync('pnpm', ['--filter', '@agentpmt-kit/mcp', 'build'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
    if (result.status !== 0) throw new Error(`building @agentpmt-kit/mcp failed: ${result.stderr}`)
  }
}, 300_000)

function newest(directory: string): number {
  let time = 0
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name)
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return time
}

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type Call = { name: string; arguments: Record<string, unknown>; result: CallToolResult }

/**
 * `agentpmt mcp <args>` spawned as an agent host does, with an MCP client on its stdio; `server`
 * is the command and arguments of a host's configuration (the built bin by default).
 */
async function launch(
  args: readonly string[],
  env: Record<string, string> = {},
  server: { command: string; args: readonly string[] } = {
    command: process.execPath,
    args: [binPath, 'mcp'],
  },
) {
  const transport = new StdioClientTransport({
    command: server.command,
    args: [...server.args, ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const protocolErrors: Error[] = []
  const client = new Client({ name: 'agentpmt-cli-test', version: '1.0.0' })
  await client.connect(transport)
  // Set after connect: the client installs its own handler there.
  const clientOnError = transport.onerror
  transport.onerror = (error) => {
    protocolErrors.push(error)
    clientOnError?.(error)
  }
  const calls: Call[] = []
  const host = {
    client,
    calls,
    protocolErrors,
    stderr: () => stderr,
    async call(name: string, args: Record<string, unknown> = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      calls.push({ name, arguments: args, result })
      return {
        result,
        data: (result.structuredContent ?? {}) as Record<string, unknown>,
        text: result.content[0]?.type === 'text' ? result.content[0].text : '',
      }
    },
    close: () => client.close(),
  }
  cleanups.push(() => client.close())
  return host
}

function postFor(reserved: Record<string, unknown>): Record<string, unknown> {
  return {
    platform: reserved.platform,
    post_url: `https://www.linkedin.com/feed/update/urn:li:activity:${String(reserved.reservation_id).slice(-8)}`,
    target_url_used: reserved.tracked_url,
    message_text: `Agents can now earn credits for small public tasks on AgentPMT: ${String(reserved.tracked_url)}`,
    posted_at: new Date().toISOString(),
  }
}

/** Messages as a host writes them on the server's stdin: one JSON-RPC message a line. */
function stdinOf(messages: readonly object[]): string {
  return messages.map((message) => `${JSON.stringify(message)}\n`).join('')
}

/** The JSON values of a stream's lines (the server's stdout), blank lines skipped. */
function jsonLines<value>(text: string): value[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as value)
}

function holdsKey(text: string, key: string): boolean {
  return text.toLowerCase().includes(key.toLowerCase().replace(/^0x/, ''))
}

describe('agentpmt mcp --sandbox over stdio', () => {
  test('an MCP client drives a social-share job and a workflow job to verified', async () => {
    const key = generatePrivateKey()
    const host = await launch(['--sandbox'], { AGENTPMT_PRIVATE_KEY: key })
    const { tools } = await host.client.listTools()
    expect(tools.map((tool) => tool.name)).toEqual([
      'list_jobs',
      'reserve_job',
      'complete_job',
      'job_status',
      'create_workflow',
      'publish_workflow',
      'diagnose_refusal',
    ])

    const listed = await host.call('list_jobs', { limit: 10 })
    expect(listed.result.isError).toBeFalsy()
    const share = await host.call('reserve_job', { job_id: 'job_share_linkedin' })
    expect(share.data).toMatchObject({ job_kind: 'social_share', platform: 'linkedin' })
    const shareDone = await host.call('complete_job', {
      job_id: 'job_share_linkedin',
      proof_text: 'Published one LinkedIn post with the tracked link.',
      social_post: postFor(share.data),
    })
    expect(shareDone.result.isError).toBeFalsy()
    const shareStatus = await host.call('job_status', {
      job_id: 'job_share_linkedin',
      wait_seconds: 20,
    })
    expect(shareStatus.data).toMatchObject({
      final: true,
      submission: { verification_status: 'verified' },
    })

    const workflowJob = 'job_workflow_ticket_triage'
    await host.call('reserve_job', { job_id: workflowJob })
    const created = await host.call('create_workflow', {
      job_id: workflowJob,
      name: 'Support-ticket triage',
      description:
        'Reads each new support ticket, classifies its urgency and routes it to a queue.',
      nodes: [
        { id: 'ticket', type: 'trigger', label: 'New support ticket' },
        { id: 'urgency', type: 'classify', label: 'Classify urgency' },
        { id: 'route', type: 'route', label: 'Route to queue' },
      ],
      edges: [
        { from: 'ticket', to: 'urgency' },
        { from: 'urgency', to: 'route' },
      ],
    })
    const workflowId = created.data.workflow_id as string
    await host.call('publish_workflow', { job_id: workflowJob, workflow_id: workflowId })
    const workflowDone = await host.call('complete_job', {
      job_id: workflowJob,
      proof_text: `Created and published workflow ${workflowId}.`,
      workflow_id: workflowId,
    })
    expect(workflowDone.result.isError).toBeFalsy()
    const workflowStatus = await host.call('job_status', { job_id: workflowJob, wait_seconds: 20 })
    expect(workflowStatus.data).toMatchObject({
      final: true,
      submission: { verification_status: 'verified' },
    })

    // A bad input is a tool error, and the server goes on.
    const bad = await host.call('complete_job', { job_id: 'job_share_x', proof_text: '' })
    expect(bad.result.isError).toBe(true)
    const late = await host.call('list_jobs', {})
    expect(late.result.isError).toBeFalsy()
    await host.close()

    const stderr = host.stderr()
    expect(host.protocolErrors).toEqual([])
    expect(holdsKey(JSON.stringify(host.calls) + stderr, key)).toBe(false)
    const lines = stderr.split('\n').filter((line) => line !== '')
    expect(lines[0]).toMatch(
      /^agentpmt mcp: wallet 0x[0-9a-f]{40} on http:\/\/127\.0\.0\.1:\d+ \(sandbox/,
    )
    const toolLines = lines
      .slice(1)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.tool !== undefined)
    // Every call that reached the server is logged; the SDK refuses the bad input before it does.
    expect(toolLines.map((line) => line.tool)).toEqual(
      host.calls.filter((call) => call !== host.calls.at(-2)).map((call) => call.name),
    )
    const signed = toolLines.filter((line) => line.signed).map((line) => line.tool)
    expect(signed).toEqual([
      'list_jobs',
      'reserve_job',
      'complete_job',
      'job_status',
      'reserve_job',
      'complete_job',
      'job_status',
      'list_jobs',
    ])
    const transcript = process.env.MCP_TRANSCRIPT
    if (transcript)
      writeFileSync(transcript, JSON.stringify({ calls: host.calls, stderr }, null, 2))
  })

  test('with no key set, a throwaway wallet; without --sandbox, the key is required', async () => {
    const host = await launch(['--sandbox'])
    const listed = await host.call('list_jobs', {})
    expect(listed.result.isError).toBeFalsy()
    await host.close()
    expect(host.stderr()).toMatch(/throwaway key/)

    // Without a key (and stdin not a terminal): served without a wallet, exit 2 once stdin ends.
    const missing = await runCli(['mcp'], { env: { AGENTPMT_STATE_DIR: tmpdir() }, process: true })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^agentpmt mcp: AGENTPMT_PRIVATE_KEY is not set/)
    expect(missing.stdout).toBe('')

    const both = await runCli(['mcp', '--sandbox', '--base-url', 'http://127.0.0.1:1'], {
      process: true,
    })
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/^agentpmt mcp: Give --sandbox or --base-url, not both\./)
  })
})

describe('agentpmt mcp without a usable key', () => {
  test('at a terminal: the error at once, exit 2', async () => {
    const stderr: string[] = []
    const code = await run(['node', 'agentpmt', 'mcp'], {
      io: {
        stdin: Object.assign(Readable.from([]), { isTTY: true }),
        stdout: { write: () => true },
        stderr: { write: (text: string) => stderr.push(text) },
        env: {},
      },
    })
    expect(code).toBe(2)
    expect(stderr.join('')).toMatch(/^error: AGENTPMT_PRIVATE_KEY is not set: [^\n]*\n$/)
  })

  /** One MCP session over the server's real stdin and stdout: the handshake, the list, a call. */
  const session = stdinOf([
    initialize,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_jobs', arguments: {} } },
    {
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'reserve_job', arguments: { job_id: 'job_share_x' } },
    },
  ])

  type Answer = { id: number; result: Record<string, unknown> }

  test.each([
    ['unset', undefined, /^AGENTPMT_PRIVATE_KEY is not set/],
    ['not a key', 'hunter2-not-a-key', /^AGENTPMT_PRIVATE_KEY is not a valid private key/],
  ])(
    '%s: the handshake and the tools are answered, then every call says how to set the key',
    async (_, value, problem) => {
      const state = join(tmpdir(), `agentpmt-mcp-nokey-${process.pid}-${Math.random()}`)
      const result = await runCli(['mcp'], {
        process: true,
        stdin: session,
        env: {
          AGENTPMT_STATE_DIR: state,
          ...(value === undefined ? {} : { AGENTPMT_PRIVATE_KEY: value }),
        },
      })
      const answers = jsonLines<Answer>(result.stdout)
      expect(answers.map((answer) => answer.id)).toEqual([1, 2, 3, 4])
      const [initialized, listed, ...calls] = answers
      expect(initialized?.result).toMatchObject({
        serverInfo: { name: 'agentpmt-jobs' },
        capabilities: { tools: {} },
      })
      const tools = (listed?.result.tools ?? []) as { name: string }[]
      expect(tools.map((tool) => tool.name).sort()).toEqual([...mcpToolNames].sort())
      for (const call of calls) {
        expect(call.result.isError).toBe(true)
        const error = (call.result.structuredContent as { error: Record<string, string> }).error
        expect(error.code).toBe('not_configured')
        expect(error.message).toMatch(problem)
        expect(error.next_step).toMatch(
          /^Set AGENTPMT_PRIVATE_KEY \(0x \+ 64 hex\) in the "env" of this server .*restart the server/,
        )
      }
      // One clear line on stderr says the same; then one line per call. The exit code is the
      // usage error's, once the host closes stdin.
      const lines = result.stderr.split('\n').filter((line) => line !== '')
      expect(lines[0]).toMatch(
        /^agentpmt mcp: AGENTPMT_PRIVATE_KEY is .* Serving MCP over stdio without a wallet: every tool call answers this error\. Set AGENTPMT_PRIVATE_KEY/,
      )
      expect(lines.slice(1).map((line) => JSON.parse(line).result)).toEqual([
        'not_configured',
        'not_configured',
      ])
      expect(result.code).toBe(2)
      // Nothing was prepared for a wallet that is not there, and a wrong value is never echoed.
      expect(existsSync(state)).toBe(false)
      if (value !== undefined) expect(result.stdout + result.stderr).not.toContain(value)
    },
  )
})

describe('agentpmt mcp --help', () => {
  test('prints a host configuration that starts the server from this clone, and the npx one', async () => {
    const help = await runCli(['mcp', '--help'], { process: true })
    expect(help.code).toBe(0)
    // Each configuration is printed as JSON over two lines: read them back as a host would.
    const configurations = [...help.stdout.matchAll(/^ {2}(\{ "mcpServers".*)\n {4}(.*)$/gm)].map(
      ([, first, second]) => JSON.parse(`${first}${second}`).mcpServers.agentpmt,
    )
    expect(configurations).toHaveLength(2)
    const [local, published] = configurations
    expect(published).toMatchObject({ command: 'npx', args: ['-y', '@agentpmt-kit/cli', 'mcp'] })
    expect(local.args).toEqual([binPath, 'mcp'])
    expect(existsSync(local.command)).toBe(true)
    // The configuration works as printed: a host launching it gets the tools.
    const host = await launch(['--sandbox'], {}, local)
    const { tools } = await host.client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('list_jobs')
  }, 60_000)
})

describe('agentpmt mcp and hostile input', () => {
  test('a line over 10 MiB is answered with an error, later requests are served, and the server exits when stdin closes', async () => {
    const huge = {
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'job_status', arguments: { job_id: 'x'.repeat(11 * 1024 * 1024) } },
      id: 2,
    }
    const result = await runCli(['mcp', '--sandbox'], {
      process: true,
      stdin: stdinOf([initialize, huge, { jsonrpc: '2.0', id: 3, method: 'tools/list' }]),
      timeoutMs: 20_000,
    })
    expect(result.code).toBe(0)
    const answers = jsonLines<{ id?: number; error?: { code: number } }>(result.stdout)
    expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2, 3])
    expect(answers.find((answer) => answer.id === 2)?.error?.code).toBe(-32600)
  })
})

describe('agentpmt mcp --base-url --state', () => {
  test('a restarted server completes the reservation the first one made', async () => {
    const sandbox = await startSandbox({ verificationDelayMs: 50 })
    cleanups.push(() => sandbox.close())
    const state = await mkdtemp(join(tmpdir(), 'agentpmt-mcp-state-'))
    cleanups.push(() => rm(state, { recursive: true, force: true }))
    const key = generatePrivateKey()
    const env = { AGENTPMT_PRIVATE_KEY: key, AGENTPMT_BASE_URL: sandbox.url }

    const first = await launch(['--state', state], env)
    const reserved = await first.call('reserve_job', { job_id: 'job_share_reddit' })
    expect(reserved.result.isError).toBeFalsy()
    await first.close()
    expect(first.stderr()).toMatch(new RegExp(`journaled in ${state}`))

    const second = await launch(['--state', state], env)
    const listed = await second.call('list_jobs', {})
    expect(listed.data.my_reservations).toEqual([
      expect.objectContaining({ reservation_id: reserved.data.reservation_id }),
    ])
    const completed = await second.call('complete_job', {
      job_id: 'job_share_reddit',
      proof_text: 'Published one Reddit post with the tracked link.',
      social_post: { ...postFor(reserved.data), post_url: 'https://www.reddit.com/r/agents/1' },
    })
    expect(completed.result.isError).toBeFalsy()
    const status = await second.call('job_status', {
      job_id: 'job_share_reddit',
      wait_seconds: 20,
    })
    expect(status.data).toMatchObject({ submission: { verification_status: 'verified' } })
    await second.close()
    expect(
      holdsKey(JSON.stringify([first.calls, second.calls]) + first.stderr() + second.stderr(), key),
    ).toBe(false)
  })
})
