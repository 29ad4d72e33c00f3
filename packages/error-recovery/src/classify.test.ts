import { describe, expect, test } from 'vitest'
import {
  type ApiEndpoint,
  type ApiError,
  ConflictError,
  CreditsInsufficientError,
  ForbiddenError,
  InternalServerError,
  JobAlreadyReservedError,
  JobAlreadySubmittedError,
  NotFoundError,
  PayloadTooLargeError,
  parseApiError,
  RateLimitedError,
  type Recovery,
  RequestInvalidError,
  ReservationExpiredError,
  recoveryFor,
  ServiceUnavailableError,
  SignatureError,
  UnknownApiError,
  UnknownAuthError,
} from './index.js'

type ErrorClass = abstract new (...args: never[]) => ApiError

const endpoints: readonly (ApiEndpoint | undefined)[] = [
  undefined,
  'session',
  'list',
  'reserve',
  'complete',
  'status',
  'workflow',
  'tool',
  'balance',
]

// The table of the brief and PROTOCOL section 6, written out by hand: status, endpoint (any when
// undefined), class, recovery.
const table: readonly [number, ApiEndpoint | 'other' | undefined, ErrorClass, Recovery][] = [
  [400, undefined, RequestInvalidError, 'none'],
  [422, undefined, RequestInvalidError, 'none'],
  [401, undefined, UnknownAuthError, 'new-session'],
  [402, undefined, CreditsInsufficientError, 'none'],
  [403, undefined, ForbiddenError, 'none'],
  [404, undefined, NotFoundError, 'none'],
  [409, 'reserve', JobAlreadyReservedError, 'none'],
  [409, 'complete', JobAlreadySubmittedError, 'none'],
  [409, 'other', ConflictError, 'none'],
  [410, undefined, ReservationExpiredError, 'none'],
  [413, undefined, PayloadTooLargeError, 'none'],
  [429, undefined, RateLimitedError, 'retry-later'],
  [500, undefined, InternalServerError, 'new-request'],
  [502, undefined, ServiceUnavailableError, 'retry-later'],
  [503, undefined, ServiceUnavailableError, 'retry-later'],
  [504, undefined, ServiceUnavailableError, 'retry-later'],
  [301, undefined, UnknownApiError, 'none'],
  [405, undefined, UnknownApiError, 'none'],
  [418, undefined, UnknownApiError, 'none'],
  [501, undefined, UnknownApiError, 'none'],
  [505, undefined, UnknownApiError, 'none'],
]

const rows = table.flatMap(([status, where, ErrorClass, recovery]) =>
  endpoints
    .filter((endpoint) =>
      where === undefined
        ? true
        : where === 'other'
          ? endpoint !== 'reserve' && endpoint !== 'complete'
          : endpoint === where,
    )
    .map((endpoint) => [status, endpoint ?? '(none)', ErrorClass, recovery, endpoint] as const),
)

