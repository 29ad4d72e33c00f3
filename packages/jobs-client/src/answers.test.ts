import { describe, expect, test } from 'vitest'
import {
  readCompleteAnswer,
  readListAnswer,
  readReserveAnswer,
  readSessionAnswer,
  readStatusAnswer,
  readWorkflowAnswer,
} from './answers.js'
import { createJobsClient } from './createJobsClient.js'
import { signer } from './test/fakes.js'

const sentAt = Date.UTC(2026, 4, 17, 14, 0, 0)
const link = 'https://www.agentpmt.com/p?utm_source=linkedin&utm_medium=agent_social'

describe('session', () => {
  test('expires_in counts from the request on the local clock, floats included', () => {
    const { value, notes } = readSessionAnswer(
      { session_nonce: 'n', expires_in: 900.0 },
      { sentAt },
    )
    expect(value.expiresAtMs).toBe(sentAt + 900_000)
    expect(notes).toEqual([])
  })

  test('only expires_at: the server clock, noted', () => {
    const { value, notes } = readSessionAnswer(
      { session_nonce: 'n', expires_at: '2026-05-17T14:15:00+00:00', expires_in: null },
      { sentAt },
    )
    expect(value.expiresAtMs).toBe(Date.UTC(2026, 4, 17, 14, 15))
    expect(notes.map((note) => note.field)).toEqual(['expires_in'])
  })

  test('no expiry at all: used until the server says it expired', () => {
    expect(readSessionAnswer({ session_nonce: 'n' }, { sentAt }).value.expiresAtMs).toBeUndefined()
  })

  test('an expires_in past the last instant a Date can hold is no readable expiry', () => {
    for (const expires_in of [8638220973600.001, 1e300, Number.MAX_VALUE]) {
      const { value, notes } = readSessionAnswer({ session_nonce: 'n', expires_in }, { sentAt })
      expect(value.expiresAtMs).toBeUndefined()
      expect(notes.map((note) => note.field)).toEqual(['expires_in'])
    }
  })

  test('no nonce: a typed error naming the field', () => {
    expect(() => readSessionAnswer({ nonce: 'n' }, { sentAt })).toThrowError(
      expect.objectContaining({ name: 'JobsClient.InvalidResponseError', field: 'session_nonce' }),
    )
  })
})

describe('reserve', () => {
  test('our own shape', () => {
    const { value, notes } = readReserveAnswer(
      {
        reservation_id: 'res_1',
        job_id: 'job_1',
        expires_at: '2026-05-17T14:30:00.000Z',
        instructions: 'Post it.',
        job: {
          job_id: 'job_1',
          job_type: 'social_share',
          social_share: { platform: 'linkedin', tracking_links: [link] },
        },
        workflow_access: null,
      },
      { sentAt, jobId: 'job_1' },
    )
    expect(value).toMatchObject({
      reservation_id: 'res_1',
      expiresAtMs: Date.UTC(2026, 4, 17, 14, 30),
      instructions: 'Post it.',
      jobKind: 'social_share',
      trackedUrl: link,
      platform: 'linkedin',
      workflowAccess: undefined,
    })
    expect(notes).toEqual([])
  })

  test('nested under reservation, expires_in, a link object', () => {
    const { value, notes } = readReserveAnswer(
      {
        reservation: { reservation_id: 'res_1', expires_in: 1800.0, instructions: 'Post it.' },
        job: {
          job_id: 'job_1',
          social_share: { tracking_links: [{ platform: 'linkedin', url: link }] },
        },
      },
      { sentAt, jobId: 'job_1' },
    )
    expect(value).toMatchObject({
      reservation_id: 'res_1',
      expiresAtMs: sentAt + 1_800_000,
      trackedUrl: link,
      platform: 'linkedin',
      jobKind: 'social_share',
    })
    expect(notes.map((note) => note.field)).toEqual(
      expect.arrayContaining(['expires_at', 'job.social_share.tracking_links[0]', 'job.job_type']),
    )
  })

  test('an expires_in past the last instant a Date can hold: the default deadline, never a RangeError', async () => {
    const { value } = readReserveAnswer(
      { reservation_id: 'res_1', expires_in: 8638220973600.001 },
      { sentAt, jobId: 'job_1' },
    )
    expect(value.expiresAtMs).toBeUndefined()
  })

  test("the agent skill's shape: fields in job, reserved_until, job_instructions", () => {
    const { value } = readReserveAnswer(
      {
        message: 'Reserved',
        job: {
          job_id: 'job_1',
          reservation_id: 'res_1',
          reserved_until: '2026-05-17T14:30:00',
          job_instructions: 'Build it.',
          job_type: 'workflow_creation',
        },
        workflow_access: { access_token: 'tok', expires_at: null },
      },
      { sentAt, jobId: 'job_1' },
    )
    expect(value).toMatchObject({
      reservation_id: 'res_1',
      expiresAtMs: Date.UTC(2026, 4, 17, 14, 30),
      instructions: 'Build it.',
      jobKind: 'workflow_creation',
      workflowAccess: { access_token: 'tok' },
    })
  })

  test('a tracking link that is neither a URL nor an object with one: the field is named, the job may be held', () => {
    const read = () =>
      readReserveAnswer(
        { reservation_id: 'res_1', job: { social_share: { tracking_links: [{ platform: 'x' }] } } },
        { sentAt, jobId: 'job_1' },
      )
    expect(read).toThrowError(
      expect.objectContaining({
        field: 'job.social_share.tracking_links[0]',
        jobMayBeHeld: true,
        raw: expect.any(Object),
      }),
    )
  })

  test('another job than the one reserved is refused', () => {
    expect(() =>
      readReserveAnswer({ reservation_id: 'r', job_id: 'job_2' }, { sentAt, jobId: 'job_1' }),
    ).toThrowError(expect.objectContaining({ field: 'job_id' }))
  })
})

