import { BaseError } from '@agentpmt-kit/canonical-json'
import {
  ApiError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ProofInvalidError,
  RateLimitedError,
  RequestInvalidError,
  SignatureError,
  TransportError,
  UnknownAuthError,
} from '@agentpmt-kit/error-recovery'
import { CommanderError } from 'commander'
import { usageExitCode } from './usage.js'

/**
 * What kind of failure ended a run; each has its exit code in {@link exitCodes}:
 *
 * - `usage`: the command line is wrong and nothing was done: an unknown command or flag, a
 *   missing, extra or malformed argument (a message field, a signature), a bad option value, a
 *   file that cannot be read or is not the JSON expected, a missing or malformed
 *   `AGENTPMT_PRIVATE_KEY`, a proof that the local check refuses before sending;
 * - `invalid`: the server refused the request or the proof as invalid;
 * - `failed`: the command ran and its answer is no (an invalid signature, a job that was not
 *   verified), or an error of no other class;
 * - `unknown`: this wallet has a submission whose verdict the command did not learn;
 * - `signature`: the server refused the signature or the session;
 * - `not_found`: the server does not know the job (or the path);
 * - `conflict`: the job is taken (another wallet's reservation or submission), or the
 *   reservation expired;
 * - `network`: no HTTP answer (refused, unreachable, timed out);
 * - `server`: the server failed or is overloaded (5xx, 429 after the retries), or its answer is
 *   not the API's.
 *
 * @example
 * ```ts
 * import type { ErrorClass } from '@agentpmt-kit/cli'
 *
 * const retryable = (kind: ErrorClass) => kind === 'network' || kind === 'server'
 * ```
 */
export type ErrorClass =
  | 'usage'
  | 'invalid'
  | 'failed'
  | 'unknown'
  | 'signature'
  | 'not_found'
  | 'conflict'
  | 'network'
  | 'server'

/**
 * The exit code of each {@link ErrorClass}; 0 is success. `usage` is 2, as in shells and most
 * tools: fix the command line and run it again, nothing was done. `invalid` and `failed` share 1,
 * the code every failure had before the classes existed.
 *
 * @example
 * ```ts
 * import { exitCodes } from '@agentpmt-kit/cli'
 *
 * exitCodes.network // 7
 * ```
 */
export const exitCodes: { readonly [kind in ErrorClass]: number } = {
  usage: usageExitCode,
  invalid: 1,
  failed: 1,
  unknown: 3,
  signature: 4,
  not_found: 5,
  conflict: 6,
  network: 7,
  server: 8,
}

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

/**
 * Errors that are the caller's input, found before anything is done, by `name`: the CLI's,
 * jobs-client's, and a message field or signature that cannot be what it was given as.
 */
const usageErrorNames = new Set([
  'Cli.InputError',
  'Cli.MissingKeyError',
  'Cli.InvalidKeyError',
  'JobsClient.InvalidArgumentError',
  'JobsClient.ProofCheckError',
  'JobsClient.SecretInRequestError',
  'MessageBuilder.InvalidMessageFieldError',
  'Signature.InvalidSignatureError',
])

/**
 * The class of an error that ended a run: the first error of its `cause` chain, outermost first,
 * that has one; `failed` when none has. jobs-client errors are told by `name`, so that the CLI
 * loads jobs-client only for the commands that use it.
 *
 * @example
 * ```ts
 * import { errorClassOf } from '@agentpmt-kit/cli'
 *
 * errorClassOf(new Error('boom')) // 'failed'
 * ```
 */
export function errorClassOf(error: unknown): ErrorClass {
  const seen = new Set<unknown>()
  for (let current = error; current instanceof Error && !seen.has(current); ) {
    seen.add(current)
    const kind = ownClassOf(current)
    if (kind !== undefined) return kind
    current = current.cause
  }
  return 'failed'
}

function ownClassOf(error: Error): ErrorClass | undefined {
  if (error instanceof ExitError) return undefined
  if (error instanceof CommanderError) return 'usage'
  if (usageErrorNames.has(error.name)) return 'usage'
  if (error.name === 'JobsClient.CompletionUnknownError') return 'unknown'
  if (error.name === 'JobsClient.CompletionAlreadySentError')
    return (error as { reason?: unknown }).reason === 'in-progress' ? 'unknown' : 'conflict'
  if (error.name === 'JobsClient.SignatureRejectedError') return 'signature'
  if (error.name === 'JobsClient.NoSubmissionError') return 'not_found'
  if (error.name === 'JobsClient.ReservationDeadlineError') return 'conflict'
  if (error.name === 'JobsClient.InvalidResponseError') return 'server'
  if (error.name === 'JobsClient.ResponseTooLargeError') return 'server'
  if (error instanceof TransportError) return 'network'
  if (!(error instanceof ApiError)) return undefined
  if (error instanceof SignatureError || error instanceof UnknownAuthError) return 'signature'
  if (error instanceof NotFoundError) return 'not_found'
  if (error instanceof ConflictError) return 'conflict'
  if (error instanceof RateLimitedError || error.status >= 500) return 'server'
  if (
    error instanceof RequestInvalidError ||
    error instanceof ProofInvalidError ||
    error instanceof PayloadTooLargeError
  )
    return 'invalid'
  return 'failed'
}
