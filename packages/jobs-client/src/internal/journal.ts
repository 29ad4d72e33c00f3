import { InvalidArgumentError } from '../arguments.js'

const walletPattern = /^0x[0-9a-fA-F]{40}$/

/**
 * Checks a wallet address given to a journal and returns it in lower case, the form entries and
 * folders use (a checksummed and a lower-case address are the same wallet).
 *
 * @internal
 */
export function journalWallet(wallet: unknown): string {
  if (typeof wallet !== 'string' || !walletPattern.test(wallet))
    throw new InvalidArgumentError({
      argument: 'wallet',
      reason: 'must be an address (0x + 40 hex)',
    })
  return wallet.toLowerCase()
}

/**
 * Checks a job id given to a journal. Any non-empty, well-formed string is a job id here; a lone
 * surrogate is refused because it has no UTF-8 form, so two such ids could share a file name.
 *
 * @internal
 */
export function journalJobId(jobId: unknown): string {
  if (typeof jobId !== 'string' || jobId === '' || !jobId.isWellFormed())
    throw new InvalidArgumentError({
      argument: 'jobId',
      reason: 'must be a non-empty string without lone surrogates',
    })
  return jobId
}

/**
 * Orders the entries of a wallet for `list`: oldest record first, then by job id, so that a resume
 * command sees the same order from every journal.
 *
 * @internal
 */
export function byUpdatedAt(
  a: { updatedAt: string; jobId: string },
  b: { updatedAt: string; jobId: string },
): number {
  const time = Date.parse(a.updatedAt) - Date.parse(b.updatedAt)
  if (time !== 0) return time
  return a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0
}
