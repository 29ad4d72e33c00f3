import { BaseError } from '@agentpmt-kit/canonical-json'
import { ApiError } from '@agentpmt-kit/error-recovery'
import { CommanderError } from 'commander'
import { baseUrlUsedBy } from './commands/jobs/client.js'
import type { Context } from './context.js'
import { ExitError, errorClassOf, exitCodes } from './exit.js'
import { errorLine } from './output.js'
import { UsageError } from './usage.js'

/** Where `docsPath` values of our errors are published. */
const docsBaseUrl = 'https://agentpmt-kit.github.io/agentpmt-kit'

/**
 * Prints an error that ended a run (one line, or with `json` one JSON object on stderr) and
 * returns the exit code of its class.
 *
 * @example
 * ```ts
 * import { reportError } from './errorReport.js'
 *
 * declare const context: Parameters<typeof reportError>[1]
 * process.exitCode = reportError(new Error('boom'), context, false) // 1
 * ```
 */
export function reportError(error: unknown, context: Context, json: boolean): number {
  if (error instanceof ExitError) return error.exitCode
  // Printed where it happened: one line naming the fix, or the help of a missing command.
  if (error instanceof UsageError && !json) return exitCodes.usage
  const kind = errorClassOf(error)
  context.stderr.write(
    json ? `${JSON.stringify({ error: errorObject(error, context) })}\n` : `${errorLine(error)}\n`,
  )
  return exitCodes[kind]
}

/**
 * The JSON form of an error: its class (`code`) and exit code, its name and one-line message,
 * and what else is known about it: the HTTP status, the server's `error_code`, the docs page,
 * the base URL the jobs commands used and where it came from.
 */
function errorObject(error: unknown, context: Context): Record<string, unknown> {
  const kind = errorClassOf(error)
  const message = errorLine(error).replace(/^error: /, '')
  const api =
    error instanceof BaseError ? error.walk((cause) => cause instanceof ApiError) : undefined
  const docsPath = error instanceof BaseError ? error.docsPath : undefined
  const used = baseUrlUsedBy(context)
  return {
    code: kind,
    exitCode: exitCodes[kind],
    name:
      error instanceof CommanderError
        ? 'Cli.UsageError'
        : error instanceof Error
          ? error.name
          : 'Error',
    message,
    ...(api instanceof ApiError ? { status: api.status, errorCode: api.errorCode ?? null } : {}),
    ...(docsPath === undefined ? {} : { docsUrl: `${docsBaseUrl}${docsPath}` }),
    ...(used === undefined ? {} : { baseUrl: used.url, baseUrlFrom: used.from }),
  }
}
