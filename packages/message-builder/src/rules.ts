/**
 * The rules for the values that go into a signed message and an endpoint's path, each written
 * once: the message builders, `apiPaths`, jobs-client, the sandbox and the CLI all ask these, so
 * that every entry point accepts or refuses a value alike.
 *
 * @module
 */

/**
 * The kinds of value a rule exists for:
 * - `line`: any field of a message line (`session`, `request`, `action`, ...): a non-empty string
 *   without `\r` or `\n` (a line break would inject a line) and without a lone surrogate (the
 *   message is signed as UTF-8);
 * - `sessionNonce`, `requestId`: a `line`;
 * - `pathSegment`: a path parameter (`workflowId`, a tool's slugs): a non-empty, well-formed
 *   string of at most 256 characters, without control characters, other than `.` and `..`,
 *   which a URL resolves into another path;
 * - `jobId`: both a `line` (it is the `product:` line) and a `pathSegment`, and not `-`, which
 *   stands for "no product";
 * - `wallet`: `0x` and 40 hexadecimal characters.
 *
 * @example
 * ```ts
 * import type { FieldRule } from '@agentpmt-kit/message-builder'
 *
 * const rule: FieldRule = 'jobId'
 * ```
 */
export type FieldRule = 'line' | 'sessionNonce' | 'requestId' | 'pathSegment' | 'jobId' | 'wallet'

const walletPattern = /^0x[0-9a-fA-F]{40}$/
/** Ids name things: printable, and short enough for a log line and a URL. */
const maxIdLength = 256
const controlCharacter = /[\u0000-\u001f\u007f]/

/**
 * What is wrong with `value` under `rule`, in words that complete "must ...", or `undefined`
 * when it is fine.
 *
 * @example
 * ```ts
 * import { fieldProblem } from '@agentpmt-kit/message-builder'
 *
 * fieldProblem('jobId', 'job_1') // undefined
 * fieldProblem('jobId', '-') // 'not be "-", which stands for no product'
 * fieldProblem('pathSegment', '..') // 'not be "." or "..", which a URL resolves into another path'
 * ```
 */
export function fieldProblem(rule: FieldRule, value: unknown): string | undefined {
  if (typeof value !== 'string') return `be a string, not ${value === null ? 'null' : typeof value}`
  if (rule === 'wallet')
    return walletPattern.test(value) ? undefined : 'be 0x followed by 40 hexadecimal characters'
  if (value === '') return 'not be empty'
  if (!value.isWellFormed()) return 'not contain a lone surrogate (it cannot be encoded as UTF-8)'
  if (rule !== 'pathSegment' && /[\r\n]/.test(value))
    return 'not contain a line break (\\r or \\n): it would inject a line'
  if (rule === 'pathSegment' || rule === 'jobId') {
    if (value === '.' || value === '..')
      return 'not be "." or "..", which a URL resolves into another path'
    if (value.length > maxIdLength) return `be at most ${maxIdLength} characters`
    if (controlCharacter.test(value)) return 'not contain a control character'
  }
  if (rule === 'jobId' && value === '-') return 'not be "-", which stands for no product'
  return undefined
}

/**
 * Whether `value` is a wallet address (`0x` + 40 hex, any case).
 *
 * @example
 * ```ts
 * import { isAddress } from '@agentpmt-kit/message-builder'
 *
 * isAddress('0x70997970C51812dc3A010C7d01b50e0d17dc79C8') // true
 * ```
 */
export function isAddress(value: unknown): value is `0x${string}` {
  return typeof value === 'string' && walletPattern.test(value)
}
