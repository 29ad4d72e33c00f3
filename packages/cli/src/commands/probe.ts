import { writeFile } from 'node:fs/promises'
import {
  type ProbeExchange,
  type ProbeReport,
  probe,
  probeTranscript,
} from '@agentpmt-kit/conformance'
import { describeProbeReport } from '@agentpmt-kit/conformance/report'
import { apiPaths } from '@agentpmt-kit/message-builder'
import { type Command, InvalidArgumentError, Option } from 'commander'
import type { Context } from '../context.js'
import { ExitError } from '../exit.js'
import { checkWritable } from '../input.js'
import { keyPatternOf, privateKeyVariable, signerFromEnv } from '../key.js'
import { outputFor, WriteError } from '../output.js'
import { parseDuration } from '../parse.js'
import { chooseBaseUrl, type JobsCommonOptions, withJobsOptions } from './jobs/client.js'
import { commandSummaries } from './summaries.js'

type ProbeOptions = JobsCommonOptions & { reserve?: string; save?: string; timeout: number }

/**
 * `agentpmt probe [--base-url URL] [--reserve JOB] [--save FILE]`: {@link probe} of
 * `@agentpmt-kit/conformance`, signed with the key in `AGENTPMT_PRIVATE_KEY` or a throwaway one,
 * printed; `--save` writes its redacted transcript. Exits 0 when compatible (with or without
 * guesses), 1 when not.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { probeCommand } from './probe.js'
 *
 * declare const context: Parameters<typeof probeCommand>[1]
 * probeCommand(new Command('agentpmt'), context)
 * ```
 */
export function probeCommand(program: Command, context: Context): Command {
  return withJobsOptions(
    program
      .command('probe')
      .description(commandSummaries.probe)
      .option('--reserve <jobId>', 'also reserve this job and read its status', jobIdOption)
      .option('--save <file>', 'write a redacted transcript of every request and answer')
      .addOption(
        new Option('--timeout <duration>', 'time allowed for each request (90, 500ms, 15s, 2m)')
          .argParser(parseDuration)
          .default(15_000, '15s'),
      ),
  )
    .addHelpText(
      'after',
      [
        '',
        `The wallet is the key in ${privateKeyVariable}, or a throwaway one when it is not set:`,
        'probing needs no funded wallet. Nothing is reserved unless --reserve is given.',
        '',
        'Examples:',
        '  agentpmt probe --base-url http://127.0.0.1:8787',
        '  agentpmt probe --base-url https://staging.example.com --reserve job_share_x --save probe.json',
      ].join('\n'),
    )
    .action(async (options: ProbeOptions) => {
      // Checked first: a transcript that cannot be written would make a reservation for nothing.
      if (options.save !== undefined) await checkWritable(options.save)
      const signer = context.env[privateKeyVariable]?.trim()
        ? await signerFromEnv(context.env)
        : undefined
      const baseUrl = chooseBaseUrl(context, options).url
      const exchanges: ProbeExchange[] = []
      const verbose = options.verbose === true
      let report: ProbeReport
      try {
        report = await probe({
          baseUrl,
          signer,
          reserve: options.reserve,
          timeoutMs: options.timeout,
          onExchange: (exchange) => {
            exchanges.push(exchange)
            if (verbose)
              context.stderr.write(
                `POST ${exchange.path} -> ${exchange.status} (${exchange.receivedAt - exchange.sentAt} ms)\n`,
              )
          },
          onSignedMessage: verbose
            ? (message) => {
                for (const line of message.split('\n')) context.stderr.write(`  | ${line}\n`)
              }
            : undefined,
        })
      } finally {
        if (options.save !== undefined && exchanges.length > 0)
          await saveTranscript(options.save, exchanges, {
            baseUrl,
            secret: keyPatternOf(context.env),
          })
      }
      outputFor(context, options).result(report, () => describeProbeReport(report))
      if (report.verdict === 'incompatible')
        throw new ExitError(1, 'The server is not compatible with the jobs API.')
    })
}

function jobIdOption(value: string): string {
  try {
    apiPaths.reserve(value)
  } catch {
    throw new InvalidArgumentError('must be a job id (a non-empty path segment).')
  }
  return value
}

async function saveTranscript(
  file: string,
  exchanges: readonly ProbeExchange[],
  target: Parameters<typeof probeTranscript>[1],
): Promise<void> {
  try {
    await writeFile(file, probeTranscript(exchanges, target))
  } catch (cause) {
    throw new WriteError(`The transcript could not be saved to ${file}.`, { cause })
  }
}
