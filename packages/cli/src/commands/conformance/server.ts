import { checkServer, type ServerCheckGroup, serverCheckGroups } from '@agentpmt-kit/conformance'
import { describeServerReport } from '@agentpmt-kit/conformance/report'
import { type Command, InvalidArgumentError, Option } from 'commander'
import type { Context } from '../../context.js'
import { ExitError } from '../../exit.js'
import { outputFor } from '../../output.js'
import { parseDuration } from '../../parse.js'

type ServerOptions = {
  baseUrl: string
  include?: ServerCheckGroup[] | undefined
  timeout: number
  tool?: { product: string; action: string } | undefined
  waitSessionExpiry?: number | undefined
  json?: boolean | undefined
  verbose?: boolean | undefined
}

/**
 * Registers `agentpmt conformance server --base-url URL`: {@link checkServer} of
 * `@agentpmt-kit/conformance`, printed, exit 1 when a check fails.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { registerServerCheck } from './server.js'
 *
 * declare const context: Parameters<typeof registerServerCheck>[1]
 * registerServerCheck(new Command('conformance'), context)
 * ```
 */
export function registerServerCheck(parent: Command, context: Context): Command {
  return parent
    .command('server')
    .description(
      'Check a server: valid and invalid signed requests against each answer the jobs guides document (never reserves).',
    )
    .requiredOption('--base-url <url>', 'the server to check', baseUrlOption)
    .option(
      '--include <groups>',
      'also check these groups of other guides, comma-separated: credits (the balance), tools (with --tool); a 404 there is "not offered", never a failure',
      groupsOption,
    )
    .option(
      '--tool <product/action>',
      'also invoke this tool (costs credits; implies --include tools): ASCII form and path variants',
      toolOption,
    )
    .option(
      '--wait-session-expiry <duration>',
      'wait for a session to expire, when it expires within this time, to check the expired answer',
      parseDuration,
    )
    .addOption(
      new Option('--timeout <duration>', 'time allowed for each request (90, 500ms, 15s, 2m)')
        .argParser(parseDuration)
        .default(15_000, '15s'),
    )
    .option('--verbose', 'print each request on stderr')
    .option('--json', 'print a JSON document')
    .action(async (options: ServerOptions) => {
      const report = await checkServer({
        baseUrl: options.baseUrl,
        include: options.include,
        timeoutMs: options.timeout,
        tool: options.tool,
        waitSessionExpiryMs: options.waitSessionExpiry,
        onExchange: options.verbose
          ? (exchange) =>
              context.stderr.write(
                `POST ${exchange.path} -> ${exchange.status} (${exchange.receivedAt - exchange.sentAt} ms)\n`,
              )
          : undefined,
      })
      outputFor(context, options).result(report, () => describeServerReport(report))
      if (report.verdict === 'fail')
        throw new ExitError(1, 'The server did not answer as documented.')
    })
}

function baseUrlOption(value: string): string {
  try {
    return new URL(value).toString().replace(/\/$/, '')
  } catch {
    throw new InvalidArgumentError('must be a URL, e.g. http://127.0.0.1:8787')
  }
}

function groupsOption(value: string): ServerCheckGroup[] {
  const names = value.split(',').map((name) => name.trim())
  const unknown = names.filter((name) => !Object.hasOwn(serverCheckGroups, name))
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(
      `must be groups among ${Object.keys(serverCheckGroups).join(', ')}, e.g. credits,tools`,
    )
  return names as ServerCheckGroup[]
}

function toolOption(value: string): { product: string; action: string } {
  const [product, action, ...rest] = value.split('/')
  if (!product || !action || rest.length > 0)
    throw new InvalidArgumentError('must be product/action, e.g. echo/echo')
  return { product, action }
}
