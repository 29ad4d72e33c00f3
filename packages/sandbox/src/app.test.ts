import { apiPaths } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import * as sandbox from './index.js'

describe('createSandboxApp, in process', () => {
  test('answers without a socket; a drop fault rejects like a closed connection', async () => {
    const app = sandbox.createSandboxApp({ faults: [{ route: 'session', drop: true, times: 1 }] })
    const open = () =>
      app.fetch(apiPaths.session, {
        method: 'POST',
        body: JSON.stringify({ wallet_address: `0x${'b'.repeat(40)}` }),
      })
    await expect(open()).rejects.toThrow(TypeError)
    expect(app.state().sessions).toBe(1)
    const response = await open()
    expect(response.status).toBe(200)
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(900)
    expect(app.stats()).toMatchObject({ requests: 2, dropped: 1 })
  })

  test('takes a Request as well', async () => {
    const app = sandbox.createSandboxApp()
    const response = await app.fetch(
      new Request('http://anywhere.test/api/external/nothing', { method: 'POST' }),
    )
    expect(response.status).toBe(404)
  })
})

test('the public surface', () => {
  expect(Object.keys(sandbox).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "PortInUseError",
      "UnknownDialectError",
      "createClock",
      "createFaultProxy",
      "createFaults",
      "createRandom",
      "createSandboxApp",
      "createStore",
      "defaultJobs",
      "defaultTools",
      "faultKinds",
      "sandboxDefaults",
      "sandboxDialects",
      "startSandbox",
      "verificationAt",
      "verifySignature",
    ]
  `)
})