describe('a code this toolkit does not know: by status and endpoint', () => {
  test.each(rows)('%i on %s: %o, %s', (status, _, ErrorClass, recovery, endpoint) => {
    const error = parseApiError(
      status,
      { error_code: 'JOB_TAKEN_BY_SOMEONE', detail: 'Nope.', details: { checklist: ['x'] } },
      { endpoint },
    )
    expect(error).toBeInstanceOf(ErrorClass)
    expect(error.constructor).toBe(ErrorClass)
    expect(error.name).toBe(`ErrorRecovery.${ErrorClass.name}`)
    expect(error.errorCode).toBe('JOB_TAKEN_BY_SOMEONE')
    expect(error.classifiedBy).toBe('status')
    expect(error.endpoint).toBe(endpoint)
    expect(error.detail).toBe('Nope.')
    expect(error.errorDetails.checklist).toEqual(['x'])
    expect(recoveryFor(error)).toBe(recovery)
    expect(error.docsPath).toBe('/documents/Errors.html#codes-we-do-not-know')
  })

  test.each(rows)(
    '%i on %s without any code: %o, %s',
    (status, _, ErrorClass, recovery, endpoint) => {
      for (const body of [{ detail: 'Nope.' }, { error_code: 7 }, 'Nope.', '', null]) {
        const error = parseApiError(status, body, { endpoint })
        expect(error.constructor).toBe(ErrorClass)
        expect(error.errorCode).toBeUndefined()
        expect(error.classifiedBy).toBe('status')
        expect(recoveryFor(error)).toBe(recovery)
      }
    },
  )

  test('the report: a taken job under another server code is a JobAlreadyReservedError', () => {
    const error = parseApiError(
      409,
      { error_code: 'JOB_ALREADY_RESERVED', detail: 'Reserved by another agent.' },
      { method: 'POST', url: '/api/external/jobs/job_1/reserve', endpoint: 'reserve' },
    )
    expect(error).toBeInstanceOf(JobAlreadyReservedError)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toMatchInlineSnapshot(`
      "The job is already reserved. (HTTP 409 JOB_ALREADY_RESERVED)

      Request: POST /api/external/jobs/job_1/reserve
      Unknown error_code: classified by HTTP status on reserve.

      Details: Reserved by another agent.
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Errors.html#codes-we-do-not-know"
    `)
  })

  test('a 409 on another endpoint, and an unknown 401, have summaries of their own', () => {
    expect(parseApiError(409, '', { endpoint: 'workflow' }).shortMessage).toBe(
      'The request conflicts with the current state of the job. (HTTP 409)',
    )
    const auth = parseApiError(401, { error_code: 'AUTH_FAILED' })
    expect(auth.shortMessage).toBe(
      'The server refused the signature or the session without a documented code. (HTTP 401 AUTH_FAILED)',
    )
    // Not one of the five documented signature errors: no fix-signature, no diagnosis.
    expect(auth).not.toBeInstanceOf(SignatureError)
  })

  test('a known code decides the class whatever the endpoint, and says so', () => {
    const replay = parseApiError(
      409,
      { error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY' },
      { endpoint: 'reserve' },
    )
    expect(replay.name).toBe('ErrorRecovery.RequestReplayError')
    expect(replay.classifiedBy).toBe('error_code')
    expect(recoveryFor(replay)).toBe('new-request')
    const submitted = parseApiError(
      409,
      { error_code: 'EXTERNAL_JOB_ALREADY_SUBMITTED' },
      { endpoint: 'reserve' },
    )
    expect(submitted).toBeInstanceOf(JobAlreadySubmittedError)
    expect(submitted.classifiedBy).toBe('error_code')
  })

  test('an endpoint that is not one of ours (from plain JavaScript) is "elsewhere"', () => {
    const error = parseApiError(409, '', { endpoint: 'jobs/reserve' as ApiEndpoint })
    expect(error.constructor).toBe(ConflictError)
  })

  test('a 429 or 503 without a code keeps Retry-After', () => {
    expect(parseApiError(429, '', { retryAfter: '2' }).retryAfterMs).toBe(2000)
    expect(parseApiError(503, '<html></html>', { retryAfter: '4' }).retryAfterMs).toBe(4000)
  })
})

describe('an error body raised as a Python HTTP exception', () => {
  test('{ detail: { error_code, detail, details } } is read as the body', () => {
    const error = parseApiError(
      401,
      {
        detail: {
          error_code: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
          detail: 'The session nonce expired.',
          details: { checklist: ['Create a new session nonce.'] },
        },
      },
      { endpoint: 'list' },
    )
    expect(error.name).toBe('ErrorRecovery.SessionNonceExpiredError')
    expect(error.classifiedBy).toBe('error_code')
    expect(error.detail).toBe('The session nonce expired.')
    expect(error.errorDetails.checklist).toEqual(['Create a new session nonce.'])
  })
})

describe('a body that is not JSON', () => {
  const nginx =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n'

  test("a proxy's HTML page: its title as the detail, the page on body", () => {
    const error = parseApiError(502, nginx, { endpoint: 'reserve' })
    expect(error).toBeInstanceOf(ServiceUnavailableError)
    expect(error.detail).toBe('HTML page: "502 Bad Gateway"')
    expect(error.body).toBe(nginx)
    expect(recoveryFor(error)).toBe('retry-later')
    expect(error.message).toMatchInlineSnapshot(`
      "The service, or a gateway in front of it, is unavailable. (HTTP 502)

      Details: HTML page: "502 Bad Gateway"
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Errors.html#codes-we-do-not-know"
    `)
  })

  test.each([
    [
      'no title: the first heading',
      '<html><body><h1>Access <b>denied</b></h1><p>x</p></body></html>',
      'HTML page: "Access denied"',
    ],
    [
      'a doctype, no title or heading: the text',
      '<!DOCTYPE html><html><body><p>Down\n\n  for   maintenance</p></body></html>',
      'HTML page: "Down for maintenance"',
    ],
    [
      'scripts, styles, comments dropped',
      '<html><head><style>p{}</style><script>alert(1)</script></head><body><!-- hi --><p>Text</p><script>var a = "<b>"</script></body></html>',
      'HTML page: "Text"',
    ],
    [
      'entities decoded',
      '<html><title>Fish &amp; Chips &lt;3 &#39;ok&#x27; &nbsp;&hellip;</title></html>',
      'HTML page: "Fish & Chips <3 \'ok\' &hellip;"',
    ],
    ['an empty page', '<html><head></head><body>  </body></html>', 'HTML page'],
    [
      'XML',
      '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Denied</Message></Error>',
      'Markup: "AccessDenied Denied"',
    ],
    ['unclosed tags', '<html><title>Broken', 'HTML page: "Broken"'],
    ['plain text, whitespace collapsed', '  upstream\n  connect error  ', 'upstream connect error'],
    ['text that only starts like a tag', '< 5 seconds', '< 5 seconds'],
  ])('%s', (_, body, detail) => {
    expect(parseApiError(503, body).detail).toBe(detail)
  })

  test('a long title, text or page is cut: detail at 200 characters, body at 2000', () => {
    const title = 'T'.repeat(1000)
    const page = `<html><title>${title}</title><body>${'x'.repeat(10_000)}</body></html>`
    const error = parseApiError(500, page)
    expect(error.detail).toBe(`HTML page: "${'T'.repeat(200)}…"`)
    expect(error.body).toBe(`${page.slice(0, 2000)}…`)
    expect(parseApiError(500, 'y'.repeat(1000)).detail).toBe(`${'y'.repeat(200)}…`)
  })

  test('still redacted: a signature in a page, even one split by tags', () => {
    const signature = `0x${'1f'.repeat(64)}1c`
    const key = `0x${'59'.repeat(32)}`
    const split = `${signature.slice(0, 70)}<wbr>${signature.slice(70)}`
    const page = `<html><title>bad ${signature}</title><body><h1>${split}</h1><p>${key}</p></body></html>`
    for (const body of [page, page.replace(/<title>.*<\/title>/, '')]) {
      const error = parseApiError(401, body)
      const everything = [error.message, String(error.body), error.detail].join('\n')
      expect(everything).not.toContain(signature)
      expect(everything).not.toContain(signature.slice(2))
      expect(everything).not.toContain(key)
    }
    expect(parseApiError(401, page.replace(/<title>.*<\/title>/, '')).detail).toBe(
      'HTML page: "0x1f1f1f1f…1f1f1f1c"',
    )
  })

  test('a page full of unclosed tags is read in linear time', () => {
    const started = performance.now()
    parseApiError(502, `<html>${'<title <script <h1 <!-- '.repeat(200_000)}`)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
