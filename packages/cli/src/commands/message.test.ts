import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli, tempDir } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const wallet = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('agentpmt message build', () => {
  test('writes the seven lines of a job_list message, wallet lower-cased, no newline after', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'page.json'), '{"skip":0,"limit":50}')
    const result = await runCli(
      ['message', 'build', '--wallet', wallet, '--session', 'n-1', '--request', 'r-1'].concat([
        '--action',
        'job_list',
        '--payload',
        join(dir, 'page.json'),
      ]),
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        'agentpmt-external',
        `wallet:${wallet.toLowerCase()}`,
        'session:n-1',
        'request:r-1',
        'action:job_list',
        'product:-',
        `payload:${sha256('{"limit":50,"skip":0}')}`,
      ].join('\n'),
    )
  })

  test('tool invoke scope, empty payload line, and --json', async () => {
    const result = await runCli([
      'message',
      'build',
      '--wallet',
      wallet,
      '--session',
      's',
      '--request',
      'r',
      '--method',
      'post',
      '--path',
      '/external/tools/acme/actions/run/invoke',
      '--no-payload',
      '--json',
    ])
    expect(result.code).toBe(0)
    const document = JSON.parse(result.stdout)
    expect(document.lines).toEqual([
      'agentpmt-external',
      `wallet:${wallet.toLowerCase()}`,
      'session:s',
      'request:r',
      'method:POST',
      'path:/external/tools/acme/actions/run/invoke',
      'payload:',
    ])
    expect(document.fields.payloadHash).toBeNull()
  })

  test('a fresh request id by default and the hash of {} without --payload', async () => {
    const args = [
      'message',
      'build',
      '--wallet',
      wallet,
      '--session',
      's',
      '--action',
      'job_status',
    ]
    const [first, second] = await Promise.all([runCli(args), runCli(args)])
    const request = (text: string) => text.split('\n')[3]
    expect(request(first.stdout)).toMatch(/^request:[0-9a-f-]{36}$/)
    expect(request(first.stdout)).not.toBe(request(second.stdout))
    expect(first.stdout.split('\n')[6]).toBe(`payload:${sha256('{}')}`)
  })

  test('a newline inside a field is refused, in one line', async () => {
    const result = await runCli([
      'message',
      'build',
      '--wallet',
      wallet,
      '--session',
      'a\nb',
      '--action',
      'job_list',
    ])
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/session/)
  })

  test('no scope and a missing required option are one-line errors', async () => {
    const noScope = await runCli(['message', 'build', '--wallet', wallet, '--session', 's'])
    const noSession = await runCli(['message', 'build', '--action', 'job_list'])
    expect(noScope.code).toBe(2)
    expect(isOneLineError(noScope.stderr)).toBe(true)
    expect(noSession.code).toBe(2)
    expect(noSession.stderr).toBe(
      "error: required option '--session <nonce>' not specified. Run agentpmt message build --help to list the options.\n",
    )
  })
})

describe('agentpmt message parse', () => {
  const message = [
    'agentpmt-external',
    'wallet:0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    'session:nonce-1',
    'request:req-1',
    'action:job_reserve',
    'product:job_1',
    `payload:${sha256('{}')}`,
  ].join('\n')

  test('explains each line; a trailing newline from a file is tolerated', async () => {
    const result = await runCli(['message', 'parse'], { stdin: `${message}\n` })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/5 {2}action {3}job_reserve/)
    expect(result.stdout).toMatch(/the hash of \{\}/)
    expect(result.stdout).toMatch(/well formed/)
  })

  test('--json gives the fields; --payload checks the hash', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'empty.json'), '{}')
    writeFileSync(join(dir, 'other.json'), '{"a":1}')
    const good = await runCli(
      ['message', 'parse', '--json', '--payload', join(dir, 'empty.json')],
      {
        stdin: message,
      },
    )
    expect(JSON.parse(good.stdout)).toMatchObject({
      fields: { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 'nonce-1' },
      payload: { matches: true, form: 'raw' },
    })
    const bad = await runCli(['message', 'parse', '--payload', join(dir, 'other.json')], {
      stdin: message,
    })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/not the hash of the payload/)
  })

  test('a malformed message names the line', async () => {
    const result = await runCli(['message', 'parse'], {
      stdin: message.replace('session:', 'sess:'),
    })
    expect(result.code).toBe(1)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/Line 3/)
  })
})
