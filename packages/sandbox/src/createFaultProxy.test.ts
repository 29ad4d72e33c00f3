import { apiPaths } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import { createFaultProxy, createSandboxApp, type FaultKind, faultKinds } from './index.js'

const wallet = `0x${'c'.repeat(40)}`
const openSession = { method: 'POST', body: JSON.stringify({ wallet_address: wallet }) }

function setup(kind: FaultKind, extra: { delayMs?: number } = {}) {
  const app = createSandboxApp()
  const proxy = createFaultProxy({ fetch: app.fetch, rate: 1, kinds: [kind], ...extra })
  return { app, proxy }
}

describe('createFaultProxy: each kind', () => {
  test('drop-before: rejects like a refused connection; the server never sees it', async () => {
    const { app, proxy } = setup('drop-before')
    const error = await proxy(apiPaths.session, openSession).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('fetch failed')
    expect((error as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' })
    expect(app.state().sessions).toBe(0)
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 0 })
  })

  test('drop-after: the server handled it, the client gets a network error', async () => {
    const { app, proxy } = setup('drop-after')
    const error = await proxy(apiPaths.session, openSession).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).cause).toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(app.state().sessions).toBe(1)
    expect(proxy.stats()).toMatchObject({ requests: 1, forwarded: 1 })
  })

  test("delay: the server handled it, then the client's timeout fires", async () => {
    const { app, proxy } = setup('delay', { delayMs: 5 })
    const error = await proxy(apiPaths.session, openSession).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe('TimeoutError')
    expect(app.state().sessions).toBe(1)
  })

  test("delay: the request's own signal wins when it aborts first", async () => {
    const { proxy } = setup('delay', { delayMs: 60_000 })
    const controller = new AbortController()
    const started = Date.now()
    const pending = proxy(apiPaths.session, { ...openSession, signal: controller.signal })
    setTimeout(() => controller.abort(new DOMException('Stopped.', 'AbortError')), 10)
    const error = await pending.catch((caught: unknown) => caught)
    expect((error as DOMException).name).toBe('AbortError')
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  test.each([
    ['500', 500, null, 'application/json'],
    ['502', 502, null, 'text/html; charset=utf-8'],
    ['503', 503, '1', 'application/json'],
    ['429', 429, '1', 'application/json'],
  ] as const)(
    '%s: answered by the proxy, never forwarded',
    async (kind, status, retryAfter, type) => {
      const { app, proxy } = setup(kind)
      const response = await proxy(apiPaths.session, openSession)
      expect(response.status).toBe(status)
      expect(response.headers.get('retry-after')).toBe(retryAfter)
      expect(response.headers.get('content-type')).toBe(type)
      const text = await response.text()
      if (kind === '502') expect(text).toContain('<title>502 Bad Gateway</title>')
      else expect(JSON.parse(text).details.checklist).toEqual(expect.any(Array))
      expect(app.state().sessions).toBe(0)
      expect(proxy.stats()).toEqual({
        requests: 1,
        forwarded: 0,
        faults: { ...Object.fromEntries(faultKinds.map((name) => [name, 0])), [kind]: 1 },
      })
    },
  )
})

describe('createFaultProxy: seeded', () => {
  async function outcomes(seed: number): Promise<string[]> {
    const app = createSandboxApp()
    const proxy = createFaultProxy({ fetch: app.fetch, rate: 0.5, seed })
    const seen: string[] = []
    for (let index = 0; index < 40; index++)
      seen.push(
        await proxy(apiPaths.session, openSession).then(
          (response) => String(response.status),
          (error: Error) => error.name,
        ),
      )
    return seen
  }

  test('the same seed gives the same faults; another seed others', async () => {
    const first = await outcomes(11)
    expect(await outcomes(11)).toEqual(first)
    expect(await outcomes(12)).not.toEqual(first)
    expect(new Set(first).size).toBeGreaterThan(3)
  })

  test('rate 0 forwards everything; stats count per kind', async () => {
    const app = createSandboxApp()
    const proxy = createFaultProxy({ fetch: app.fetch, rate: 0 })
    for (let index = 0; index < 5; index++) await proxy(apiPaths.session, openSession)
    expect(proxy.stats()).toMatchObject({ requests: 5, forwarded: 5 })
    expect(Object.values(proxy.stats().faults).every((count) => count === 0)).toBe(true)
  })

  test('bad options are refused', () => {
    const app = createSandboxApp()
    expect(() => createFaultProxy({ fetch: app.fetch, rate: 2 })).toThrow(RangeError)
    expect(() => createFaultProxy({ fetch: app.fetch, kinds: [] })).toThrow(RangeError)
    expect(() => createFaultProxy({ fetch: app.fetch, kinds: ['404' as FaultKind] })).toThrow(
      RangeError,
    )
  })
})
