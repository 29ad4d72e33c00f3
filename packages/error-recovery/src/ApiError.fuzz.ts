import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { type ApiEndpoint, ApiError, errorCodes, parseApiError, recoveryFor } from './index.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

const endpoint = fc.option(
  fc.constantFrom<ApiEndpoint>(
    'session',
    'list',
    'reserve',
    'complete',
    'status',
    'workflow',
    'tool',
    'balance',
  ),
  { nil: undefined },
)
const knownCode = fc.constantFrom(...Object.keys(errorCodes))
const tag = fc.constantFrom('html', 'head', 'title', 'body', 'h1', 'p', 'script', 'style', 'wbr')
const markup = fc
  .array(
    fc.oneof(
      tag.map((name) => `<${name}>`),
      tag.map((name) => `</${name}>`),
      fc.constantFrom('<!--', '-->', '<!DOCTYPE html>', '&amp;', '&#x110000;', '&#0;', '<'),
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^[0-9a-f]{1,140}$/),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''))
const body = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  markup,
  fc.record(
    {
      error_code: fc.oneof(knownCode, fc.string(), fc.jsonValue()),
      detail: fc.oneof(fc.string(), fc.jsonValue()),
      details: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue().map((value) => JSON.stringify(value)),
)

test.prop([fc.integer({ min: 100, max: 599 }), body, endpoint], { numRuns })(
  'parseApiError never throws and always classifies',
  (status, value, where) => {
    const error = parseApiError(status, value, { endpoint: where })
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(status)
    expect(error.endpoint).toBe(where)
    const known = error.errorCode !== undefined && Object.hasOwn(errorCodes, error.errorCode)
    expect(error.classifiedBy).toBe(known ? 'error_code' : 'status')
    expect(['new-session', 'new-request', 'fix-signature', 'retry-later', 'none']).toContain(
      recoveryFor(error),
    )
    // A detail is one short line (500 for a server's own detail, 200 + label for text).
    expect(error.detail === undefined || error.detail.length <= 501).toBe(true)
    if (typeof value === 'string' && /^\s*<[!?a-zA-Z]/.test(value))
      expect(error.detail ?? 'HTML page').toMatch(/^(HTML page|Markup)(: "[^\r\n]*")?$/)
    expect(() => error.message).not.toThrow()
  },
)
