/**
 * A probe that gets no HTTP answer ends with one `ProbeNetworkError` naming the step and the
 * innermost reason (a system code, the timeout): it goes through jobs-client's `exchange`, whose
 * transport errors wrap fetch's, and is never re-sent.
 */
import { createServer } from 'node:net'
import { expect, test } from 'vitest'
import { ProbeNetworkError } from './internal/wire.js'
import { probe } from './probe.js'
import { listen } from './test/listen.js'

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
