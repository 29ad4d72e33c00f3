/**
 * The id of one check of `agentpmt conformance run`: one per capability's cases (the `refuse`
 * capability has two, its must-refuse cases `refuse` and its must-accept cases `accept`), and the
 * rules of the verdict. Every case names the check it belongs to; the verdict is `pass` exactly
 * when no check fails.
 *
 * @example
 * ```ts
 * import type { RunCheckId } from '@agentpmt-kit/conformance'
 *
 * const id: RunCheckId = 'at-least-one-case'
 * ```
 */
export type RunCheckId =
  | 'canonicalize'
  | 'hash'
  | 'message'
  | 'sign'
  | 'recover'
  | 'request'
  | 'refuse'
  | 'accept'
  | 'adapter-starts'
  | 'process-errors'
  | 'at-least-one-case'
  | 'required-not-skipped'

/**
 * What one check of a run came to: `n/a` when nothing it judges happened (a capability not
 * declared or every case skipped, no `require`, an adapter that never started).
 *
 * @example
 * ```ts
 * import type { RunCheck } from '@agentpmt-kit/conformance'
 *
 * const check: RunCheck = { id: 'hash', status: 'pass', detail: '172 cases passed' }
 * ```
 */
export type RunCheck = { id: RunCheckId; status: 'pass' | 'fail' | 'n/a'; detail: string }

/**
 * Every check of the run role, in report order, with what makes it fail: the list a test of the
 * suite enumerates to prove that each check can fail.
 *
 * @example
 * ```ts
 * import { runChecks } from '@agentpmt-kit/conformance'
 *
 * runChecks.map((check) => check.id).includes('required-not-skipped') // true
 * ```
 */
export const runChecks: readonly { id: RunCheckId; failsWhen: string }[] = [
  { id: 'adapter-starts', failsWhen: 'the adapter does not answer start with {"ready": true}' },
  { id: 'canonicalize', failsWhen: 'a canonical form differs from the vectors' },
  { id: 'hash', failsWhen: 'a SHA-256 of a canonical form differs' },
  { id: 'message', failsWhen: 'a message text differs' },
  { id: 'sign', failsWhen: 'an address or signature differs' },
  { id: 'recover', failsWhen: 'a verdict or recovered address differs' },
  { id: 'request', failsWhen: 'a path, payload, hash, message, signature, body or header differs' },
  { id: 'refuse', failsWhen: 'an input that must be refused is accepted' },
  { id: 'accept', failsWhen: 'a valid input that looks suspicious is refused' },
  {
    id: 'process-errors',
    failsWhen: 'a case ends in a crash, a timeout or a line that is not its answer',
  },
  { id: 'at-least-one-case', failsWhen: 'no case was answered: everything skipped or undeclared' },
  {
    id: 'required-not-skipped',
    failsWhen: 'a required capability is undeclared or has every case skipped',
  },
]
