import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

describe('agentpmt hash', () => {
  test('the hash of {} is the protocol constant', async () => {
    const result = await runCli(['hash'], { stdin: '{}' })
    expect(result).toEqual({
      code: 0,
      stdout: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n',
      stderr: '',
    })
  })

  test('hashes the canonical form, not the text given', async () => {
    const result = await runCli(['hash'], { stdin: '{\n  "skip": 0,\n  "limit": 50\n}' })
    expect(result.stdout).toBe(`${sha256('{"limit":50,"skip":0}')}\n`)
  })

  test('--ascii hashes the escaped form; --json gives both text and hash', async () => {
    const raw = await runCli(['hash', '--json'], { stdin: '{"name":"café"}' })
    const ascii = await runCli(['hash', '--ascii', '--json'], { stdin: '{"name":"café"}' })
    expect(JSON.parse(raw.stdout)).toEqual({
      form: 'raw',
      canonical: '{"name":"café"}',
      payloadHash: sha256('{"name":"café"}'),
    })
    expect(JSON.parse(ascii.stdout)).toEqual({
      form: 'ascii',
      canonical: '{"name":"caf\\u00e9"}',
      payloadHash: sha256('{"name":"caf\\u00e9"}'),
    })
  })

  test('invalid JSON is a one-line error', async () => {
    const result = await runCli(['hash'], { stdin: 'not json' })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(isOneLineError(result.stderr)).toBe(true)
  })
})
