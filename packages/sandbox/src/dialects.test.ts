import { BaseError } from '@agentpmt-kit/canonical-json'
import { apiPaths } from '@agentpmt-kit/message-builder'
import { afterEach, describe, expect, test } from 'vitest'
import type { Json } from '../test/client.js'
import { type RecordedAnswer, runDialectLoop } from '../test/dialectLoop.js'
import {
  createSandboxApp,
  type RunningSandbox,
  sandboxDialects,
  startSandbox,
  UnknownDialectError,
} from './index.js'

const start = Date.parse('2026-11-28T21:00:00.000Z')
const running: RunningSandbox[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()))
})

async function loop(options: Parameters<typeof startSandbox>[0] = {}): Promise<RecordedAnswer[]> {
  const sandbox = await startSandbox({
    now: () => start,
    seed: 7,
    startingCredits: 1,
    verificationDelayMs: 1000,
    ...options,
  })
  running.push(sandbox)
  return runDialectLoop(sandbox)
}

describe('the default dialect', () => {
  test('answers byte for byte as before dialects existed (fixed seed and clock)', async () => {
    const answers = await loop()
    expect(
      answers.map(({ step, status, contentType, retryAfter, text }) => ({
        step,
        status,
        contentType,
        retryAfter,
        text,
      })),
    ).toMatchSnapshot()
  })
})

function byStep(answers: readonly RecordedAnswer[]): Record<string, RecordedAnswer> {
  // The last attempt of each step (a proxy fault answers an attempt before the last).
  return Object.fromEntries(
    answers.map((answer) => [answer.step.replace(/ \(attempt \d\)$/, ''), answer]),
  )
}

/** Every number token of a JSON text (strings blanked first). */
function numberTokens(text: string): string[] {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g) ?? []
}

/** Every string value of a JSON value, with its key path. */
function strings(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]]
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, member]) => strings(member, `${path}.${key}`))
}

describe('the default dialect', () => {
  test.each([['default' as const], [['default'] as const]])(
    'named explicitly (%j), it answers as with no dialect',
    async (dialect) => {
      const [plain, named] = [await loop(), await loop({ dialect })]
      expect(named.map((answer) => answer.text)).toEqual(plain.map((answer) => answer.text))
    },
  )
})

