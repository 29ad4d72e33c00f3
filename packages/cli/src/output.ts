import { BaseError } from '@agentpmt-kit/canonical-json'
import { NetworkError, TransportError } from '@agentpmt-kit/error-recovery'
import type { Context, Writer } from './context.js'
import { requestHostOf } from './internal/requestHost.js'

/**
 * How a command prints: one JSON document on stdout with `--json`, readable text otherwise.
 * Progress (`step`, `status`) goes to stdout in text mode only, so `--json` output always parses.
 *
 * @example
 * ```ts
 * import { createOutput } from './output.js'
 *
 * const output = createOutput({ stdout: process.stdout, json: false })
 * output.result({ payloadHash: 'ab' }, () => 'ab')
 * ```
 */
export type Output = {
  readonly json: boolean
  /**
   * The command's answer: `value` as JSON, or `text()` as lines. With `exact`, the text is data
   * to be used as it is (a message to sign): no newline is added after it, except on a terminal.
   */
  result(value: unknown, text: () => string, options?: { exact?: boolean | undefined }): void
  /** A progress line (text mode only). */
  step(text: string): void
  /** A status that changes in place on a terminal and prints one line per change otherwise. */
  status(text: string): void
  /** Ends a live status line, if one is shown. */
  endStatus(): void
}

/**
 * Makes the {@link Output} of one command.
 *
 * @example
 * ```ts
 * import { createOutput } from './output.js'
 *
 * const output = createOutput({ stdout: process.stdout, json: true })
 * output.result({ ok: true }, () => 'ok') // {"ok":true}
 * ```
 */
export function createOutput({ stdout, json }: { stdout: Writer; json: boolean }): Output {
  const live = !json && stdout.isTTY === true
  let shown: string | undefined
  const endStatus = (): void => {
    if (live && shown !== undefined) stdout.write('\n')
    shown = undefined
  }
  return {
    json,
    result(value, text, { exact = false } = {}) {
      endStatus()
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`)
      else stdout.write(exact && stdout.isTTY !== true ? text() : `${text()}\n`)
    },
    step(text) {
      if (json) return
      endStatus()
      stdout.write(`${text}\n`)
    },
    status(text) {
      if (json || text === shown) return
      if (live) stdout.write(`\r\u001b[2K${text}`)
      else stdout.write(`${text}\n`)
      shown = text
    },
    endStatus,
  }
}

/**
 * The one line printed on stderr for an error: the short message and its details, never a stack
 * trace, never more than one line. A request that got no response also names the host it was
 * going to and, when the system gave no error code, the innermost cause (`bad port`).
 *
 * @example
 * ```ts
 * import { errorLine } from './output.js'
 *
 * errorLine(new Error('boom')) // 'error: boom'
 * ```
 */
export function errorLine(error: unknown): string {
  const transport = causes(error).find((cause) => cause instanceof TransportError)
  const text =
    transport !== undefined
      ? transportText(transport)
      : error instanceof BaseError
        ? withDetails(error.shortMessage, error.details)
        : error instanceof Error
          ? (error.message.split('\n')[0] ?? error.name)
          : String(error)
  return `error: ${text.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`
}

function withDetails(shortMessage: string, details: string | undefined): string {
  return details && !shortMessage.includes(details)
    ? `${shortMessage.replace(/\.$/, '')}: ${details}`
    : shortMessage
}

/** `error` and its `cause` chain, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current = error
  while (current !== undefined && !chain.includes(current)) {
    chain.push(current)
    current = current instanceof Error ? current.cause : undefined
  }
  return chain
}

/**
 * A failure before any response: only the host and fetch's own innermost message are added, and
 * neither can hold a key or a signature (they travel in the request, never in its failure).
 */
function transportText(error: TransportError): string {
  const chain = causes(error)
  const innermost = chain.at(-1)
  // NetworkError names a system code (ECONNREFUSED, ENOTFOUND) in its message, when there is one;
  // otherwise fetch's "fetch failed" is less telling than what it wraps.
  const reason =
    error instanceof NetworkError
      ? error.code === undefined && innermost instanceof Error && innermost !== error
        ? innermost.message
        : error.details
      : error.details
  const host =
    chain.map(requestHostOf).find((value) => value !== undefined) ??
    chain.map(socketHost).find((value) => value !== undefined)
  // NetworkError names the host itself when it knows the URL.
  const named = host === undefined || error.shortMessage.includes(host)
  const parts = [reason, named ? undefined : `host ${host}`].filter(Boolean)
  return parts.length === 0
    ? error.shortMessage
    : `${error.shortMessage.replace(/\.$/, '')}: ${parts.join(', ')}`
}

function socketHost(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined
  const { address, port, hostname } = cause as Record<string, unknown>
  if (typeof address === 'string') {
    const name = address.includes(':') ? `[${address}]` : address
    return typeof port === 'number' ? `${name}:${port}` : name
  }
  return typeof hostname === 'string' ? hostname : undefined
}

/**
 * The options every command has, read from commander.
 *
 * @example
 * ```ts
 * import { outputFor } from './output.js'
 *
 * declare const context: Parameters<typeof outputFor>[0]
 * const output = outputFor(context, { json: true })
 * ```
 */
export function outputFor(context: Context, options: { json?: boolean | undefined }): Output {
  return createOutput({ stdout: context.stdout, json: options.json === true })
}

/**
 * Shortens a line for display: long values keep their start and end.
 *
 * @example
 * ```ts
 * import { shorten } from './output.js'
 *
 * shorten('0x' + 'ab'.repeat(65), 20) // '0xababab…abababab'
 * ```
 */
export function shorten(text: string, width: number): string {
  if (text.length <= width) return text
  const head = Math.ceil((width - 1) / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`
}
