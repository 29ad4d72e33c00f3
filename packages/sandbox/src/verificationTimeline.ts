import type { VerificationStatus } from '@agentpmt-kit/message-builder'
import type { VerificationOutcome } from './seedJobs.js'

/**
 * Where a submission's verification stands at `now`, with the time of its last change: `queued`
 * for one delay, `running` for the next, then the outcome. A `transient_error` lasts two more
 * delays, after which the verifier's retry succeeds and the submission is `verified`.
 *
 * @example
 * ```ts
 * import { verificationAt } from '@agentpmt-kit/sandbox'
 *
 * verificationAt({ submittedAt: 0, now: 450, delayMs: 300, outcome: 'verified' })
 * // { status: 'running', changedAt: 300 }
 * ```
 */
export function verificationAt(input: {
  submittedAt: number
  now: number
  delayMs: number
  outcome: VerificationOutcome
}): { status: VerificationStatus; changedAt: number } {
  const { submittedAt, now, delayMs, outcome } = input
  const at = (delays: number): number => submittedAt + delays * delayMs
  if (now < at(1)) return { status: 'queued', changedAt: submittedAt }
  if (now < at(2)) return { status: 'running', changedAt: at(1) }
  if (outcome !== 'transient_error') return { status: outcome, changedAt: at(2) }
  if (now < at(4)) return { status: 'transient_error', changedAt: at(2) }
  return { status: 'verified', changedAt: at(4) }
}
