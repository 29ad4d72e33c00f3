import { expect, test } from 'vitest'
import {
  ApiError,
  ConflictError,
  errorCodes,
  parseApiError,
  recoveryFor,
  UnknownAuthError,
} from './index.js'

const coded = (status: number, error_code: string) =>
  parseApiError(status, { error_code, detail: '', details: { checklist: [] } })

// The table of the issue and PROTOCOL section 5, written out by hand.
test.each([
  [401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID', 'new-session'],
  [401, 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED', 'new-session'],
  [401, 'EXTERNAL_SIGNATURE_MALFORMED', 'fix-signature'],
  [401, 'EXTERNAL_SIGNATURE_WALLET_MISMATCH', 'fix-signature'],
  [409, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY', 'new-request'],
  [500, 'EXTERNAL_INTERNAL_ERROR', 'new-request'],
  [429, 'EXTERNAL_RATE_LIMITED', 'retry-later'],
  [503, 'EXTERNAL_SERVICE_UNAVAILABLE', 'retry-later'],
  [400, 'EXTERNAL_REQUEST_INVALID', 'none'],
  [402, 'EXTERNAL_CREDITS_INSUFFICIENT', 'none'],
  [403, 'EXTERNAL_FORBIDDEN', 'none'],
  [404, 'EXTERNAL_NOT_FOUND', 'none'],
  [409, 'EXTERNAL_JOB_ALREADY_RESERVED', 'none'],
  [409, 'EXTERNAL_RESERVATION_EXPIRED', 'none'],
])('%i %s: %s', (status, code, recovery) => {
  expect(recoveryFor(coded(status, code))).toBe(recovery)
})

test.each([
  [429, 'retry-later'],
  [502, 'retry-later'],
  [503, 'retry-later'],
  [504, 'retry-later'],
  [500, 'new-request'],
  [501, 'none'],
  [400, 'none'],
  [401, 'new-session'],
  [402, 'none'],
  [403, 'none'],
  [404, 'none'],
  [409, 'none'],
  [410, 'none'],
  [413, 'none'],
  [418, 'none'],
  [422, 'none'],
])('status %i without a known code: %s', (status, recovery) => {
  expect(recoveryFor(parseApiError(status, 'text'))).toBe(recovery)
  expect(recoveryFor(coded(status, 'EXTERNAL_NOT_YET_INVENTED'))).toBe(recovery)
})

test('anything that is not an API or transport error: none', () => {
  for (const value of [new Error('bug'), new TypeError('x'), 'string', undefined, null])
    expect(recoveryFor(value)).toBe('none')
})

// The recovery of a class must not hang on the code: a server that sends its own codes gets
// the recovery of the class its status picks, which is that of the class's known code.
test.each(Object.entries(errorCodes))(
  '%s: the same recovery when a stranger code takes its class by status',
  (code, { status, recovery }) => {
    const byCode = coded(status, code)
    const byStatus = coded(status, 'SOME_OTHER_SERVER_CODE')
    expect(recoveryFor(byCode)).toBe(recovery)
    if (byStatus.constructor === byCode.constructor) expect(recoveryFor(byStatus)).toBe(recovery)
  },
)

test('the class decides, not the code: a hand-built error with a known code gets its class recovery', () => {
  const init = {
    status: 401,
    errorCode: 'EXTERNAL_RATE_LIMITED',
    detail: undefined,
    errorDetails: { checklist: [] },
    body: '',
  }
  expect(recoveryFor(new UnknownAuthError(init))).toBe('new-session')
  expect(recoveryFor(new ApiError({ ...init, status: 503 }))).toBe('retry-later')
  expect(recoveryFor(new ConflictError({ ...init, status: 503 }))).toBe('none')
})
