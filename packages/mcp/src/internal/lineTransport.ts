import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import {
  ErrorCode,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
} from '@modelcontextprotocol/sdk/types.js'

/** What is kept of a line too long to hold, to find its id: its first and last bytes. */
const keptEdgeBytes = 4096

/**
 * The stdio transport of MCP (one JSON-RPC message per line), bounded: a line longer than
 * `maxLineBytes` is skipped as it streams in and answered with an Invalid Request error (with
 * the request's id when its first or last bytes name it), and every later line is served. A
 * line that is not JSON, or not a JSON-RPC message, is answered with an error too, never
 * dropped in silence. Reading stops only on `close()` or when stdin ends, and then `onclose`
 * runs: the SDK's own transport stops reading for good on a long line, so that neither later
 * requests nor the end of stdin are ever seen.
 */
export class LineTransport implements Transport {
  onclose?: (() => void) | undefined
  onerror?: ((error: Error) => void) | undefined
  onmessage?: ((message: JSONRPCMessage) => void) | undefined
  readonly #stdin: NodeJS.ReadableStream
  readonly #stdout: NodeJS.WritableStream
  readonly #maxLineBytes: number
  #chunks: Buffer[] = []
  #size = 0
  /** Set while the rest of a too long line is skipped: its first and last bytes. */
  #skipped: { head: Buffer; tail: Buffer } | undefined
  #closed = false

  constructor(stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, maxLineBytes: number) {
    this.#stdin = stdin
    this.#stdout = stdout
    this.#maxLineBytes = maxLineBytes
  }

  async start(): Promise<void> {
    this.#stdin.on('data', this.#onData)
    this.#stdin.on('error', this.#onError)
    this.#stdin.once('end', this.#onEnd)
    this.#stdin.once('close', this.#onEnd)
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stdout.write(`${JSON.stringify(message)}\n`)) resolve()
      else this.#stdout.once('drain', resolve)
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#stdin.off('data', this.#onData)
    this.#stdin.off('error', this.#onError)
    this.#stdin.off('end', this.#onEnd)
    this.#stdin.off('close', this.#onEnd)
    // Nothing reads stdin any more: paused, it no longer keeps the process alive.
    this.#stdin.pause()
    this.#chunks = []
    this.#skipped = undefined
    this.onclose?.()
  }

  readonly #onError = (error: Error): void => this.onerror?.(error)
  readonly #onEnd = (): void => void this.close()

  readonly #onData = (data: Buffer | string): void => {
    let chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    for (;;) {
      const end = chunk.indexOf(0x0a)
      const piece = end === -1 ? chunk : chunk.subarray(0, end)
      if (this.#skipped) this.#skip(piece)
      else if (this.#size + piece.byteLength > this.#maxLineBytes) {
        const line = Buffer.concat([...this.#chunks, piece])
        this.#chunks = []
        this.#size = 0
        // Copied: a view would hold the whole line in memory.
        this.#skipped = {
          head: Buffer.from(line.subarray(0, keptEdgeBytes)),
          tail: Buffer.from(line.subarray(-keptEdgeBytes)),
        }
      } else {
        this.#chunks.push(piece)
        this.#size += piece.byteLength
      }
      if (end === -1) return
      this.#lineEnded()
      chunk = chunk.subarray(end + 1)
      if (this.#closed) return
    }
  }

  #skip(piece: Buffer): void {
    const skipped = this.#skipped!
    skipped.tail = Buffer.from(Buffer.concat([skipped.tail, piece]).subarray(-keptEdgeBytes))
  }

  #lineEnded(): void {
    if (this.#skipped) {
      const { head, tail } = this.#skipped
      this.#skipped = undefined
      this.#answerError(
        ErrorCode.InvalidRequest,
        `Message too large: a line of stdin is over ${this.#maxLineBytes} bytes; it was skipped unread. Send smaller messages.`,
        idAtEdges(head.toString('utf8'), tail.toString('utf8')),
      )
      return
    }
    const line = Buffer.concat(this.#chunks).toString('utf8').replace(/\r$/, '')
    this.#chunks = []
    this.#size = 0
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      this.#answerError(ErrorCode.ParseError, 'Parse error: a line of stdin is not JSON.')
      return
    }
    const parsed = JSONRPCMessageSchema.safeParse(value)
    if (!parsed.success) {
      this.#answerError(
        ErrorCode.InvalidRequest,
        'Invalid Request: a line of stdin is not a JSON-RPC 2.0 message.',
        idOf(value),
      )
      return
    }
    this.onmessage?.(parsed.data)
  }

  #answerError(code: ErrorCode, message: string, id?: string | number | undefined): void {
    this.onerror?.(new Error(message))
    // Without an id when none can be read: the MCP schema has it optional, and `null` would
    // not parse in the SDK's clients.
    void this.send({
      jsonrpc: '2.0',
      ...(id === undefined ? {} : { id }),
      error: { code, message },
    })
  }
}

function idOf(value: unknown): string | number | undefined {
  const id = (value as { id?: unknown } | null)?.id
  return typeof id === 'string' || typeof id === 'number' ? id : undefined
}

const idValue = String.raw`("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)`
/** `{"jsonrpc":"2.0","id":…` at the start of a message: the id as its first or second member. */
const idFirst = new RegExp(
  String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${idValue}\s*[,}]`,
)
/** `…,"id":…}` at the end of a message: the id as its last member (the SDK's clients write it so). */
const idLast = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${idValue}\s*\}\s*$`)

/**
 * The id of a message too long to parse, read from its first or last bytes where a top-level
 * `id` can be told from one nested in `params`; undefined otherwise.
 */
function idAtEdges(head: string, tail: string): string | number | undefined {
  const match = idFirst.exec(head) ?? idLast.exec(tail)
  if (!match?.[1]) return undefined
  try {
    return idOf({ id: JSON.parse(match[1]) })
  } catch {
    return undefined
  }
}
