import { BaseError, canonicalHash } from '@agentpmt-kit/canonical-json'
import { fieldProblem, isAddress } from './rules.js'
import type { Hex } from './Signer.js'

/**
 * The first line of every signed message.
 *
 * @example
 * ```ts
 * import { messagePrefix } from '@agentpmt-kit/message-builder'
 *
 * messagePrefix // 'agentpmt-external'
 * ```
 */
export const messagePrefix = 'agentpmt-external'

/**
 * The scope lines of a message: an action on a product for scoped endpoints (jobs, balance), or a
 * method and path for tool invokes.
 *
 * @example
 * ```ts
 * import type { Scope } from '@agentpmt-kit/message-builder'
 *
 * const reserve: Scope = { action: 'job_reserve', product: 'job_123' }
 * const invoke: Scope = { method: 'POST', path: '/external/tools/acme/actions/run/invoke' }
 * ```
 */
export type Scope = ActionScope | PathScope

/**
 * `action:` and `product:` lines; `product` is `-` when the endpoint has none.
 *
 * @example
 * ```ts
 * import type { ActionScope } from '@agentpmt-kit/message-builder'
 *
 * const list: ActionScope = { action: 'job_list' } // product: -
 * ```
 */
export type ActionScope = { action: string; product?: string | undefined }

/**
 * `method:` and `path:` lines of a tool invoke.
 *
 * @example
 * ```ts
 * import type { PathScope } from '@agentpmt-kit/message-builder'
 *
 * const scope: PathScope = { method: 'POST', path: '/external/tools/acme/actions/run/invoke' }
 * ```
 */
export type PathScope = { method: string; path: string }

/**
 * Input of {@link buildMessage}. Give exactly one of `payload` (the object that is sent, hashed
 * here in raw canonical form; `null` for an endpoint without a payload, which leaves the line
 * empty) or `payloadHash` (64 hex characters computed elsewhere).
 *
 * @example
 * ```ts
 * import type { MessageInput } from '@agentpmt-kit/message-builder'
 *
 * const input: MessageInput = {
 *   wallet: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   session: 'nonce-1',
 *   request: 'req-1',
 *   scope: { action: 'job_list' },
 *   payload: { limit: 50, skip: 0 },
 * }
 * ```
 */
export type MessageInput = {
  /** Wallet address, `0x` + 40 hex characters in any case; written lower-case. */
  wallet: string
  /** `session_nonce` from `POST /api/external/auth/session`. */
  session: string
  /** A fresh `request_id` for every request. */
  request: string
  scope: Scope
} & (
  | { payload: Readonly<Record<string, unknown>> | null; payloadHash?: undefined }
  | { payloadHash: string; payload?: undefined }
)

/**
 * A message taken apart by {@link parseMessage}; `payloadHash` is `null` for an empty line.
 *
 * @example
 * ```ts
 * import { parseMessage, type MessageFields } from '@agentpmt-kit/message-builder'
 *
 * declare const text: string
 * const fields: MessageFields = parseMessage(text)
 * ```
 */
export type MessageFields = {
  wallet: Hex
  session: string
  request: string
  scope: { action: string; product: string } | PathScope
  payloadHash: string | null
}

const hashPattern = /^[0-9a-fA-F]{64}$/
const methodPattern = /^[A-Za-z]+$/

/**
 * Builds the exact text to sign for a request: seven lines joined by `\n`, no trailing newline.
 * Refuses, with an {@link InvalidMessageFieldError} naming the field, anything that would make
 * the server read a different message than the one meant: a wallet that is not `0x` + 40 hex, an
 * empty field, a `\r` or `\n` inside a field, a payload hash that is not 64 hex characters.
 *
 * @example
 * ```ts
 * import { buildMessage } from '@agentpmt-kit/message-builder'
 *
 * buildMessage({
 *   wallet: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   session: 'nonce-1',
 *   request: 'req-1',
 *   scope: { action: 'job_list' },
 *   payload: { limit: 50, skip: 0 },
 * })
 * // agentpmt-external
 * // wallet:0x70997970c51812dc3a010c7d01b50e0d17dc79c8
 * // session:nonce-1
 * // request:req-1
 * // action:job_list
 * // product:-
 * // payload:<sha256 of {"limit":50,"skip":0}>
 * ```
 */
export function buildMessage(input: MessageInput): string {
  if (typeof input !== 'object' || input === null)
    throw new InvalidMessageFieldError({
      field: 'input',
      reason: 'must be an object with wallet, session, request, scope and payload',
    })
  const scope = scopeOf(input.scope)
  const scopeLines =
    'action' in scope
      ? [
          `action:${field('action', scope.action)}`,
          `product:${scope.product === undefined ? '-' : field('product', scope.product)}`,
        ]
      : [`method:${method(scope.method)}`, `path:${path(scope.path)}`]
  return [
    messagePrefix,
    `wallet:${wallet(input.wallet)}`,
    `session:${field('session', input.session)}`,
    `request:${field('request', input.request)}`,
    ...scopeLines,
    `payload:${payloadLine(input)}`,
  ].join('\n')
}