describe('status, complete, list, workflow', () => {
  test('status: submission null is none; a verification status outside the six is refused', () => {
    expect(readStatusAnswer({ submission: null }, { jobId: 'j' }).value.submission).toBeUndefined()
    expect(() =>
      readStatusAnswer({ submission: { verification: { status: 'approved' } } }, { jobId: 'j' }),
    ).toThrowError(expect.objectContaining({ field: 'submission.verification.status' }))
  })

  test('complete: an accepted answer is never an error, even without a readable submission', () => {
    expect(readCompleteAnswer('OK', { jobId: 'j' }).value.submission).toBeUndefined()
    expect(
      readCompleteAnswer({ submission: { status: 'pending' } }, { jobId: 'j' }).notes,
    ).toHaveLength(1)
  })

  test('list: items, ids, no total', () => {
    const { value } = readListAnswer({ items: [{ id: 'a' }, { job_id: 'b', title: null }] })
    expect(value).toEqual({ jobs: [{ id: 'a', job_id: 'a' }, { job_id: 'b' }], total: undefined })
    expect(readListAnswer([{ job_id: 'a' }]).value.jobs).toHaveLength(1)
    expect(() => readListAnswer({ jobs: [{ title: 'no id' }] })).toThrowError(
      expect.objectContaining({ field: 'jobs[0].job_id' }),
    )
  })

  test('workflow: the id under workflow', () => {
    expect(readWorkflowAnswer({ workflow: { id: 'wf_1', status: 'draft' } }).value).toEqual({
      workflow_id: 'wf_1',
      status: 'draft',
    })
  })
})

describe('transport', () => {
  test('a session call behind a proxy: 503 HTML with Retry-After, then the answer', async () => {
    const answers = [
      new Response('<html><title>503 Service Unavailable</title></html>', {
        status: 503,
        headers: { 'retry-after': '0', 'content-type': 'text/html' },
      }),
      Response.json({ session_nonce: 'n1' }),
    ]
    const client = createJobsClient({
      signer,
      baseUrl: 'https://api.example',
      retry: { baseDelayMs: 1 },
      fetch: async () => answers.shift() ?? Response.json({}, { status: 500 }),
    })
    const session = await client.createSession()
    expect(session.session_nonce).toBe('n1')
    expect(answers).toHaveLength(0)
  })

  test('an answer larger than maxResponseBytes is not read', async () => {
    const big = JSON.stringify({ session_nonce: 'n', padding: 'x'.repeat(5_000) })
    for (const headers of [{}, { 'content-length': String(big.length) }]) {
      const client = createJobsClient({
        signer,
        baseUrl: 'https://api.example',
        maxResponseBytes: 1_000,
        fetch: async () => {
          // A stream without a length: the cap is found while reading.
          const body = new Blob([big]).stream()
          return new Response(body, { status: 200, headers })
        },
      })
      await expect(client.createSession()).rejects.toMatchObject({
        name: 'JobsClient.ResponseTooLargeError',
        maxBytes: 1_000,
      })
    }
  })
})
