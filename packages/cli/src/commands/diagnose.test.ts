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

  test('prints the findings with their fix and code; --json lists them', async () => {
    const text = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--payload',
      join(dir, 'payload.json'),
    ])
    expect(text.stdout).toMatch(/Findings:\n- line 3: stale-session\n/)
    expect(text.stdout).toMatch(/- line 7: unsorted-keys\n.*\n {2}fix: {2}Sort every object's keys/)
    expect(text.stdout).toMatch(/code: canonicalHash\(payload\)/)
    const json = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--payload',
      join(dir, 'payload.json'),
      '--json',
    ])
    const findings = JSON.parse(json.stdout).findings as { mistake: string; fix: string }[]
    expect(findings.map((finding) => finding.mistake)).toEqual(['stale-session', 'unsorted-keys'])
  })

  test('--sent: the envelope fields hashed, and --earlier: the server text signed', async () => {
    const body = {
      wallet_address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      session_nonce: 'nonce-new',
      request_id: 'req-1',
      signature: `0x${'ab'.repeat(65)}`,
      limit: 50,
      skip: 0,
    }
    const sorted = Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1)))
    writeFileSync(join(dir, 'sent.json'), JSON.stringify(body))
    writeFileSync(join(dir, 'envelope.txt'), lines('nonce-new', sha256(JSON.stringify(sorted))))
    const envelope = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'envelope.txt'),
      '--sent',
      join(dir, 'sent.json'),
      '--json',
    ])
    const [finding] = JSON.parse(envelope.stdout).findings
    expect(finding.mistake).toBe('envelope-fields-hashed')
    expect(finding.fix).toMatch(/^Drop the envelope fields/)

    const earlier = { ...errorBody, details: { ...errorBody.details } }
    const later = {
      ...errorBody,
      details: {
        ...errorBody.details,
        expected_message: errorBody.details.expected_message.replace('req-1', 'req-2'),
      },
    }
    writeFileSync(join(dir, 'earlier.json'), JSON.stringify(earlier))
    writeFileSync(join(dir, 'later.json'), JSON.stringify(later))
    writeFileSync(join(dir, 'copied.txt'), errorBody.details.expected_message)
    const copied = await runCli([
      'diagnose',
      join(dir, 'later.json'),
      '--message',
      join(dir, 'copied.txt'),
      '--earlier',
      join(dir, 'earlier.json'),
    ])
    expect(copied.stdout).toMatch(/- signed-expected-message\n/)
    expect(copied.stdout).toMatch(/fix: {2}Never sign the server's expected_message/)
  })

  test('bad input: error body not JSON, --message missing, bad --status', async () => {
    writeFileSync(join(dir, 'broken.json'), '<html>')
    const broken = await runCli([
      'diagnose',
      join(dir, 'broken.json'),
      '--message',
      join(dir, 'message.txt'),
    ])
    expect(broken.code).toBe(2)
    expect(isOneLineError(broken.stderr)).toBe(true)
    const twice = await runCli(['diagnose', '-', '--message', '-'], { stdin: '{}' })
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('Only one input can be -')
    const noMessage = await runCli(['diagnose', join(dir, 'error.json')])
    expect(noMessage.code).toBe(2)
    expect(isOneLineError(noMessage.stderr)).toBe(true)
    const badStatus = await runCli([
      'diagnose',
      join(dir, 'error.json'),
      '--message',
      join(dir, 'message.txt'),
      '--status',
      '9000',
    ])
    expect(badStatus.code).toBe(2)
    expect(isOneLineError(badStatus.stderr)).toBe(true)
  })
})