function scopeOf(scope: unknown): Scope {
  const isObject = typeof scope === 'object' && scope !== null
  if (!isObject || 'action' in scope === 'method' in scope)
    throw new InvalidMessageFieldError({
      field: 'scope',
      reason: 'must be either { action, product? } or { method, path }',
    })
  // A key of the other kind of scope would be dropped from what is signed: refuse it instead.
  const allowed = 'action' in scope ? ['action', 'product'] : ['method', 'path']
  const stray = Object.keys(scope).find(
    (key) => !allowed.includes(key) && (scope as Record<string, unknown>)[key] !== undefined,
  )
  if (stray !== undefined)
    throw new InvalidMessageFieldError({
      field: 'scope',
      reason: `"${stray}" is not part of a { ${allowed[0]}, ${allowed[1]} } scope`,
    })
  return scope as Scope
}

function wallet(value: string): Hex {
  const problem = fieldProblem('wallet', value)
  if (problem !== undefined)
    throw new InvalidMessageFieldError({ field: 'wallet', reason: `must ${problem}` })
  return value.toLowerCase() as Hex
}

function field(name: string, value: string): string {
  const problem = fieldProblem('line', value)
  if (problem !== undefined)
    throw new InvalidMessageFieldError({ field: name, reason: `must ${problem}` })
  return value
}

function method(value: string): string {
  field('method', value)
  if (!methodPattern.test(value))
    throw new InvalidMessageFieldError({ field: 'method', reason: 'must be an HTTP method name' })
  return value.toUpperCase()
}

function path(value: string): string {
  field('path', value)
  if (!value.startsWith('/'))
    throw new InvalidMessageFieldError({ field: 'path', reason: 'must start with /' })
  return value
}

function payloadLine(input: MessageInput): string {
  if (input.payloadHash !== undefined) {
    if (input.payload !== undefined)
      throw new InvalidMessageFieldError({
        field: 'payload',
        reason: 'give payload or payloadHash, not both',
      })
    if (typeof input.payloadHash !== 'string' || !hashPattern.test(input.payloadHash))
      throw new InvalidMessageFieldError({
        field: 'payloadHash',
        reason: 'must be 64 hexadecimal characters (SHA-256)',
      })
    return input.payloadHash.toLowerCase()
  }
  const { payload } = input
  if (payload === null) return ''
  if (typeof payload !== 'object' || Array.isArray(payload))
    throw new InvalidMessageFieldError({
      field: 'payload',
      reason: 'must be the JSON object that is sent (or null for an endpoint without one)',
    })
  return canonicalHash(payload)
}

const lineNames = ['prefix', 'wallet', 'session', 'request', 'scope', 'scope', 'payload'] as const

/**
 * Takes a signed message apart and checks every line, the inverse of {@link buildMessage}. A
 * message that `buildMessage` would not write is refused with a {@link MessageParseError} that
 * names the line (1-based) and what is wrong with it.
 *
 * @example
 * ```ts
 * import { parseMessage } from '@agentpmt-kit/message-builder'
 *
 * const fields = parseMessage(
 *   'agentpmt-external\nwallet:0x70997970c51812dc3a010c7d01b50e0d17dc79c8\nsession:s\nrequest:r\naction:job_status\nproduct:job_1\npayload:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
 * )
 * fields.scope // { action: 'job_status', product: 'job_1' }
 * ```
 */
