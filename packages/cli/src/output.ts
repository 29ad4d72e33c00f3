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
  /**
   * A status while waiting (for verification): shown with the time since the wait began. On a
   * terminal the elapsed time ticks in place every second; otherwise the line is printed on each
   * change and again every `heartbeatMs` while nothing changes, so a log shows the run is alive.
   * {@link Output.endStatus} ends the wait.
   */
  wait(text: string): void
  /** Ends a live status line, if one is shown, and a wait. */
  endStatus(): void
}

/**
 * Options of {@link createOutput}.
 *
 * @example
 * ```ts
 * import type { OutputOptions } from './output.js'
 *
 * const options: OutputOptions = { stdout: process.stdout, json: false, heartbeatMs: 30_000 }
 * ```
 */
export type OutputOptions = {
  stdout: Writer
  json: boolean
  /** How often a wait repeats its line when the output is not a terminal (default 15 s). */
  heartbeatMs?: number | undefined
}

/**
 * Elapsed time for a status line: `9s`, `1m 05s`, `1h 02m`.
 *
 * @example
 * ```ts
 * import { formatElapsed } from './output.js'
 *
 * formatElapsed(65_000) // '1m 05s'
 * ```
 */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`
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
export function createOutput({ stdout, json, heartbeatMs = 15_000 }: OutputOptions): Output {
  const live = !json && stdout.isTTY === true
  let shown: string | undefined
  let waiting: { text: string; since: number; timer: ReturnType<typeof setInterval> } | undefined
  const endStatus = (): void => {
    if (waiting !== undefined) clearInterval(waiting.timer)
    waiting = undefined
    if (live && shown !== undefined) stdout.write('\n')
    shown = undefined
  }
  const elapsed = (): string => formatElapsed(Date.now() - (waiting?.since ?? Date.now()))
  const showLive = (text: string): void => {
    stdout.write(`\r\u001b[2K${text}`)
    shown = text
  }
  const tick = (): void => {
    if (waiting === undefined) return
    if (live) showLive(`${waiting.text} · ${elapsed()}`)
    else stdout.write(`${waiting.text} (still waiting, ${elapsed()})\n`)
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
    wait(text) {
      if (json) return
      if (waiting === undefined) {
        const timer = setInterval(tick, live ? 1000 : heartbeatMs)
        // A heartbeat never keeps the process alive on its own.
        timer.unref?.()
        waiting = { text, since: Date.now(), timer }
      } else if (waiting.text === text) return
      waiting.text = text
      if (live) showLive(`${text} · ${elapsed()}`)
      else stdout.write(`${text} (${elapsed()})\n`)
    },
    endStatus,
  }
}

/**
 * The one line printed on stderr for an error: the short message and its details, never a stack
 * trace, never more than one line. A request that got no response also names the host it was
 * going to and, when the system gave no error code, the innermost cause (`bad port`); an error
 * that wraps it (a probe's step, a completion whose fate is unknown) says its own message first.
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
      ? `${contextOf(error, transport)}${transportText(transport)}`
      : error instanceof BaseError
        ? withDetails(error.shortMessage, error.details)
        : error instanceof Error
          ? (error.message.split('\n')[0] ?? error.name)
          : String(error)
  return `error: ${text.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`
}

/**
 * What the error that wraps a request without an answer was doing (a probe's step, a completion
 * whose fate is unknown), said before the transport's own text; nothing when the transport error
 * is the error itself.
 */
function contextOf(error: unknown, transport: TransportError): string {
  if (error === transport || !(error instanceof BaseError)) return ''
  return `${error.shortMessage.replace(/\.$/, '')}: `
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

/**
 * A result that could not be written to the file asked for, after the command did its work (the
 * job is reserved, the run is over): a failure (exit 1), not a usage error, since something was
 * done. A file that cannot be written is refused before anything is done, as a usage error.
 *
 * @example
 * ```ts
 * import { WriteError } from './output.js'
 *
 * throw new WriteError('The reservation above could not be saved to reservation.json.')
 * ```
 */
export class WriteError extends BaseError {
  override name = 'Cli.WriteError'
}