describe.each(sandboxDialects)('dialect %s', (dialect) => {
  test('the whole loop goes through; requests are verified as in the default dialect', async () => {
    const answers = byStep(await loop({ dialect }))
    expect(answers['complete share']?.status).toBe(200)
    expect(answers['complete workflow']?.status).toBe(200)
    expect(answers['reserve mismatch']?.status).toBe(401)
    expect(answers['reserve mismatch']?.body.error_code).toBe('EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    expect(answers['reserve mismatch']?.body.details.expected_message).toContain(
      'action:job_reserve',
    )
    expect(answers['reserve foreign session']?.status).toBe(401)
    expect(answers['reserve foreign session']?.body.error_code).toBe(
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
  })
})

describe('python-timestamps', () => {
  test('aware +00:00 timestamps with microseconds; naive reservation deadlines', async () => {
    const answers = await loop({ dialect: 'python-timestamps' })
    const stamps = answers.flatMap((answer) =>
      strings(answer.body)
        .filter(([, value]) => /^\d{4}-\d{2}-\d{2}T/.test(value))
        .map(([path, value]) => [`${answer.step}${path}`, value] as const),
    )
    expect(stamps.length).toBeGreaterThan(10)
    for (const [where, value] of stamps) {
      const naive = /^(reserve [a-z]+|status [a-z]+)\.(expires_at|reservation\.expires_at)$/.test(
        where,
      )
      expect(value, where).toMatch(
        naive
          ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/
          : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/,
      )
    }
    const step = byStep(answers)
    expect(step['session main']?.body.expires_at).toBe('2026-11-28T21:15:00.000000+00:00')
    expect(step['reserve share']?.body.expires_at).toBe('2026-11-28T21:30:00.000000')
    expect(step['status queued']?.body.reservation.expires_at).toBe('2026-11-28T21:30:00.000000')
    expect(step['reserve workflow']?.body.workflow_access.expires_at).toBe(
      '2026-11-28T21:30:03.000000+00:00',
    )
    expect(step['complete share']?.body.submission.submitted_at).toBe(
      '2026-11-28T21:00:00.000000+00:00',
    )
  })
})

describe('nulls-and-extras', () => {
  test('every number in the raw text is written as a float', async () => {
    const answers = await loop({ dialect: 'nulls-and-extras' })
    const step = byStep(answers)
    expect(step['session main']?.text).toContain('"expires_in":900.0')
    expect(step.list?.text).toContain('"reward_credits":25.0')
    expect(step.list?.text).toContain('"total":7.0,"limit":50.0,"skip":0.0')
    expect(step['invoke short']?.text).toContain('"required_credits":2.0')
    for (const answer of answers)
      for (const token of numberTokens(answer.text)) expect(token, answer.step).toContain('.')
  })

  test('absent optionals are null; unknown fields at several levels', async () => {
    const step = byStep(await loop({ dialect: 'nulls-and-extras' }))
    const share = step['reserve share']?.body
    expect(share.workflow_access).toBeNull()
    expect(share.server_version).toBe('2.3.1')
    expect(share.job.links).toEqual({ self: '/api/external/jobs/job_share_linkedin' })
    const workflow = step['reserve workflow']?.body
    expect(workflow.job.social_share).toBeNull()
    expect(workflow.job.platform).toBeNull()
    const items = step.list?.body.jobs
    expect(items.find((item: Json) => item.job_id === 'job_workflow_ticket_triage').platform).toBe(
      null,
    )
    expect(items[0].links).toBeDefined()
    expect(step['status untouched']?.body).toMatchObject({
      reservation: null,
      submission: null,
      server_version: '2.3.1',
      meta: expect.any(Object),
      links: expect.any(Object),
    })
    expect(step['complete share']?.body.submission.verification.reason).toBeNull()
    expect(step['complete share']?.body.submission.meta).toBeDefined()
    expect(step['reserve taken']?.body.details.trace_id).toEqual(expect.any(String))
  })
})

describe('expires-in-only', () => {
  test('no expires_at anywhere; expires_in from the sandbox clock', async () => {
    const answers = await loop({ dialect: 'expires-in-only' })
    for (const answer of answers) expect(answer.text, answer.step).not.toContain('expires_at')
    const step = byStep(answers)
    expect(step['session main']?.body).toEqual({
      session_nonce: expect.any(String),
      expires_in: 900,
    })
    expect(step['reserve share']?.body.expires_in).toBe(1800)
    expect(step['reserve workflow']?.body.workflow_access).toEqual({
      access_token: expect.any(String),
      expires_in: 1800,
    })
    // 3 s after the reservation, on the sandbox's clock.
    expect(step['status verified']?.body.reservation.expires_in).toBe(1797)
    expect(step['status expired']?.body.reservation.expires_in).toBe(0)
  })
})

describe('nested-reservation', () => {
  test('the reserve answer nests its own fields under reservation; status is unchanged', async () => {
    const step = byStep(await loop({ dialect: 'nested-reservation' }))
    const share = step['reserve share']?.body
    expect(Object.keys(share)).toEqual(['reservation', 'job'])
    expect(share.reservation).toEqual({
      reservation_id: expect.stringMatching(/^res_/),
      job_id: 'job_share_linkedin',
      expires_at: '2026-11-28T21:30:00.000Z',
      instructions: expect.any(String),
    })
    expect(Object.keys(step['reserve workflow']?.body)).toEqual([
      'reservation',
      'job',
      'workflow_access',
    ])
    expect(step['status queued']?.body.reservation).toEqual({
      reservation_id: share.reservation.reservation_id,
      expires_at: '2026-11-28T21:30:00.000Z',
      state: 'submitted',
    })
  })
})

describe('link-objects', () => {
  test('tracking links are objects whose url is the tracked URL itself', async () => {
    const step = byStep(await loop({ dialect: 'link-objects' }))
    const links = step['reserve share']?.body.job.social_share.tracking_links
    expect(links).toEqual([
      {
        platform: 'linkedin',
        url: expect.stringMatching(
          /^https:\/\/www\.agentpmt\.com\/agent-workflow-skills\/example\?utm_source=linkedin&utm_medium=agent_social&utm_campaign=agent_job_job_share_linkedin&utm_content=trk_[0-9a-f]{24}$/,
        ),
      },
    ])
    // The completion sent links[0].url as target_url_used and was accepted.
    expect(step['complete share']?.status).toBe(200)
  })
})

describe('agent-skill', () => {
  test('the shapes of the published agent skill', async () => {
    const step = byStep(await loop({ dialect: 'agent-skill' }))
    expect(step['session main']?.body).toEqual({
      session_nonce: expect.any(String),
      expires_at: '2026-11-28T21:15:00.000Z',
    })
    expect(Object.keys(step.list?.body)).toEqual(['jobs'])
    expect(step['reserve share']?.body).toEqual({
      message: expect.any(String),
      job: {
        job_id: 'job_share_linkedin',
        title: expect.any(String),
        job_instructions: expect.any(String),
        reservation_id: expect.stringMatching(/^res_/),
        reserved_until: '2026-11-28T21:30:00.000Z',
        reward_credits: 25,
        status: 'reserved',
        job_type: 'social_share',
        social_share: { platform: 'linkedin', tracking_links: [expect.any(String)] },
      },
    })
    expect(step['reserve workflow']?.body.workflow_access.access_token).toMatch(/^wft_/)
    expect(step['complete share']?.body).toEqual({
      message: expect.any(String),
      job: { status: 'submitted' },
      submission: {
        submission_id: expect.stringMatching(/^sub_/),
        status: 'pending',
        proof_text: 'Published the required AgentPMT social post.',
        verification: { status: 'queued' },
      },
    })
    expect(step['status verified']?.body).toEqual({
      wallet_address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      job: { job_id: 'job_share_linkedin', status: 'approved' },
      has_active_reservation: false,
      can_submit: false,
      submission: {
        submission_id: expect.stringMatching(/^sub_/),
        status: 'approved',
        reservation_id: expect.stringMatching(/^res_/),
        verification: { status: 'verified', updated_at: '2026-11-28T21:00:02.000Z' },
      },
      payout: {
        status: 'paid',
        reward_credits: 25,
        paid_at: '2026-11-28T21:00:02.000Z',
        wallet_balance_credits: 26,
      },
    })
    expect(step['status untouched']?.body.submission).toBeNull()
  })
})

describe('minimal', () => {
  test('only what the guides guarantee', async () => {
    const answers = await loop({ dialect: 'minimal' })
    const step = byStep(answers)
    expect(step['session main']?.body).toEqual({ session_nonce: expect.any(String) })
    expect(step.list?.body.jobs[0]).toEqual({
      job_id: 'job_share_linkedin',
      title: expect.any(String),
    })
    expect(Object.keys(step.list?.body)).toEqual(['jobs'])
    expect(step['reserve share']?.body).toEqual({
      reservation_id: expect.stringMatching(/^res_/),
      instructions: expect.any(String),
      job: { job_id: 'job_share_linkedin', social_share: { tracking_links: [expect.any(String)] } },
    })
    expect(step['reserve workflow']?.body).toEqual({
      reservation_id: expect.stringMatching(/^res_/),
      instructions: expect.any(String),
      job: { job_id: 'job_workflow_ticket_triage' },
      workflow_access: { access_token: expect.stringMatching(/^wft_/) },
    })
    expect(step['complete share']?.body).toEqual({
      submission: { verification: { status: 'queued' } },
    })
    expect(step['status verified']?.body).toEqual({
      submission: { verification: { status: 'verified' } },
    })
    expect(step['status untouched']?.body).toEqual({ submission: null })
    for (const { step: name, text } of answers.filter((answer) =>
      /^(session|list|reserve|complete|status)/.test(answer.step),
    ))
      expect(text, name).not.toMatch(/expires_(at|in)|reserved_until/)
    for (const answer of answers.filter((entry) => entry.status >= 400)) {
      expect(Object.keys(answer.body), answer.step).toEqual(['error_code', 'detail', 'details'])
      const detailKeys = Object.keys(answer.body.details)
      if (answer.body.error_code === 'EXTERNAL_SIGNATURE_WALLET_MISMATCH')
        expect(detailKeys).toEqual([
          'checklist',
          'expected_message',
          'expected_payload_hash',
          'accepted_payload_hashes',
          'expected_wallet',
          'recovered_wallet_for_expected_message',
          'payload_canonical_top_level_keys',
        ])
      else expect(detailKeys, answer.step).toEqual(['checklist'])
    }
  })
})

describe('other-error-codes', () => {
  test('other codes and statuses, the same body shape; signature codes untouched', async () => {
    const answers = await loop({ dialect: 'other-error-codes' })
    const errors = answers
      .filter((answer) => answer.status >= 400)
      .map((answer) => [answer.step, answer.status, answer.body.error_code])
    expect(errors).toEqual([
      ['invoke short', 402, 'INSUFFICIENT_CREDITS'],
      ['reserve taken', 409, 'JOB_NOT_AVAILABLE'],
      ['reserve unknown', 404, 'JOB_NOT_FOUND'],
      ['reserve mismatch', 401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'],
      ['complete invalid', 422, 'VALIDATION_ERROR'],
      ['complete again', 409, 'ALREADY_SUBMITTED'],
      ['workflow forbidden', 403, 'FORBIDDEN'],
      ['complete expired', 410, 'RESERVATION_EXPIRED'],
      ['list bad page', 422, 'VALIDATION_ERROR'],
      ['reserve foreign session', 401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'],
    ])
    for (const answer of answers.filter((entry) => entry.status >= 400))
      expect(answer.body).toMatchObject({
        error_code: expect.any(String),
        detail: expect.any(String),
        details: { checklist: expect.any(Array) },
      })
  })

  test('injected faults too: 429 RATE_LIMIT_EXCEEDED, 500 INTERNAL_ERROR', async () => {
    const app = createSandboxApp({
      dialect: 'other-error-codes',
      faults: [{ route: 'session', status: 429, times: 1 }],
    })
    const open = async () => {
      const response = await app.fetch(apiPaths.session, { method: 'POST', body: '{}' })
      return [
        response.status,
        response.headers.get('retry-after'),
        ((await response.json()) as Json).error_code,
      ]
    }
    expect(await open()).toEqual([429, '1', 'RATE_LIMIT_EXCEEDED'])
    app.faults.set([{ route: 'session', status: 500, times: 1 }])
    expect(await open()).toEqual([500, null, 'INTERNAL_ERROR'])
    expect(await open()).toEqual([422, null, 'VALIDATION_ERROR'])
  })
})

describe('proxy-errors', () => {
  test('per route: 503 first, then every 5th request 502 and 429 in turn, before the route runs', async () => {
    const app = createSandboxApp({ dialect: 'proxy-errors' })
    const session = () =>
      app.fetch(apiPaths.session, {
        method: 'POST',
        body: JSON.stringify({ wallet_address: `0x${'b'.repeat(40)}` }),
      })
    const seen: Array<[number, string | null, string | null, string]> = []
    for (let index = 0; index < 21; index++) {
      const response = await session()
      const text = await response.text()
      seen.push([
        response.status,
        response.headers.get('retry-after'),
        response.headers.get('content-type'),
        text.slice(0, 21),
      ])
    }
    const statuses = seen.map(([status]) => status)
    expect(statuses).toEqual([
      503, 200, 200, 200, 502, 200, 200, 200, 200, 429, 200, 200, 200, 200, 502, 200, 200, 200, 200,
      429, 200,
    ])
    expect(seen[0]).toEqual([503, '1', 'text/html; charset=utf-8', '<html>\r\n<head><title>'])
    expect(seen[4]).toEqual([502, null, 'text/html; charset=utf-8', '<html>\r\n<head><title>'])
    expect(seen[9]?.slice(0, 3)).toEqual([429, '1', 'text/plain; charset=utf-8'])
    for (let index = 1; index < statuses.length; index++)
      expect(statuses[index] !== 200 && statuses[index - 1] !== 200).toBe(false)
    // Nothing changed for the proxied requests: one session per 200 only.
    expect(app.state().sessions).toBe(statuses.filter((status) => status === 200).length)
    // Counted per route: the first list request is proxied as well.
    const list = await app.fetch(apiPaths.list, { method: 'POST', body: '{}' })
    expect(list.status).toBe(503)
  })

  test('the loop: every call gets through within 2 attempts', async () => {
    const answers = await loop({ dialect: 'proxy-errors' })
    expect(answers.some((answer) => answer.step.endsWith('(attempt 3)'))).toBe(false)
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThan(5)
    expect(answers.some((answer) => answer.status === 502)).toBe(true)
  })
})

describe('composed dialects', () => {
  test('applied in order: expires-in-only, then floats and extras', async () => {
    const step = byStep(await loop({ dialect: ['expires-in-only', 'nulls-and-extras'] }))
    expect(step['reserve share']?.text).toContain('"expires_in":1800.0')
    expect(step['reserve share']?.text).not.toContain('expires_at')
    expect(step['reserve share']?.body.workflow_access).toBeNull()
  })

  test('nested-reservation, python-timestamps and link-objects together', async () => {
    const step = byStep(
      await loop({ dialect: ['nested-reservation', 'link-objects', 'python-timestamps'] }),
    )
    const body = step['reserve share']?.body
    expect(body.reservation.expires_at).toBe('2026-11-28T21:30:00.000000')
    expect(body.job.social_share.tracking_links[0].url).toMatch(/^https:/)
    expect(step['complete share']?.status).toBe(200)
  })
})

describe('an unknown dialect', () => {
  test('is a typed error naming the valid ones', () => {
    for (const dialect of ['django', ['python-timestamps', 'django']] as never[]) {
      let caught: unknown
      try {
        createSandboxApp({ dialect })
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(UnknownDialectError)
      expect(caught).toBeInstanceOf(BaseError)
      const error = caught as UnknownDialectError
      expect(error.name).toBe('Sandbox.UnknownDialectError')
      expect(error.dialect).toBe('django')
      expect(error.message).toContain(sandboxDialects.join(', '))
    }
  })
})
