import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli, tempDir } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const lines = (session: string, hash: string): string =>
  [
    'agentpmt-external',
    'wallet:0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    `session:${session}`,
    'request:req-1',
    'action:job_list',
    'product:-',
    `payload:${hash}`,
  ].join('\n')

describe('agentpmt diagnose', () => {
  const dir = tempDir()
  const expectedHash = sha256('{"limit":50,"skip":0}')
  const errorBody = {
    error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    detail: 'The signature does not match the wallet.',
    details: {
      checklist: ['Sign the exact message.'],
      expected_message: lines('nonce-new', expectedHash),
      expected_payload_hash: expectedHash,
    },
  }
  writeFileSync(join(dir, 'error.json'), JSON.stringify(errorBody))
  // Signed with an old session and the hash of unsorted JSON.
  writeFileSync(
    join(dir, 'message.txt'),
    `${lines('nonce-old', sha256('{"skip":0,"limit":50}'))}\n`,
  )
  writeFileSync(join(dir, 'payload.json'), '{"skip":0,"limit":50}')

  test('names each differing line and the way the hash was made', async () => {
    const result = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--payload',
      join(dir, 'payload.json'),
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/recovery: fix-signature/)
    expect(result.stdout).toMatch(/line 3 \(session\): session-differs/)
    expect(result.stdout).toMatch(/line 7 \(payload\): payload-hash-differs/)
    expect(result.stdout).toMatch(/unsorted-keys/)
    expect(result.stdout).not.toMatch(/trailing-newline/)
  })

  test('--json lists the problems', async () => {
    const result = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--json',
    ])
    const document = JSON.parse(result.stdout)
    expect(document.status).toBe(401)
    expect(document.errorCode).toBe('EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    expect(document.problems.map((problem: { kind: string }) => problem.kind)).toEqual([
      'session-differs',
      'payload-hash-differs',
    ])
  })

  test('--exact keeps the trailing newline, which is then a finding', async () => {
    const result = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--exact',
      '--json',
    ])
    const kinds = JSON.parse(result.stdout).problems.map(
      (problem: { kind: string }) => problem.kind,
    )
    expect(kinds).toContain('trailing-newline')
  })

  test('bad input: error body not JSON, --message missing, bad --status', async () => {
    writeFileSync(join(dir, 'broken.json'), '<html>')
    const broken = await runCli([
      'diagnose',
      join(dir, 'broken.json'),
      '--message',
      join(dir, 'message.txt'),
    ])
    expect(broken.code).toBe(1)
    expect(isOneLineError(broken.stderr)).toBe(true)
    const twice = await runCli(['diagnose', '-', '--message', '-'], { stdin: '{}' })
    expect(twice.code).toBe(1)
    expect(twice.stderr).toContain('Only one input can be -')
    const noMessage = await runCli(['diagnose', join(dir, 'error.json')])
    expect(noMessage.code).toBe(1)
    expect(isOneLineError(noMessage.stderr)).toBe(true)
    const badStatus = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--status',
      '9000',
    ])
    expect(badStatus.code).toBe(1)
    expect(isOneLineError(badStatus.stderr)).toBe(true)
  })
})
