import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { describe, expect, test } from 'vitest'
import {
  NetworkError,
  RequestAbortedError,
  recoveryFor,
  TimeoutError,
  TransportError,
  toTransportError,
} from './index.js'

describe('toTransportError', () => {
  test("fetch's TypeError is a network error, the original kept as cause", () => {
    const cause = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    const error = toTransportError(cause, { method: 'POST', url: 'https://www.agentpmt.com/x' })
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toBeInstanceOf(BaseError)
    expect(error.cause).toBe(cause)
    expect(error.message).toMatchInlineSnapshot(`
      "The request to www.agentpmt.com failed before a response arrived (ECONNREFUSED).

      Request: POST https://www.agentpmt.com/x

      Details: Nothing accepts connections at www.agentpmt.com: is the server (or \`agentpmt sandbox\`) running, and is the port of the base URL right?
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Errors.html#transport-errors"
    `)
  })

  test('a refused connection of a real fetch names its system code', async () => {
    const server = createServer().listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    await new Promise((closed) => server.close(closed))
    const thrown = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error)
    const error = toTransportError(thrown)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).code).toBe('ECONNREFUSED')
    expect(error.shortMessage).toBe('The request failed before a response arrived (ECONNREFUSED).')
    expect(new NetworkError().code).toBeUndefined()
  })

  test('AbortSignal.timeout gives a TimeoutError', async () => {
    const signal = AbortSignal.timeout(1)
    await new Promise((resolve) => signal.addEventListener('abort', resolve))
    const thrown = signal.reason
    const error = toTransportError(thrown, { signal, timeoutMs: 1 })
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).timeoutMs).toBe(1)
    expect(error.shortMessage).toBe('The request timed out after 1 ms.')
  })

  test("an AbortError with the signal's reason a TimeoutError is a timeout", () => {
    const controller = new AbortController()
    controller.abort(new DOMException('timed out', 'TimeoutError'))
    const error = toTransportError(new DOMException('aborted', 'AbortError'), {
      signal: controller.signal,
    })
    expect(error).toBeInstanceOf(TimeoutError)
  })

  test("the caller's abort is a RequestAbortedError", () => {
    const controller = new AbortController()
    controller.abort()
    expect(toTransportError(new DOMException('aborted', 'AbortError'))).toBeInstanceOf(
      RequestAbortedError,
    )
    expect(toTransportError(new Error('whatever'), { signal: controller.signal })).toBeInstanceOf(
      RequestAbortedError,
    )
  })

  test('a transport error is returned as it is; anything else is a network error', () => {
    const timeout = new TimeoutError()
    expect(toTransportError(timeout)).toBe(timeout)
    expect(toTransportError('socket hang up')).toBeInstanceOf(NetworkError)
    expect(toTransportError(undefined)).toBeInstanceOf(NetworkError)
  })

  test('recovery: retry later, except an abort', () => {
    expect(recoveryFor(new NetworkError())).toBe('retry-later')
    expect(recoveryFor(new TimeoutError())).toBe('retry-later')
    expect(recoveryFor(new RequestAbortedError())).toBe('none')
  })

  test('a signature in the URL does not reach the message', () => {
    const signature = `0x${'ab'.repeat(65)}`
    const error = new NetworkError({ url: `https://x.test/?signature=${signature}` })
    expect(error.message).not.toContain(signature)
    expect(error.url).not.toContain(signature)
  })
})
