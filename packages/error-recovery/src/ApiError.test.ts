import { BaseError } from '@agentpmt-kit/canonical-json'
import { describe, expect, test } from 'vitest'
import {
  ApiError,
  ConflictError,
  InternalServerError,
  JobAlreadyReservedError,
  parseApiError,
  RateLimitedError,
  SignatureError,
  UnknownApiError,
  WalletMismatchError,
} from './index.js'

const body = (error_code: string, extra: Record<string, unknown> = {}) => ({
  error_code,
  detail: 'The session nonce expired.',
  details: { checklist: ['Create a new session nonce, use a fresh request_id, and re-sign.'] },
  ...extra,
})

describe('parseApiError', () => {
  test('message: short line, request, checklist, detail, docs link', () => {
    const error = parseApiError(401, body('EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'), {
      method: 'POST',
      url: 'https://www.agentpmt.com/api/external/jobs/list',
      requestId: 'req-1',
    })
    expect(error.message).toMatchInlineSnapshot(`
      "The session nonce expired. (HTTP 401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED)

      Request: POST https://www.agentpmt.com/api/external/jobs/list
      request_id: req-1
      Checklist:
      - Create a new session nonce, use a fresh request_id, and re-sign.

      Details: The session nonce expired.
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Errors.html#external_signature_session_nonce_expired"
    `)
    expect(error.shortMessage).toBe(
      'The session nonce expired. (HTTP 401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED)',
    )
    expect(error.method).toBe('POST')
    expect(error.requestId).toBe('req-1')
  })

  test('classes form a hierarchy under BaseError', () => {
    const mismatch = parseApiError(401, body('EXTERNAL_SIGNATURE_WALLET_MISMATCH'))
    expect(mismatch).toBeInstanceOf(WalletMismatchError)
    expect(mismatch).toBeInstanceOf(SignatureError)
    expect(mismatch).toBeInstanceOf(ApiError)
    expect(mismatch).toBeInstanceOf(BaseError)
    const reserved = parseApiError(409, body('EXTERNAL_JOB_ALREADY_RESERVED'))
    expect(reserved).toBeInstanceOf(JobAlreadyReservedError)
    expect(reserved).toBeInstanceOf(ConflictError)
    expect(reserved).not.toBeInstanceOf(SignatureError)
  })

  test('the class follows the code even when the status is unusual', () => {
    const error = parseApiError(400, body('EXTERNAL_RATE_LIMITED'))
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.status).toBe(400)
  })

  test('wallet-mismatch details are kept', () => {
    const details = {
      checklist: ['Compare details.expected_message.'],
      expected_message: 'agentpmt-external\n...',
      accepted_path_candidates: ['/external/tools/a/actions/b/invoke'],
      expected_payload_hash: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      recovered_wallet: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
      extra_field: { kept: true },
    }
    const error = parseApiError(401, body('EXTERNAL_SIGNATURE_WALLET_MISMATCH', { details }))
    expect(error.errorDetails).toEqual(details)
  })

  test('checklist: a string becomes one item, non-strings are dropped, missing is empty', () => {
    const one = parseApiError(400, { error_code: 'X', detail: 'd', details: { checklist: 'do' } })
    expect(one.errorDetails.checklist).toEqual(['do'])
    const mixed = parseApiError(400, { details: { checklist: ['a', 1, null, 'b'] } })
    expect(mixed.errorDetails.checklist).toEqual(['a', 'b'])
    expect(parseApiError(400, { detail: 'x' }).errorDetails).toEqual({ checklist: [] })
  })

  test('never throws, whatever the body', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    for (const value of [undefined, null, 0, true, [], 'x', '{not json', circular, { detail: 5 }]) {
      expect(parseApiError(500, value)).toBeInstanceOf(InternalServerError)
      expect(parseApiError(599, value)).toBeInstanceOf(UnknownApiError)
    }
  })

  test('an unknown status without a body', () => {
    const error = parseApiError(418, undefined)
    expect(error.shortMessage).toBe('The API refused the request. (HTTP 418)')
    expect(error).toBeInstanceOf(UnknownApiError)
    expect(error.classifiedBy).toBe('status')
    expect(error.docsPath).toBe('/documents/Errors.html#codes-we-do-not-know')
    expect(error.detail).toBeUndefined()
  })

  test('a full signature in the body is shortened everywhere, a key-shaped value hidden', () => {
    const signature = `0x${'1f'.repeat(64)}1c`
    const key = `0x${'59'.repeat(32)}`
    const error = parseApiError(
      401,
      {
        error_code: 'EXTERNAL_SIGNATURE_MALFORMED',
        detail: `Bad signature ${signature} from ${key}`,
        details: { checklist: [`Do not send ${signature}`], signature, nested: [{ key }] },
      },
      { url: `https://x.test/?sig=${signature}` },
    )
    const everything = [
      error.message,
      JSON.stringify(error.body),
      JSON.stringify(error.errorDetails),
      error.url,
    ].join('\n')
    expect(everything).not.toContain(signature)
    expect(everything).not.toContain(key)
    expect(error.detail).toBe('Bad signature 0x1f1f1f1f…1f1f1f1c from 0x<redacted 32 bytes>')
    expect(error.errorDetails.signature).toBe('0x1f1f1f1f…1f1f1f1c')
  })

  test('compact and unprefixed signatures are shortened too', () => {
    const compact = `0x${'2e'.repeat(64)}`
    const bare = `${'3f'.repeat(65)}`
    const error = parseApiError(401, { detail: `compact ${compact}, bare ${bare}` })
    expect(error.detail).toBe('compact 0x2e2e2e2e…2e2e2e2e, bare 3f3f3f3f…3f3f3f3f')
  })

  test('a 64-hex payload hash without 0x and a wallet address are left alone', () => {
    const hash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
    const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
    const error = parseApiError(401, { detail: `${hash} ${wallet}` })
    expect(error.detail).toBe(`${hash} ${wallet}`)
  })

  test('a "__proto__" key in the body stays a plain key', () => {
    const error = parseApiError(
      400,
      JSON.parse('{"details":{"__proto__":{"polluted":1},"checklist":[]}}'),
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(error.errorDetails)).toBe(Object.prototype)
  })

  test('a long detail is cut at 500 characters', () => {
    const error = parseApiError(400, { detail: 'x'.repeat(2000) })
    expect(error.detail).toHaveLength(501)
    expect(error.detail?.endsWith('…')).toBe(true)
  })

  test('Retry-After from context, a Headers object or a record', () => {
    expect(parseApiError(429, '', { retryAfter: '3' }).retryAfterMs).toBe(3000)
    expect(
      parseApiError(429, '', { headers: new Headers({ 'Retry-After': '4' }) }).retryAfterMs,
    ).toBe(4000)
    expect(parseApiError(429, '', { headers: { 'RETRY-AFTER': ['5'] } }).retryAfterMs).toBe(5000)
    expect(
      parseApiError(503, '', {
        headers: { 'retry-after': 'Sun, 17 May 2026 14:31:00 GMT' },
        now: Date.parse('2026-05-17T14:30:00Z'),
      }).retryAfterMs,
    ).toBe(60_000)
    expect(
      parseApiError(429, '', { retryAfter: '1', headers: { 'retry-after': '9' } }).retryAfterMs,
    ).toBe(1000)
    expect(parseApiError(429, '').retryAfterMs).toBeUndefined()
  })
})
