import type {
  FaultRule,
  SandboxDialect,
  SandboxOptions,
  SandboxRequestLog,
} from '@agentpmt-kit/sandbox'
import { type Command, InvalidArgumentError } from 'commander'
import type { Context } from '../context.js'
import { collectFaultRules } from '../faultSpec.js'
import { outputFor } from '../output.js'
import { parseCount, parseDuration, parseOffset, parsePort } from '../parse.js'
import { commandSummaries } from './summaries.js'

type SandboxCommandOptions = {
  port: number
  host: string
  sessionTtl?: number
  reservationTtl?: number
  verificationDelay?: number
  outcome?: 'verified' | 'rejected' | 'transient_error' | 'needs_human'
  seed?: number
  clockOffset?: number
  faults?: FaultRule[]
  dialect?: string[]
  cors?: string[]
  quiet?: boolean
  json?: boolean
}

const outcomes = ['verified', 'rejected', 'transient_error', 'needs_human'] as const

/**
 * `agentpmt sandbox`: runs the reference server of the external API in the foreground, prints
 * its URL and public test wallets, one line per request on stderr (unless `--quiet`), and stops
 * on Ctrl-C (SIGINT) or SIGTERM. A port already in use is a one-line error that names `--port 0`.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { sandboxCommand } from './sandbox.js'
 *
 * declare const context: Parameters<typeof sandboxCommand>[1]
 * sandboxCommand(new Command('agentpmt'), context)
 * ```
 */
export function sandboxCommand(program: Command, context: Context): Command {
  return program
    .command('sandbox')
    .description(commandSummaries.sandbox)
    .option('--port <port>', 'TCP port (0: any free port)', parsePort, 8787)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--session-ttl <duration>', 'session nonce lifetime, e.g. 15m, 30s', parseDuration)
    .option('--reservation-ttl <duration>', 'reservation lifetime, e.g. 30m', parseDuration)
    .option('--verification-delay <duration>', 'time of each verification phase', parseDuration)
    .option('--outcome <status>', `how submissions end: ${outcomes.join(', ')}`, outcome)
    .option('--seed <n>', 'seed of nonces, ids and fault rates', parseCount)
    .option(
      '--clock-offset <duration>',
      "the sandbox's clock (timestamps, Date header) off the real one, e.g. -40m, +2d",
      parseOffset,
    )
    .option(
      '--faults <rule...>',
      'inject faults: key=value pairs, e.g. route=reserve,status=500,times=1',
      collectFaultRules,
    )
    .option(
      '--dialect <names>',
      'answer as another server would: one dialect or several, comma-separated',
      dialectList,
    )
    .option(
      '--cors <origins>',
      'allow browser calls from these origins, comma-separated (* for any); off by default',
      originList,
    )
    .option('--quiet', 'do not print a line per request')
    .option('--json', 'print a JSON document once listening (request lines as JSON on stderr)')
    .addHelpText(
      'after',
      [
        '',
        'Fault rules: route=<route>[+<route>] status=429|500|503 drop latency=<ms> rate=<0..1>',
        'times=<n> retry-after=<s> refuse=nonce-invalid|nonce-expired|replay.',
        'Routes: session, list, reserve, complete, status,',
        'workflowCreate, workflowPublish, toolInvoke, balance.',
        '',
        'Dialects (applied in order): python-timestamps, nulls-and-extras, expires-in-only,',
        'nested-reservation, link-objects, agent-skill, minimal, other-error-codes,',
        'proxy-errors; default when omitted. See the sandbox guide.',
        '',
        'Examples:',
        '  agentpmt sandbox --port 8787 --session-ttl 30s',
        '  agentpmt sandbox --faults route=complete,status=503,times=1 route=list,latency=250',
        '  agentpmt sandbox --dialect agent-skill,python-timestamps',
        '  agentpmt sandbox --port 0 --cors http://localhost:5173',
        '',
        'Each request is printed on stderr (method, path, status, ms, error_code) unless --quiet.',
        'Limits and load shedding: see the sandbox guide.',
      ].join('\n'),
    )
    .action(async (options: SandboxCommandOptions, command: Command) => {
      const [{ startSandbox, sandboxDialects, PortInUseError }, { testWallets }] =
        await Promise.all([import('@agentpmt-kit/sandbox'), import('../testWallets.js')])
      // Checked here, not in the option's parser: the names live in the sandbox package, which
      // is loaded only when this command runs.
      const unknown = options.dialect?.find(
        (name) => !(sandboxDialects as readonly string[]).includes(name),
      )
      if (unknown !== undefined)
        command.error(
          `error: option '--dialect <names>' argument '${unknown}' is invalid. Unknown dialect; dialects: ${sandboxDialects.join(', ')}.`,
          { code: 'commander.invalidArgument', exitCode: 1 },
        )
      const output = outputFor(context, options)
      const log = options.quiet ? undefined : requestLog(context, options.json === true)
      let sandbox: Awaited<ReturnType<typeof startSandbox>>
      try {
        sandbox = await startSandbox({
          ...sandboxOptions(options),
          ...(log === undefined ? {} : { onRequest: log }),
        })
      } catch (error) {
        if (error instanceof PortInUseError)
          command.error(
            `error: port ${options.port} on ${options.host} is already in use. Stop the other server, choose another --port, or pass --port 0 for any free port.`,
            { code: 'agentpmt.portInUse', exitCode: 1 },
          )
        throw error
      }
      const wallets = testWallets()
      const dialect = options.dialect ?? ['default']
      output.result({ url: sandbox.url, port: sandbox.port, dialect, testWallets: wallets }, () =>
        [
          `AgentPMT sandbox listening on ${sandbox.url} (dialect: ${dialect.join(', ')})`,
          '',
          'Public test wallets (well-known development keys: never use them on a real network):',
          ...wallets.map((wallet) => `  ${wallet.address}  ${wallet.privateKey}`),
          '',
          'Try it:',
          `  AGENTPMT_PRIVATE_KEY=${wallets[0]?.privateKey} agentpmt jobs list --base-url ${sandbox.url}`,
          '',
          'Press Ctrl-C to stop.',
        ].join('\n'),
      )
      await stopSignal()
      const stats = sandbox.stats()
      await sandbox.close()
      output.step(`Stopped after ${stats.requests} requests.`)
    })
}

