import type { JobsClient } from '@agentpmt-kit/jobs-client'
import { type Command, InvalidArgumentError } from 'commander'
import type { Context } from '../../context.js'
import { fetchNotingHost } from '../../internal/requestHost.js'
import { signerFromEnv } from '../../key.js'
import { createTrace, traceLines } from '../../trace.js'

/** The production API. */
export const defaultBaseUrl = 'https://www.agentpmt.com'

/**
 * Options every `jobs` command takes.
 *
 * @example
 * ```ts
 * import type { JobsCommonOptions } from './client.js'
 *
 * const options: JobsCommonOptions = { baseUrl: 'http://127.0.0.1:8787' }
 * ```
 */
export type JobsCommonOptions = { baseUrl: string; verbose?: boolean; json?: boolean }

/**
 * Adds `--base-url`, `--verbose` and `--json` to a `jobs` subcommand.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { withJobsOptions } from './client.js'
 *
 * withJobsOptions(new Command('list'))
 * ```
 */
export function withJobsOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'API base URL', baseUrl, defaultBaseUrl)
    .option('--verbose', 'print each signed message and HTTP status on stderr')
    .option('--json', 'print a JSON document')
}

/**
 * A jobs client for the key in `AGENTPMT_PRIVATE_KEY`; with `--verbose`, every signed message
 * and HTTP status goes to stderr (never the key or a signature).
 *
 * @example
 * ```ts
 * import { openClient } from './client.js'
 *
 * declare const context: Parameters<typeof openClient>[0]
 * const client = await openClient(context, { baseUrl: 'http://127.0.0.1:8787' })
 * ```
 */
export async function openClient(
  context: Context,
  options: JobsCommonOptions,
): Promise<JobsClient> {
  const [signer, { createJobsClient }] = await Promise.all([
    signerFromEnv(context.env),
    import('@agentpmt-kit/jobs-client'),
  ])
  // A failed request can then name the host it could not reach (see errorLine).
  const fetch = fetchNotingHost(globalThis.fetch)
  if (!options.verbose) return createJobsClient({ signer, fetch, baseUrl: options.baseUrl })
  const trace = createTrace(
    signer,
    (event) => {
      for (const line of traceLines(event)) context.stderr.write(`${line}\n`)
    },
    fetch,
  )
  return createJobsClient({
    signer: trace.signer,
    logger: trace.logger,
    fetch: trace.fetch,
    baseUrl: options.baseUrl,
  })
}

function baseUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InvalidArgumentError('must be an http(s) URL, e.g. https://www.agentpmt.com')
  return value.replace(/\/+$/, '')
}
