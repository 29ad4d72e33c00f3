import type { Socket } from 'node:net'
import { apiPaths } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import { open } from '../test/rawHttp.js'
import { startSandbox } from './index.js'

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

  test('a body declared larger than the limit: 413, then the connection is closed, not read on', async () => {
    const sandbox = await startSandbox({ maxBodyBytes: 8192 })
    const socket = await open(sandbox.url)
    try {
      const declared = 1024 ** 3
      const answer: Buffer[] = []
      socket.on('data', (chunk: Buffer) => answer.push(chunk))
      socket.on('error', () => {})
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      socket.write(
        `POST ${apiPaths.list} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${declared}\r\n\r\n`,
      )
      // Send as fast as the server takes it, up to a cap far above what any socket buffer holds
      // (a few MiB on loopback), or until the server closes the connection.
      const cap = 256 * 1024 * 1024
      const chunk = Buffer.alloc(1024 * 1024, 0x20)
      let sent = 0
      let isClosed = false
      void closed.then(() => {
        isClosed = true
      })
      while (!isClosed && sent < cap) {
        const flushed = socket.write(chunk)
        sent += chunk.byteLength
        if (!flushed)
          await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed])
      }
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))])
      expect(isClosed).toBe(true)
      expect(sent).toBeLessThan(32 * 1024 * 1024)
      expect(Buffer.concat(answer).toString('latin1')).toMatch(/^HTTP\/1\.1 413 /)
    } finally {
      socket.destroy()
      await sandbox.close()
    }
  })
})
