import { BaseError } from '@agentpmt-kit/canonical-json'

/**
 * Ends a command with a non-zero exit code after it has printed its own answer (an invalid
 * signature, a job that was not verified): `run` prints nothing more for it.
 *
 * @example
 * ```ts
 * import { ExitError } from '@agentpmt-kit/cli'
 *
 * throw new ExitError(1, 'The signature is not valid.')
 * ```
 */
export class ExitError extends BaseError {
  override name = 'Cli.ExitError'
  /** The process exit code. */
  readonly exitCode: number
  constructor(exitCode: number, shortMessage: string) {
    super(shortMessage)
    this.exitCode = exitCode
  }
}
