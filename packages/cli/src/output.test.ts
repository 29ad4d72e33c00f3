import { NetworkError } from '@agentpmt-kit/error-recovery'
import { CompletionUnknownError } from '@agentpmt-kit/jobs-client'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createOutput, errorLine, formatElapsed } from './output.js'

function writer(isTTY: boolean) {
  const chunks: string[] = []
  return { chunks, writer: { isTTY, write: (text: string) => chunks.push(text) } }
}

describe('the heartbeat of a wait', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  test('not a terminal: a line on each change, and again while nothing changes', () => {
    const { chunks, writer: stdout } = writer(false)
    const output = createOutput({ stdout, json: false, heartbeatMs: 10_000 })
    output.wait('verification: queued')
    vi.advanceTimersByTime(3_000)
    output.wait('verification: running')
    output.wait('verification: running')
    vi.advanceTimersByTime(17_000)
    output.endStatus()
    vi.advanceTimersByTime(60_000)
    expect(chunks).toEqual([
      'verification: queued (0s)\n',
      'verification: running (3s)\n',
      'verification: running (still waiting, 10s)\n',
      'verification: running (still waiting, 20s)\n',
    ])
  })

  test('a terminal: one line whose elapsed time ticks in place every second', () => {
    const { chunks, writer: stdout } = writer(true)
    const output = createOutput({ stdout, json: false })
    output.wait('verification: running')
    vi.advanceTimersByTime(2_000)
    output.endStatus()
    vi.advanceTimersByTime(5_000)
    expect(chunks).toEqual([
      '\r\u001b[2Kverification: running · 0s',
      '\r\u001b[2Kverification: running · 1s',
      '\r\u001b[2Kverification: running · 2s',
      '\n',
    ])
  })

  test('--json: nothing', () => {
    const { chunks, writer: stdout } = writer(true)
    const output = createOutput({ stdout, json: true })
    output.wait('verification: running')
    vi.advanceTimersByTime(5_000)
    output.endStatus()
    expect(chunks).toEqual([])
  })

  test('elapsed time', () => {
    expect([0, 9_999, 65_000, 3_725_000].map(formatElapsed)).toEqual([
      '0s',
      '9s',
      '1m 05s',
      '1h 02m',
    ])
  })
})

describe('the error line of a request without an answer', () => {
  const refused = () =>
    new NetworkError({
      url: 'http://127.0.0.1:9/api/external/jobs/j1/complete',
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        code: 'ECONNREFUSED',
      }),
    })

  test('alone, it says what the transport says: the host, the system code, the likely fix', () => {
    const line = errorLine(refused())
    expect(line).toMatch(
      /^error: The request to 127\.0\.0\.1:9 failed before a response arrived \(ECONNREFUSED\): /,
    )
    expect(line).toContain('is the server (or `agentpmt sandbox`) running')
  })

  test('wrapped, the wrapper says what it was doing first, then the transport', () => {
    const reservation = { reservationId: 'r1', jobId: 'j1', expiresAt: undefined }
    const line = errorLine(
      new CompletionUnknownError({ reservation: reservation as never, cause: refused() }),
    )
    const transport = errorLine(refused()).replace(/^error: /, '')
    expect(line).toBe(`error: Whether the server holds the completion is unknown: ${transport}`)
  })
})