function sandboxOptions(options: SandboxCommandOptions): SandboxOptions {
  return {
    port: options.port,
    host: options.host,
    ...(options.sessionTtl === undefined ? {} : { sessionTtlMs: options.sessionTtl }),
    ...(options.reservationTtl === undefined ? {} : { reservationTtlMs: options.reservationTtl }),
    ...(options.verificationDelay === undefined
      ? {}
      : { verificationDelayMs: options.verificationDelay }),
    ...(options.outcome === undefined ? {} : { verificationOutcome: options.outcome }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.clockOffset === undefined ? {} : { clockOffsetMs: options.clockOffset }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.dialect === undefined ? {} : { dialect: options.dialect as SandboxDialect[] }),
    ...(options.cors === undefined ? {} : { cors: options.cors }),
  }
}

/** One line per answered request on stderr: readable text, or a JSON object with `--json`. */
function requestLog(context: Context, json: boolean): (entry: SandboxRequestLog) => void {
  return (entry) => {
    const line = json
      ? JSON.stringify({
          method: entry.method,
          path: entry.path,
          status: entry.status,
          ms: entry.ms,
          error_code: entry.errorCode ?? null,
        })
      : `${entry.method} ${entry.path} ${entry.status} ${entry.ms} ms${entry.errorCode ? ` ${entry.errorCode}` : ''}`
    context.stderr.write(`${line}\n`)
  }
}

/** `a,b` into origins; `*` allows any. */
function originList(value: string): string[] {
  const origins = value.split(',').map((origin) => origin.trim())
  if (origins.some((origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)))
    throw new InvalidArgumentError('must be origins such as http://localhost:5173, or *.')
  return origins
}

/** `a,b` into names; each is checked against the sandbox's dialects once the command runs. */
/**
 * Commander's parser of `--dialect <names>`: comma-separated names, none empty (whether each is a
 * dialect is checked by the sandbox package, loaded only when a command runs).
 *
 * @example
 * ```ts
 * import { dialectList } from './sandbox.js'
 *
 * dialectList('agent-skill, python-timestamps') // ['agent-skill', 'python-timestamps']
 * ```
 */
export function dialectList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim())
  if (names.some((name) => name === ''))
    throw new InvalidArgumentError('must be dialect names separated by commas.')
  return names
}

function outcome(value: string): (typeof outcomes)[number] {
  if (!(outcomes as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${outcomes.join(', ')}.`)
  return value as (typeof outcomes)[number]
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
