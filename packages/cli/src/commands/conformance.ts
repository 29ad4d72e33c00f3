import { writeFile } from 'node:fs/promises'
import {
  type Capability,
  capabilities,
  referenceAdapter,
  runVectors,
  serveAdapter,
} from '@agentpmt-kit/conformance'
import { describeRun, htmlReport } from '@agentpmt-kit/conformance/report'
import { type Command, InvalidArgumentError, Option } from 'commander'
import type { Context } from '../context.js'
import { ExitError } from '../exit.js'
import { outputFor, WriteError } from '../output.js'
import { parseDuration } from '../parse.js'
import { registerClientCheck } from './conformance/client.js'
import { registerServerCheck } from './conformance/server.js'
import { commandSummaries } from './summaries.js'

type RunOptions = {
  timeout: number
  only?: Capability[] | undefined
  require?: Capability[] | undefined
  vectors?: string | undefined
  html?: string | undefined
  json?: boolean | undefined
}

/**
 * `agentpmt conformance`: the vectors as an executable suite for an implementation in any
 * language (`run -- <command...>`, over a JSON-lines protocol), the toolkit's own reference
 * adapter (`adapter`), a check of a server's answers (`server --base-url`), and scripted
 * scenarios for a client of any language (`client -- <command...>`, reference: `agent`).
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { conformanceCommand } from './conformance.js'
 *
 * declare const context: Parameters<typeof conformanceCommand>[1]
 * conformanceCommand(new Command('agentpmt'), context)
 * ```
 */
export function conformanceCommand(program: Command, context: Context): Command {
  const conformance = program
    .command('conformance')
    .description(commandSummaries.conformance)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agentpmt conformance run -- python3 my_adapter.py',
        '  agentpmt conformance run --html report.html -- ./target/release/my-adapter',
        '  agentpmt conformance run -- agentpmt conformance adapter',
        '  agentpmt conformance server --base-url http://127.0.0.1:8787',
        '  agentpmt conformance client -- python3 my_client.py',
        '  agentpmt conformance client -- agentpmt conformance agent',
        'Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Conformance.html',
      ].join('\n'),
    )

  conformance
    .command('run')
    .description(
      'Start an implementation and feed it every case of the capabilities it declares (JSON lines on stdin/stdout).',
    )
    .argument('<command...>', 'the implementation under test, after --')
    .addOption(
      new Option('--timeout <duration>', 'time allowed for each case (90, 500ms, 5s, 2m)')
        .argParser(parseDuration)
        .default(5000, '5s'),
    )
    .option(
      '--only <capabilities>',
      'feed only these capabilities (comma-separated)',
      capabilityList,
    )
    .option(
      '--require <capabilities>',
      'fail unless these capabilities are declared and run, not skipped (comma-separated, or all)',
      capabilityList,
    )
    .option('--vectors <dir>', 'the vectors folder (default: the one beside this CLI)')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--json', 'print the report as a JSON document')
    .action(async (command: string[], options: RunOptions) => {
      const output = outputFor(context, options)
      const report = await runVectors({
        adapter: command,
        vectorsDir: options.vectors,
        only: options.only,
        require: options.require,
        caseTimeoutMs: options.timeout,
        env: context.env,
      })
      if (options.html !== undefined) {
        try {
          await writeFile(options.html, htmlReport(report))
        } catch (cause) {
          throw new WriteError(`The HTML report could not be written to ${options.html}.`, {
            cause,
          })
        }
      }
      output.result(report, () => describeRun(report))
      if (report.verdict === 'fail') throw new ExitError(1, 'The implementation did not pass.')
    })

  conformance
    .command('adapter')
    .description(
      "The TypeScript toolkit as a conformance adapter (speaks the protocol on stdin/stdout): the suite's reference.",
    )
    .action(async () => {
      await serveAdapter(referenceAdapter, { input: context.stdin, output: context.stdout })
    })

  registerServerCheck(conformance, context)
  registerClientCheck(conformance, context)
  return conformance
}

function capabilityList(value: string): Capability[] {
  if (value === 'all') return [...capabilities]
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const unknown = names.filter((name) => !capabilities.includes(name as Capability))
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(`capabilities are ${capabilities.join(', ')} (or all).`)
  return names as Capability[]
}
