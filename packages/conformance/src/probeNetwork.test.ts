/**
 * A probe that gets no HTTP answer ends with one `ProbeNetworkError` naming the step and the
 * innermost reason (a system code, the timeout): it goes through jobs-client's `exchange`, whose
 * transport errors wrap fetch's, and is never re-sent.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { expect, test } from 'vitest'
import { ProbeNetworkError } from './internal/wire.js'
import { probe } from './probe.js'

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

test('a refused connection: ECONNREFUSED, at the session step', async () => {
  const closed = await listen(createServer())
  await closed.close()
  const failure = probe({ baseUrl: closed.url })
  await expect(failure).rejects.toBeInstanceOf(ProbeNetworkError)
  await expect(failure).rejects.toThrow(/No HTTP answer from .*\(session\)[\s\S]*ECONNREFUSED/)
})

test('a server that never answers: the timeout, one attempt only', async () => {
  let connections = 0
  const silent = await listen(createServer(() => connections++))
  try {
    await expect(probe({ baseUrl: silent.url, timeoutMs: 200 })).rejects.toThrow(
      /nothing within 200ms \(the request timeout\)/,
    )
    expect(connections).toBe(1)
  } finally {
    await silent.close()
  }
})
