import type { Server, Socket } from 'node:net'

/**
 * Listens on a loopback port chosen by the system; `close` ends every open connection too, so a
 * client holding a socket (or a server that never answers) cannot keep it open.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:net'
 * import { listen } from './listen.js'
 *
 * const silent = await listen(createServer(() => {}))
 * await silent.close()
 * ```
 */
export async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
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
