import type { JobsClient } from '@agentpmt-kit/jobs-client'
import { type Command, InvalidArgumentError } from 'commander'
import type { Context } from '../../context.js'
import { InputError } from '../../input.js'
import { fetchNotingHost } from '../../internal/requestHost.js'
import { keyOf, signerFromEnv } from '../../key.js'
import { createTrace, traceLines } from '../../trace.js'

/** The production API. */
export const defaultBaseUrl = 'https://www.agentpmt.com'

/** The environment variable that names the API when `--base-url` is not given. */
export const baseUrlVariable = 'AGENTPMT_BASE_URL'

/**
 * The API a command talks to and where that came from: `--base-url`, else `AGENTPMT_BASE_URL`,
 * else the production default.
 *
 * @example
 * ```ts
 * import type { BaseUrlChoice } from './client.js'
 *
 * const choice: BaseUrlChoice = { url: 'http://127.0.0.1:8787', from: 'AGENTPMT_BASE_URL' }
 * ```
 */
export type BaseUrlChoice = { url: string; from: '--base-url' | 'AGENTPMT_BASE_URL' | 'default' }

/**
 * The choice of each run, for its JSON error (see `run`), by the run's environment: the one
 * object that `run` and the program it creates share.
 */
const choices = new WeakMap<Context['env'], BaseUrlChoice>()

/**
 * Chooses the base URL of a `jobs` command: `--base-url`, else `AGENTPMT_BASE_URL` (checked like
 * the flag), else production. The choice is remembered for the run's error output.
 *
 * @throws {InputError} when `AGENTPMT_BASE_URL` is set but not an http(s) URL.
 *
 * @example
 * ```ts
 * import { chooseBaseUrl } from './client.js'
 *
 * declare const context: Parameters<typeof chooseBaseUrl>[0]
 * chooseBaseUrl(context, {}) // { url: 'https://www.agentpmt.com', from: 'default' } without the variable
 * ```
 */
export function chooseBaseUrl(
  context: Context,
  options: { baseUrl?: string | undefined },
): BaseUrlChoice {
  const fromEnv = context.env[baseUrlVariable]?.trim()
  let choice: BaseUrlChoice
  if (options.baseUrl !== undefined) choice = { url: options.baseUrl, from: '--base-url' }
  else if (fromEnv) {
    try {
      choice = { url: baseUrl(fromEnv), from: baseUrlVariable }
    } catch {
      throw new InputError(
        `${baseUrlVariable} must be an http(s) URL, e.g. https://www.agentpmt.com (it is ${JSON.stringify(fromEnv.slice(0, 80))}).`,
      )
    }
  } else choice = { url: defaultBaseUrl, from: 'default' }
  choices.set(context.env, choice)
  return choice
}

/**
 * The base URL a `jobs` command of this run chose, if one did.
 *
 * @example
 * ```ts
 * import { baseUrlUsedBy } from './client.js'
 *
 * declare const context: Parameters<typeof baseUrlUsedBy>[0]
 * baseUrlUsedBy(context)?.from // '--base-url' | 'AGENTPMT_BASE_URL' | 'default'
 * ```
 */
export function baseUrlUsedBy(context: Context): BaseUrlChoice | undefined {
  return choices.get(context.env)
}

/**
 * The line that says which API a command talks to, on stderr in text mode when it did not come
 * from `--base-url` (never with `--json`: there the JSON error names it).
 *
 * @example
 * ```ts
 * import { baseUrlLine } from './client.js'
 *
 * baseUrlLine({ url: 'https://www.agentpmt.com', from: 'default' })
 * // 'API https://www.agentpmt.com (the default; --base-url or AGENTPMT_BASE_URL to change it)'
 * ```
 */
export function baseUrlLine(choice: BaseUrlChoice): string {
  const from =
    choice.from === 'default'
      ? `the default; --base-url or ${baseUrlVariable} to change it`
      : `from ${choice.from}`
  return `API ${choice.url} (${from})`
}

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
export type JobsCommonOptions = { baseUrl?: string; verbose?: boolean; json?: boolean }

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
    .option(
      '--base-url <url>',
      `API base URL (default $${baseUrlVariable}, else ${defaultBaseUrl})`,
      baseUrl,
    )
    .option('--verbose', 'print each signed message and HTTP status on stderr')
    .option('--json', 'print a JSON document')
}

/**
 * A jobs client for the key in `AGENTPMT_PRIVATE_KEY`, on the base URL of {@link chooseBaseUrl}
 * (named on stderr in text mode unless given by `--base-url`); with `--verbose`, every signed message and HTTP status goes to
 * stderr (never the key or a signature).
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
  const choice = chooseBaseUrl(context, options)
  const [signer, { createJobsClient }] = await Promise.all([
    signerFromEnv(context.env),
    import('@agentpmt-kit/jobs-client'),
  ])
  // An explicit --base-url is what the user typed; the others may surprise (production, or a
  // variable set long ago), so they are named.
  if (!options.json && choice.from !== '--base-url')
    context.stderr.write(`${baseUrlLine(choice)}\n`)
  const baseUrl = choice.url
  // A failed request can then name the host it could not reach (see errorLine).
  const fetch = fetchNotingHost(globalThis.fetch)
  // The key never leaves in a request, wherever it was pasted (a job id, a proof).
  const key = keyOf(context.env)
  const secrets = key === undefined ? [] : [key]
  if (!options.verbose) return createJobsClient({ signer, fetch, baseUrl, secrets })
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
    baseUrl,
    secrets,
  })
}

function baseUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new InvalidArgumentError('must be an http(s) URL, e.g. https://www.agentpmt.com')
  return value.replace(/\/+$/, '')
}
