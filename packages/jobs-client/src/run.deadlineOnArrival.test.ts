import { expect, test } from 'vitest'
import { drive, setup } from './test/fakes.js'

// A reservation read with less time left than the safety margin (a server whose clock the client
// has not measured closely yet, a short reservation) starts the worker with an aborted signal.
test('a worker started after the deadline rejects without an unhandled rejection', async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const { client, clock } = setup({}, { reservationTtlMs: 500, safetyMarginMs: 1_000 })
    let called = false
    const result = await drive(
      clock,
      client.run('job_share_linkedin', (_reservation, { signal }) => {
        called = true
        signal.throwIfAborted()
        return undefined
      }),
    )
    expect(result.outcome).toBe('expired')
    // Let the worker's rejection reach the event loop, where an unhandled one is reported.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(called).toBe(true)
    expect(unhandled).toEqual([])
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
})
