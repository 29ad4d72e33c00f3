// HTTP/1.1 over a raw TCP socket, for tests that must control when each byte of a request is sent
// and see when the server answers or closes.
import { connect, type Socket } from 'node:net'

/** A raw TCP connection to `url`, resolved once it is established. */
export function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** One answer read off a raw connection. */
export type RawAnswer = {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * A POST on its own connection whose body is sent when the test says: `sendHead` writes the
 * request line, headers (with the whole body's `content-length`) and the first `sentBytes` of the
 * body; `sendRest` the rest. `answer` resolves with the first answer, `closed` once the server
 * has closed the connection.
 */
export type SlowPost = {
  sendHead(sentBytes: number): void
  sendRest(): void
  answer: Promise<RawAnswer>
  closed: Promise<void>
  destroy(): void
}

export async function slowPost(url: string, path: string, body: string): Promise<SlowPost> {
  const socket = await open(url)
  socket.on('error', () => {})
  const bytes = Buffer.from(body)
  let received = Buffer.alloc(0)
  let headBytes = 0
  let answered: (answer: RawAnswer) => void = () => {}
  const answer = new Promise<RawAnswer>((resolve) => {
    answered = resolve
  })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  let done = false
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
    const parsed = done ? undefined : parse(received)
    if (!parsed) return
    done = true
    answered(parsed)
  })
  return {
    sendHead(sentBytes) {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: sandbox\r\ncontent-type: application/json\r\ncontent-length: ${bytes.byteLength}\r\n\r\n`,
      )
      socket.write(bytes.subarray(0, sentBytes))
      headBytes = sentBytes
    },
    sendRest() {
      socket.write(bytes.subarray(headBytes))
    },
    answer,
    closed,
    destroy: () => socket.destroy(),
  }
}

/** A whole answer (status line, headers, `content-length` bytes of body), or undefined. */
function parse(received: Buffer): RawAnswer | undefined {
  const end = received.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? 0)
  const body = received.subarray(end + 4)
  if (body.byteLength < length) return undefined
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: body.subarray(0, length).toString('utf8'),
  }
}
