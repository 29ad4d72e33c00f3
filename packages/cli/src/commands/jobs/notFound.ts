import { BaseError } from '@agentpmt-kit/canonical-json'
import { NotFoundError } from '@agentpmt-kit/error-recovery'

/** The command that lists the jobs a wallet can take: the next step after a wrong job id. */
export const listCommand = 'agentpmt jobs list'

/**
 * A job id the server does not know, with the command that lists the ones it does. Its cause is
 * the server's `NotFoundError`, so the exit code stays the not-found one.
 *
 * @example
 * ```ts
 * import { NotFoundError } from '@agentpmt-kit/error-recovery'
 * import { JobNotFoundError } from './notFound.js'
 *
 * declare const cause: NotFoundError
 * new JobNotFoundError('job_nope', cause).shortMessage
 * // 'Not found. (HTTP 404 EXTERNAL_NOT_FOUND): Job job_nope not found. List the open jobs with: agentpmt jobs list'
 * ```
 */
export class JobNotFoundError extends BaseError {
  override name = 'Cli.JobNotFoundError'
  readonly jobId: string
  constructor(jobId: string, cause: NotFoundError) {
    const said = cause.detail
      ? `${cause.shortMessage.replace(/\.$/, '')}: ${cause.detail}`
      : cause.shortMessage
    // The server's words come first and whole; `details` is empty so that no line repeats them.
    super(`${said.replace(/\.?$/, '.')} List the open jobs with: ${listCommand}`, {
      cause,
      details: '',
      docsPath: cause.docsPath,
    })
    this.jobId = jobId
  }
}

/**
 * `error` with the next command named: a {@link JobNotFoundError} for a server's
 * `NotFoundError`, anything else as it is.
 *
 * @example
 * ```ts
 * import { withNextCommand } from './notFound.js'
 *
 * try {
 *   await Promise.reject(new Error('boom'))
 * } catch (error) {
 *   throw withNextCommand(error, 'job_nope')
 * }
 * ```
 */
export function withNextCommand(error: unknown, jobId: string): unknown {
  return error instanceof NotFoundError ? new JobNotFoundError(jobId, error) : error
}