export function parseMessage(text: string): MessageFields {
  if (typeof text !== 'string')
    throw new MessageParseError({ line: 0, reason: `expected a string, got ${typeof text}` })
  const lines = messageLines(text)
  const crlf = lines.findIndex((line) => line.raw.includes('\r'))
  if (crlf !== -1)
    throw new MessageParseError({
      line: crlf + 1,
      reason: 'contains \\r: lines are joined by \\n alone',
    })
  if (lines[0]?.raw !== messagePrefix)
    throw new MessageParseError({ line: 1, reason: `must be exactly "${messagePrefix}"` })
  const value = (index: number, label: string): string => {
    const line = lines[index]
    if (line === undefined)
      throw new MessageParseError({ line: index + 1, reason: `missing; expected "${label}:"` })
    if (line.name !== label || !line.raw.includes(':'))
      throw new MessageParseError({ line: index + 1, reason: `must start with "${label}:"` })
    return line.value
  }
  const walletValue = value(1, 'wallet')
  if (!isAddress(walletValue) || walletValue !== walletValue.toLowerCase())
    throw new MessageParseError({
      line: 2,
      reason: 'wallet must be 0x + 40 lower-case hex characters',
    })
  const session = nonEmpty(value(2, 'session'), 3)
  const request = nonEmpty(value(3, 'request'), 4)
  const scopeName = lines[4]?.raw.includes(':') ? lines[4].name : undefined
  const scope =
    scopeName === 'action'
      ? { action: nonEmpty(value(4, 'action'), 5), product: nonEmpty(value(5, 'product'), 6) }
      : scopeName === 'method'
        ? { method: nonEmpty(value(4, 'method'), 5), path: nonEmpty(value(5, 'path'), 6) }
        : undefined
  if (scope === undefined)
    throw new MessageParseError({
      line: 5,
      reason:
        lines[4] === undefined
          ? 'missing; expected "action:" or "method:"'
          : 'must start with "action:" or "method:"',
    })
  if ('method' in scope && !/^[A-Z]+$/.test(scope.method))
    throw new MessageParseError({ line: 5, reason: 'the method must be an upper-case HTTP method' })
  if ('path' in scope && !scope.path.startsWith('/'))
    throw new MessageParseError({ line: 6, reason: 'the path must start with /' })
  const hash = value(6, 'payload')
  if (hash !== '' && !/^[0-9a-f]{64}$/.test(hash))
    throw new MessageParseError({
      line: 7,
      reason: 'payload must be empty or 64 lower-case hex characters',
    })
  if (lines.length > 7)
    throw new MessageParseError({
      line: 8,
      reason: lines.slice(7).every((line) => line.raw === '')
        ? 'the message ends with a newline; it must end right after the payload line'
        : `expected 7 lines, found ${lines.length}`,
    })
  return {
    wallet: walletValue as Hex,
    session,
    request,
    scope,
    payloadHash: hash === '' ? null : hash,
  }
}

/**
 * One line of a message as written, read leniently (nothing is checked): its 1-based number, the
 * text as it is (`raw`), and for every line but the first the `name` before the first `:` and
 * the `value` after it (a line without `:` is all `name`). {@link parseMessage} and
 * error-recovery's diagnosis both read messages through it.
 *
 * @example
 * ```ts
 * import type { MessageLine } from '@agentpmt-kit/message-builder'
 *
 * const line: MessageLine = { line: 2, raw: 'wallet:0xabc', name: 'wallet', value: '0xabc' }
 * ```
 */
export type MessageLine = { line: number; raw: string; name: string; value: string }

/**
 * Splits a message into its lines (on `\n` alone, as it is signed) without checking them: the
 * first line is named `prefix`; the others are `name:value`.
 *
 * @example
 * ```ts
 * import { messageLines } from '@agentpmt-kit/message-builder'
 *
 * messageLines('agentpmt-external\nwallet:0xabc')[1] // { line: 2, raw: 'wallet:0xabc', name: 'wallet', value: '0xabc' }
 * ```
 */
export function messageLines(text: string): MessageLine[] {
  return text.split('\n').map((raw, index) => {
    if (index === 0) return { line: 1, raw, name: 'prefix', value: raw }
    const colon = raw.indexOf(':')
    return colon === -1
      ? { line: index + 1, raw, name: raw, value: '' }
      : { line: index + 1, raw, name: raw.slice(0, colon), value: raw.slice(colon + 1) }
  })
}

function nonEmpty(value: string, line: number): string {
  if (value === '') throw new MessageParseError({ line, reason: 'the value is empty' })
  return value
}

/**
 * A field of {@link buildMessage}'s input that cannot go into a signed message as it is.
 *
 * @example
 * ```ts
 * import { buildMessage, InvalidMessageFieldError } from '@agentpmt-kit/message-builder'
 *
 * try {
 *   buildMessage({ wallet: '0x01', session: 's', request: 'r', scope: { action: 'job_list' }, payload: null })
 * } catch (error) {
 *   if (error instanceof InvalidMessageFieldError) error.field // 'wallet'
 * }
 * ```
 */
export class InvalidMessageFieldError extends BaseError {
  override name = 'MessageBuilder.InvalidMessageFieldError'
  /** The input field that was refused. */
  readonly field: string
  constructor({ field, reason }: { field: string; reason: string }) {
    super(`Invalid message field "${field}": ${reason}.`, {
      docsPath: '/documents/Protocol.html#the-signed-message',
    })
    this.field = field
  }
}

/**
 * A text that is not a well-formed signed message; `line` is 1-based (0: not a string).
 *
 * @example
 * ```ts
 * import { MessageParseError, parseMessage } from '@agentpmt-kit/message-builder'
 *
 * try { parseMessage('hello') } catch (error) {
 *   if (error instanceof MessageParseError) error.line // 1
 * }
 * ```
 */
export class MessageParseError extends BaseError {
  override name = 'MessageBuilder.MessageParseError'
  /** The 1-based line that is wrong. */
  readonly line: number
  constructor({ line, reason }: { line: number; reason: string }) {
    const where =
      line === 0 ? 'The message' : `Line ${line} of the message (${lineNames[line - 1] ?? 'end'})`
    super(`${where}: ${reason}.`, {
      docsPath: '/documents/Protocol.html#the-signed-message',
    })
    this.line = line
  }
}
