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

  // The built binary, as a user runs it (bin.js: the exit code of the process).
  test('--help lists every command; --version prints the version', async () => {
    const help = await runCli(['--help'], { process: true })
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
    const version = await runCli(['--version'], { process: true })
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
    expect(result.code).toBe(2)
    expect(result.stderr).toBe("error: unknown option '--asci' (did you mean --ascii?)\n")
  })

  test('each kind of usage error exits 2 with one line that names the fix', async () => {
    const cases: [string[], string][] = [
      [
        ['frobnicate'],
        "error: unknown command 'frobnicate'. Run agentpmt --help to list the commands.",
      ],
      [['hsah'], "error: unknown command 'hsah' (did you mean hash?)"],
      [
        ['jobs', 'cancel'],
        "error: unknown command 'cancel'. Run agentpmt jobs --help to list the commands.",
      ],
      [
        ['hash', '--zzz'],
        "error: unknown option '--zzz'. Run agentpmt hash --help to list the options.",
      ],
      [['--frob'], "error: unknown option '--frob'. Run agentpmt --help to list the options."],
      [
        ['jobs', 'reserve'],
        "error: missing required argument 'jobId'. Usage: agentpmt jobs reserve [options] <jobId>",
      ],
      [
        ['hash', 'a.json', 'b.json'],
        "error: too many arguments for 'hash'. Expected 1 argument but got 2. Usage: agentpmt hash [options] [file]",
      ],
      [
        ['demo', '--verification-delay', 'soon'],
        "error: option '--verification-delay <duration>' argument 'soon' is invalid: must be a duration such as 90, 500ms, 30s, 15m or 1h.",
      ],
      [
        ['jobs', 'list', '--limit'],
        "error: option '--limit <n>' argument missing. Run agentpmt jobs list --help to list the options.",
      ],
      [
        ['message', 'build', '--action', 'job_list'],
        "error: required option '--session <nonce>' not specified. Run agentpmt message build --help to list the options.",
      ],
    ]
    const results = await Promise.all(
      cases.map(([args]) => runCli(args, { stdin: '{}', process: true })),
    )
    results.forEach((result, index) => {
      const [args, line] = cases[index]!
      expect({ args, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
        args,
        code: 2,
        stderr: `${line}\n`,
        stdout: '',
      })
    })
  })

  test('a command that needs a subcommand prints its help and exits 2; --json gives the fix', async () => {
    const [root, jobs, json] = await Promise.all([
      runCli([]),
      runCli(['jobs']),
      runCli(['jobs', 'reserve', '--json']),
    ])
    expect(root.code).toBe(2)
    expect(root.stderr).toMatch(/^Usage: agentpmt \[options\] \[command\]/)
    expect(jobs.code).toBe(2)
    expect(jobs.stderr).toMatch(/^Usage: agentpmt jobs \[options\] \[command\]/)
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stderr)).toEqual({
      error: {
        code: 'usage',
        exitCode: 2,
        name: 'Cli.UsageError',
        message:
          "missing required argument 'jobId'. Usage: agentpmt jobs reserve [options] <jobId>",
      },
    })
  })

  test('--help names the exit code of every class', async () => {
    const help = await runCli(['--help'])
    const text = help.stdout.slice(help.stdout.indexOf('Exit codes:')).replace(/\s+/g, ' ')
    const listed = Object.fromEntries(
      [...text.matchAll(/(\d) ([a-z ]+?)(?: \([^)]*\))?[,.]/g)].map(([, code, label]) => [
        label,
        Number(code),
      ]),
    )
    expect(listed).toEqual({
      done: 0,
      failed: cli.exitCodes.failed,
      'usage error': cli.exitCodes.usage,
      'outcome unknown': cli.exitCodes.unknown,
      'signature refused': cli.exitCodes.signature,
      'not found': cli.exitCodes.not_found,
      'job taken': cli.exitCodes.conflict,
      network: cli.exitCodes.network,
      server: cli.exitCodes.server,
    })
    expect(cli.exitCodes.invalid).toBe(cli.exitCodes.failed)
  })

  test('the key never appears in any output, even through an error', async () => {
    const key = Wallet.createRandom().privateKey
    const env = { AGENTPMT_PRIVATE_KEY: key }
    const runs = await Promise.all([
      runCli(['sign', '--json'], { stdin: 'not a message', env, process: true }),
      runCli(['message', 'build', '--session', 's', '--action', 'job_list', '--json'], {
        env,
        process: true,
      }),
      runCli(['canonicalize'], { stdin: JSON.stringify({ key }), env, process: true }),
      runCli(['jobs', 'list', '--base-url', 'http://127.0.0.1:9'], { env, process: true }),
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
      expect(signed.code).toBe(2)
      expect(isOneLineError(signed.stderr)).toBe(true)
      expect(signed.stderr).toContain('is not a valid private key')
      for (const result of [version, canonical, signed])
        expect(result.stdout + result.stderr).not.toContain(value)
    }
  })
})
