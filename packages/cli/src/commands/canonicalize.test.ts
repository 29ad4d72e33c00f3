import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli, tempDir } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

describe('agentpmt canonicalize', () => {
  test('sorts keys and drops whitespace, from stdin', async () => {
    const result = await runCli(['canonicalize'], {
      stdin: '{ "skip": 0, "limit": 50, "a": [3, 1] }',
    })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe('{"a":[3,1],"limit":50,"skip":0}\n')
  })

  test('--ascii writes the Python ensure_ascii form', async () => {
    const result = await runCli(['canonicalize', '--ascii', '-'], {
      stdin: '{"name":"Zoë","e":"😀"}',
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('{"e":"\\ud83d\\ude00","name":"Zo\\u00eb"}\n')
  })

  test('reads a file and prints JSON with --json', async () => {
    const dir = tempDir()
    const file = join(dir, 'payload.json')
    writeFileSync(file, '\uFEFF{"b":1,"a":{"d":2,"c":3}}\n')
    const result = await runCli(['canonicalize', file, '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      form: 'raw',
      canonical: '{"a":{"c":3,"d":2},"b":1}',
    })
  })

  test('invalid JSON is a usage error: one line, exit code 2', async () => {
    const result = await runCli(['canonicalize'], { stdin: '{"a":' })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/stdin is not valid JSON/)
  })

  test('a value the canonical form refuses names its path', async () => {
    const result = await runCli(['canonicalize'], { stdin: '{"text":"\\ud800"}' })
    expect(result.code).toBe(1)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/text/)
  })

  test('a missing file is a one-line error', async () => {
    const result = await runCli(['canonicalize', 'no-such-file.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('error: Cannot read no-such-file.json: no such file.\n')
  })

  test('an unknown flag is a one-line error', async () => {
    const result = await runCli(['canonicalize', '--pretty'], { stdin: '{}' })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      "error: unknown option '--pretty'. Run agentpmt canonicalize --help to list the options.\n",
    )
  })

  test('--help describes the command', async () => {
    const result = await runCli(['canonicalize', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Usage: agentpmt canonicalize \[options\] \[file\]/)
    expect(result.stdout).toMatch(/--ascii/)
  })
})
