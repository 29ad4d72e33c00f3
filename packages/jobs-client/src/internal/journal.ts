import { isAddress } from '@agentpmt-kit/message-builder'
import { checkJobId, InvalidArgumentError } from '../arguments.js'

/**
 * Checks a wallet address given to a journal and returns it in lower case, the form entries and
 * folders use (a checksummed and a lower-case address are the same wallet).
 *
 * @internal
 */
export function journalWallet(wallet: unknown): string {
  if (!isAddress(wallet))
    throw new InvalidArgumentError({
      argument: 'wallet',
      reason: 'must be an address (0x + 40 hex)',
    })
  return wallet.toLowerCase()
}

/**
 * Checks a job id given to a journal: the `jobId` rule every entry point applies.
 *
 * @internal
 */
export function journalJobId(jobId: unknown): string {
  checkJobId(jobId)
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
