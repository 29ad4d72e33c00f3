import { scenarios } from '@agentpmt-kit/conformance'
import type { SandboxDialect } from '@agentpmt-kit/sandbox'
import { type Command, InvalidArgumentError, Option } from 'commander'
import type { Context } from '../../context.js'
import { ExitError } from '../../exit.js'
import { outputFor } from '../../output.js'
import { parseDuration, parseOffset } from '../../parse.js'
import { dialectList } from '../sandbox.js'

type ClientOptions = {
  timeout: number
  scenario?: string[] | undefined
  dialect?: string[] | undefined
  clockOffset?: number | undefined
  json?: boolean | undefined
}

/**
 * Registers `agentpmt conformance client -- <command...>` (scripted scenarios served by the
 * sandbox to a client of any language, judged from the traffic) and `agentpmt conformance agent`
 * (the toolkit's jobs-client as the client under test: the reference).
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { registerClientCheck } from './client.js'
 *
 * declare const context: Parameters<typeof registerClientCheck>[1]
 * registerClientCheck(new Command('conformance'), context)
 * ```
 */
export function registerClientCheck(parent: Command, context: Context): Command {
  parent
    .command('client')
    .description(
      'Check a job-loop client of any language: scripted faults served by the sandbox, behaviours judged from the traffic, the job’s outcome from the server’s record (exit 0 only when verified).',
    )
    .argument('<command...>', 'the client under test, after --; run once per scenario')
    .addOption(
      new Option('--timeout <duration>', 'time allowed for each scenario (90, 500ms, 60s, 2m)')
        .argParser(parseDuration)
        .default(60_000, '60s'),
    )
    .option(
      '--scenario <names>',
      `run only these scenarios (comma-separated): ${scenarios.map((s) => s.name).join(', ')}`,
      scenarioList,
    )
    .option(
      '--dialect <names>',
      'the sandbox answers as another server would (see agentpmt sandbox --help); default when omitted',
      dialectList,
    )
    .addOption(
      new Option(
        '--clock-offset <duration>',
        "the sandbox's clock (timestamps, Date header) off this machine's, e.g. -40m, +2d: the client must read deadlines on the server's clock",
      ).argParser(parseOffset),
    )
    .option('--json', 'print the report as a JSON document')
    .action(async (command: string[], options: ClientOptions) => {
      // Loaded when the command runs: the sandbox and viem are not needed by other commands.
      const [{ checkClient }, { describeClientReport }] = await Promise.all([
        import('@agentpmt-kit/conformance'),
        import('@agentpmt-kit/conformance/report'),
      ])
      const report = await checkClient({
        command,
        scenarioTimeoutMs: options.timeout,
        only: options.scenario,
        dialect: options.dialect as SandboxDialect[] | undefined,
        clockOffsetMs: options.clockOffset,
        env: context.env,
      })
      outputFor(context, options).result(report, () => describeClientReport(report))
      if (report.verdict === 'fail') throw new ExitError(1, 'The client did not pass.')
    })
  return parent
    .command('agent')
    .description(
      "The toolkit's jobs-client as a client under test (reads AGENTPMT_* variables): the reference for conformance client.",
    )
    .action(async () => {
      const { runAgent } = await import('./client/agent.js')
      await runAgent(context)
    })
}

function scenarioList(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const known = scenarios.map((scenario) => scenario.name)
  if (names.length === 0 || names.some((name) => !known.includes(name)))
    throw new InvalidArgumentError(`scenarios are ${known.join(', ')}.`)
  return names
}
