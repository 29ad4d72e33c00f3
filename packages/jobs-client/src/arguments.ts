import { BaseError } from '@agentpmt-kit/canonical-json'
import { type FieldRule, fieldProblem, isAddress } from '@agentpmt-kit/message-builder'
import { isReservation, type Reservation } from './Reservation.js'

/**
 * Checks the options of `createJobsClient` before anything is sent: a signer with an address and
 * `signMessage`, an http(s) base URL, `secrets` as strings.
 *
 * @internal
 */
export function checkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgumentError({
      argument: 'options',
      reason: 'must be an object with a signer',
    })
  const { signer, baseUrl, fetch, secrets } = options as {
    signer?: unknown
    baseUrl?: unknown
    fetch?: unknown
    secrets?: unknown
  }
  const candidate = signer as { address?: unknown; signMessage?: unknown } | null | undefined
  const wrapper = wrapperFor(candidate)
  if (wrapper !== undefined) throw new InvalidArgumentError({ argument: 'signer', reason: wrapper })
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.address !== 'string' ||
    !isAddress(candidate.address) ||
    typeof candidate.signMessage !== 'function'
  )
    throw new InvalidArgumentError({
      argument: 'signer',
      reason:
        'must have an address (0x + 40 hex) and signMessage(message); see @agentpmt-kit/signer-viem or signer-ethers',
    })
  if (fetch !== undefined && typeof fetch !== 'function')
    throw new InvalidArgumentError({ argument: 'fetch', reason: 'must be a fetch function' })
  if (
    secrets !== undefined &&
    !(Array.isArray(secrets) && secrets.every((secret) => typeof secret === 'string'))
  )
    throw new InvalidArgumentError({ argument: 'secrets', reason: 'must be an array of strings' })
  if (baseUrl !== undefined && !isHttpUrl(baseUrl))
    throw new InvalidArgumentError({ argument: 'baseUrl', reason: 'must be an http(s) URL' })
}

/**
 * What to wrap a wallet library's object in, when one is passed where a `MessageSigner` belongs
 * (its `signMessage` takes other arguments, so it would fail at the first signature).
 */
function wrapperFor(candidate: unknown): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return undefined
  if (typeof (candidate as { then?: unknown }).then === 'function')
    return 'is a promise: await it first (createEthersSigner is async: const signer = await createEthersSigner(wallet))'
  const has = (name: string): boolean => name in candidate
  if (has('type') && has('signMessage') && (has('publicKey') || has('source')))
    return 'is a viem account: wrap it, createViemSigner(account) from @agentpmt-kit/signer-viem'
  if (has('transport') && has('request'))
    return 'is a viem wallet client: wrap it, createViemSigner(walletClient) from @agentpmt-kit/signer-viem'
  if (has('signingKey') || (has('provider') && has('signMessage') && has('getAddress')))
    return 'is an ethers signer: wrap it, await createEthersSigner(wallet) from @agentpmt-kit/signer-ethers'
  return undefined
}

/**
 * Checks a job id before it goes into a path and a signed message (message-builder's `jobId`
 * rule: the same one the message builders, `apiPaths` and the sandbox apply).
 *
 * @internal
 */
export function checkJobId(jobId: unknown): asserts jobId is string {
  checkField('jobId', 'jobId', jobId)
}

/**
 * Checks an id that goes into a path (message-builder's `pathSegment` rule): a URL would resolve
 * `.` and `..` into another endpoint.
 *
 * @internal
 */
export function checkPathSegment(argument: string, value: unknown): asserts value is string {
  checkField(argument, 'pathSegment', value)
}

function checkField(argument: string, rule: FieldRule, value: unknown): void {
  const problem = fieldProblem(rule, value)
  if (problem !== undefined) throw new InvalidArgumentError({ argument, reason: `must ${problem}` })
}

/**
 * Checks that a value is a reservation this client's `reserve` returned.
 *
 * @internal
 */
export function checkReservation(value: unknown): asserts value is Reservation {
  if (!isReservation(value))
    throw new InvalidArgumentError({
      argument: 'reservation',
      reason: 'must be the Reservation that reserve() returned',
    })
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * An argument the client cannot use; nothing was sent.
 *
 * @example
 * ```ts
 * import { createJobsClient, InvalidArgumentError } from '@agentpmt-kit/jobs-client'
 *
 * try {
 *   createJobsClient({ signer: undefined as never })
 * } catch (error) {
 *   if (error instanceof InvalidArgumentError) error.argument // 'signer'
 * }
 * ```
 */
export class InvalidArgumentError extends BaseError {
  override name = 'JobsClient.InvalidArgumentError'
  /** The argument that was refused. */
  readonly argument: string
  constructor({ argument, reason }: { argument: string; reason: string }) {
    super(`Invalid argument "${argument}": ${reason}.`, {
      docsPath: '/documents/Run_the_job_loop.html#errors',
    })
    this.argument = argument
  }
}
