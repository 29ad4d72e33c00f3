import { connect, type Socket } from 'node:net'
import { describe, expect, test } from 'vitest'
import { startSandbox } from './index.js'

/** A raw TCP connection to `url`, resolved once it is established. */
function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Resolves true once `socket` closes, false if it is still open after `ms`. */
function closesWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

describe.concurrent('connections', () => {
  test('no more than maxConnections are kept open: those beyond are closed as they arrive', async () => {
    const sandbox = await startSandbox({ maxConnections: 5 })
    const sockets: Socket[] = []
    try {
      for (let index = 0; index < 20; index++) {
        const socket = await open(sandbox.url)
        socket.on('error', () => {})
        sockets.push(socket)
      }
      const closed = await Promise.all(sockets.map((socket) => closesWithin(socket, 500)))
      expect(closed.filter((isClosed) => !isClosed)).toHaveLength(5)
      expect(closed.slice(0, 5)).toEqual([false, false, false, false, false])
    } finally {
      for (const socket of sockets) socket.destroy()
      await sandbox.close()
    }
  })
})
