import { Wallet } from 'ethers'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli } from '../test/harness.js'
import * as cli from './index.js'

beforeAll(ensureBuilt, 300_000)

describe('agentpmt', () => {
  test('the public surface', () => {
    expect(Object.keys(cli).sort()).toMatchInlineSnapshot(`
      [
        "ExitError",
        "createProgram",
        "errorClassOf",
        "exitCodes",
        "run",
      ]
    `)
  })

  test('--help lists every command; --version prints the version', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    for (const command of [
      'demo',
      'canonicalize',
      'hash',
      'message',
      'sign',
      'verify',
      'diagnose',
      'sandbox',
      'jobs',
    ])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
    const version = await runCli(['--version'])
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/)
  })

  test('--help works on every command and subcommand', async () => {
    const commands = [
      ['demo'],
      ['canonicalize'],
      ['hash'],
      ['message', 'build'],
      ['message', 'parse'],
      ['sign'],
      ['verify'],
      ['diagnose'],
      ['sandbox'],
      ['jobs', 'list'],
      ['jobs', 'reserve'],
      ['jobs', 'complete'],
      ['jobs', 'status'],
      ['jobs', 'run'],
    ]
    const results = await Promise.all(commands.map((command) => runCli([...command, '--help'])))
    results.forEach((result, index) => {
      expect(result.code, commands[index]!.join(' ')).toBe(0)
      expect(result.stdout).toMatch(new RegExp(`Usage: agentpmt ${commands[index]!.join(' ')}`))
    })
  })

  test('an unknown option with a close match: the suggestion on the same line', async () => {
    const result = await runCli(['hash', '--asci'], { stdin: '{}' })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe("error: unknown option '--asci' (did you mean --ascii?)\n")
  })

  test('an unknown command is a one-line error with exit code 1', async () => {
    const result = await runCli(['frobnicate'])
    expect(result.code).toBe(1)
    expect(isOneLineError(result.stderr)).toBe(true)
    const sub = await runCli(['jobs', 'cancel'])
    expect(sub.code).toBe(1)
    expect(isOneLineError(sub.stderr)).toBe(true)
  })

  test('the key never appears in any output, even through an error', async () => {
    const key = Wallet.createRandom().privateKey
    const env = { AGENTPMT_PRIVATE_KEY: key }
    const runs = await Promise.all([
      runCli(['sign', '--json'], { stdin: 'not a message', env }),
      runCli(['message', 'build', '--session', 's', '--action', 'job_list', '--json'], { env }),
      runCli(['canonicalize'], { stdin: JSON.stringify({ key }), env }),
      runCli(['jobs', 'list', '--base-url', 'http://127.0.0.1:9'], { env }),
    ])
    for (const result of runs) {
      const all = (result.stdout + result.stderr).toLowerCase()
      expect(all).not.toContain(key.slice(2).toLowerCase())
      expect(all).not.toMatch(/\n\s+at /)
    }
    // Even a key given as input is redacted on the way out.
    expect(runs[2]!.stdout).toBe('{"key":"<redacted key>"}\n')
  })

  test('a variable that is no key breaks nothing, is never echoed, and is refused for signing', async () => {
    for (const value of ['*my-secret-passphrase-123', '0x[my secret key', '................']) {
      const env = { AGENTPMT_PRIVATE_KEY: value }
      const version = await runCli(['--version'], { env })
      expect(version.code).toBe(0)
      const canonical = await runCli(['canonicalize'], { stdin: '{"b":1,"a":"x"}', env })
      expect(canonical.stdout).toBe('{"a":"x","b":1}\n')
      const signed = await runCli(['sign'], { stdin: 'hello', env })
      expect(signed.code).toBe(1)
      expect(isOneLineError(signed.stderr)).toBe(true)
      expect(signed.stderr).toContain('is not a valid private key')
      for (const result of [version, canonical, signed])
        expect(result.stdout + result.stderr).not.toContain(value)
    }
  })
})
