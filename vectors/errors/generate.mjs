// Writes vectors/errors/*.json: error response bodies with the class, recovery and (for wallet
// mismatches) the diagnosis an implementation must give. Independent of every package of this
// repository: messages are written from the line layout of the public guide (seed 002, "Wallet
// Signature Reference") and hashed with node:crypto, so the vectors can catch a bug in
// message-builder or error-recovery instead of copying it.
//
//   node vectors/errors/generate.mjs [--check]
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex')
const sorted = (value) =>
  Array.isArray(value)
    ? value.map(sorted)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sorted(value[key])]),
        )
      : value
const canonicalRaw = (value) => JSON.stringify(sorted(value))
// Python's json.dumps(ensure_ascii=True): every code unit above U+007E as \uXXXX, lower-case hex.
const canonicalAscii = (value) =>
  canonicalRaw(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
const hashOf = (value) => sha256(canonicalRaw(value))

// The seed's layout: prefix, wallet, session, request, two scope lines, payload; joined by \n.
const message = ({ wallet, session, request, scope, payloadHash }) =>
  [
    'agentpmt-external',
    `wallet:${wallet}`,
    `session:${session}`,
    `request:${request}`,
    ...scope,
    `payload:${payloadHash}`,
  ].join('\n')

const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const walletChecksum = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const otherWallet = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc'
const session = 'nonce-7f3a'
const request = 'req-0001'
const listPayload = { limit: 50, skip: 0 }
const listScope = ['action:job_list', 'product:-']
const reserveScope = ['action:job_reserve', 'product:job_123']
const invokePath = '/external/tools/web-search/actions/search/invoke'
const invokeScope = ['method:POST', `path:${invokePath}`]
const invokeCandidates = [invokePath, `${invokePath}/`, `/api${invokePath}`, `/api${invokePath}/`]
const completion = {
  reservation_id: 'res_1',
  proof_text: 'Published the post.',
  social_posts: [
    {
      platform: 'linkedin',
      post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:1',
      target_url_used: 'https://www.agentpmt.com/p?utm_source=linkedin',
      message_text: 'Paid AgentPMT share',
      posted_at: '2026-05-17T14:30:00Z',
    },
  ],
}
const completeScope = ['action:job_complete', 'product:job_123']

const signatureErrors = {
  // detail and checklist: the seed's "Meaning" and "Recovery" columns.
  EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID: [
    401,
    'The session nonce does not exist for this wallet.',
    'Create a fresh session nonce with POST /api/external/auth/session and re-sign.',
    'SessionNonceInvalidError',
    'new-session',
  ],
  EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED: [
    401,
    'The session nonce expired.',
    'Create a new session nonce, use a fresh request_id, and re-sign.',
    'SessionNonceExpiredError',
    'new-session',
  ],
  EXTERNAL_SIGNATURE_MALFORMED: [
    401,
    'The signature could not be recovered as an EIP-191 personal_sign signature.',
    'Sign the exact UTF-8 message string and send a 0x-prefixed 65-byte signature.',
    'SignatureMalformedError',
    'fix-signature',
  ],
  EXTERNAL_SIGNATURE_WALLET_MISMATCH: [
    401,
    'The signature recovered to a different wallet than wallet_address.',
    'Compare details.expected_message, details.accepted_path_candidates, and details.expected_payload_hash; then sign with the wallet private key for wallet_address.',
    'WalletMismatchError',
    'fix-signature',
  ],
  EXTERNAL_SIGNATURE_REQUEST_REPLAY: [
    409,
    'The request_id was already used for this session.',
    'Generate a fresh request_id and sign again.',
    'RequestReplayError',
    'new-request',
  ],
  // PROTOCOL section 5 ("other statuses seen in public guides") and this project's codes.
  EXTERNAL_REQUEST_INVALID: [
    400,
    'limit must be an integer.',
    'Fix the body.',
    'RequestInvalidError',
    'none',
  ],
  EXTERNAL_PROOF_INVALID: [
    400,
    'target_url_used is not the tracked URL.',
    'Use the tracked link.',
    'ProofInvalidError',
    'none',
  ],
  EXTERNAL_CREDITS_INSUFFICIENT: [
    402,
    'Not enough credits.',
    'Buy credits.',
    'CreditsInsufficientError',
    'none',
  ],
  EXTERNAL_FORBIDDEN: [
    403,
    'This reservation belongs to another wallet.',
    'Reserve the job yourself.',
    'ForbiddenError',
    'none',
  ],
  EXTERNAL_NOT_FOUND: [404, 'No such job.', 'Check the job id.', 'NotFoundError', 'none'],
  EXTERNAL_JOB_ALREADY_RESERVED: [
    409,
    'The job is reserved by another agent.',
    'Pick another job.',
    'JobAlreadyReservedError',
    'none',
  ],
  EXTERNAL_JOB_ALREADY_SUBMITTED: [
    409,
    'Proof was already submitted.',
    'Poll the status.',
    'JobAlreadySubmittedError',
    'none',
  ],
  EXTERNAL_RESERVATION_EXPIRED: [
    409,
    'The reservation expired.',
    'Reserve again if the job is open.',
    'ReservationExpiredError',
    'none',
  ],
  EXTERNAL_PAYLOAD_TOO_LARGE: [
    413,
    'The body is too large.',
    'Send less.',
    'PayloadTooLargeError',
    'none',
  ],
  EXTERNAL_RATE_LIMITED: [
    429,
    'Too many requests.',
    'Wait and retry.',
    'RateLimitedError',
    'retry-later',
  ],
  EXTERNAL_INTERNAL_ERROR: [
    500,
    'Internal error.',
    'Retry once with a fresh request_id.',
    'InternalServerError',
    'new-request',
  ],
  EXTERNAL_SERVICE_UNAVAILABLE: [
    503,
    'Down for maintenance.',
    'Retry later.',
    'ServiceUnavailableError',
    'retry-later',
  ],
}

const codes = Object.entries(signatureErrors).map(
  ([code, [status, detail, step, className, recovery]]) => ({
    name: code,
    status,
    body: { error_code: code, detail, details: { checklist: [step] } },
    expected: {
      className,
      classifiedBy: 'error_code',
      errorCode: code,
      detail,
      checklist: [step],
      recovery,
      retryAfterMs: null,
    },
  }),
)
codes.push(
  {
    name: 'rate limited with Retry-After in seconds',
    status: 429,
    headers: { 'Retry-After': '7' },
    body: { error_code: 'EXTERNAL_RATE_LIMITED', detail: 'Slow down.', details: { checklist: [] } },
    expected: {
      className: 'RateLimitedError',
      classifiedBy: 'error_code',
      errorCode: 'EXTERNAL_RATE_LIMITED',
      detail: 'Slow down.',
      checklist: [],
      recovery: 'retry-later',
      retryAfterMs: 7000,
    },
  },
  {
    name: 'service unavailable with Retry-After as an HTTP date',
    status: 503,
    now: '2026-05-17T14:30:00.000Z',
    headers: { 'retry-after': 'Sun, 17 May 2026 14:30:30 GMT' },
    body: {
      error_code: 'EXTERNAL_SERVICE_UNAVAILABLE',
      detail: 'Down for maintenance.',
      details: { checklist: ['Retry later.'] },
    },
    expected: {
      className: 'ServiceUnavailableError',
      classifiedBy: 'error_code',
      errorCode: 'EXTERNAL_SERVICE_UNAVAILABLE',
      detail: 'Down for maintenance.',
      checklist: ['Retry later.'],
      recovery: 'retry-later',
      retryAfterMs: 30000,
    },
  },
)

const signature = `0x${'ab'.repeat(32)}${'cd'.repeat(32)}1b`
// A code this toolkit does not know (or none) is classified by HTTP status and endpoint, by this
// table (PROTOCOL section 6; written out here, not read from the package):
const byStatus = {
  400: ['RequestInvalidError', 'none'],
  401: ['UnknownAuthError', 'new-session'],
  402: ['CreditsInsufficientError', 'none'],
  403: ['ForbiddenError', 'none'],
  404: ['NotFoundError', 'none'],
  409: ['ConflictError', 'none'],
  410: ['ReservationExpiredError', 'none'],
  413: ['PayloadTooLargeError', 'none'],
  422: ['RequestInvalidError', 'none'],
  429: ['RateLimitedError', 'retry-later'],
  500: ['InternalServerError', 'new-request'],
  502: ['ServiceUnavailableError', 'retry-later'],
  503: ['ServiceUnavailableError', 'retry-later'],
  504: ['ServiceUnavailableError', 'retry-later'],
}
const conflictOn = {
  reserve: 'JobAlreadyReservedError',
  complete: 'JobAlreadySubmittedError',
}
// Statuses the table leaves to UnknownApiError, whose recovery follows the status alone.
const unclassified = { 307: 'none', 405: 'none', 418: 'none', 501: 'none', 505: 'none' }
const endpoints = [
  'session',
  'list',
  'reserve',
  'complete',
  'status',
  'workflow',
  'tool',
  'balance',
]
const classify = (status, endpoint) =>
  status === 409 && endpoint in conflictOn
    ? [conflictOn[endpoint], 'none']
    : (byStatus[status] ?? ['UnknownApiError', unclassified[status]])

const unknown = (status, extra = {}) => ({
  className: classify(status)[0],
  classifiedBy: 'status',
  errorCode: null,
  recovery: classify(status)[1],
  retryAfterMs: null,
  checklist: [],
  ...extra,
})
const unparseable = [
  {
    name: 'HTML page from a gateway (502)',
    status: 502,
    body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    expected: unknown(502, { detail: 'HTML page: "502 Bad Gateway"' }),
  },
  {
    name: "nginx's 504 page: the title, never the markup",
    status: 504,
    body: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
    expected: unknown(504, { detail: 'HTML page: "504 Gateway Time-out"' }),
  },
  {
    name: 'an HTML page with a doctype, entities, a style and no title (503)',
    status: 503,
    body: '<!DOCTYPE html>\n<html><head><style>body { color: red }</style></head><body>\n  <p>Service &amp; API\n  are   down&nbsp;for maintenance.</p></body></html>',
    expected: unknown(503, { detail: 'HTML page: "Service & API are down for maintenance."' }),
  },
  {
    name: 'an HTML 401 from an auth proxy',
    status: 401,
    body: '<html><head><title>401 Authorization Required</title></head><body></body></html>',
    expected: unknown(401, { detail: 'HTML page: "401 Authorization Required"' }),
  },
  {
    name: 'empty body (504)',
    status: 504,
    body: '',
    expected: unknown(504, { detail: null }),
  },
  {
    name: 'plain text 500',
    status: 500,
    body: 'Internal Server Error',
    expected: unknown(500, { detail: 'Internal Server Error' }),
  },
  {
    name: 'JSON array (400)',
    status: 400,
    body: [{ msg: 'field required' }],
    expected: unknown(400, { detail: null }),
  },
  {
    name: 'JSON null (401)',
    status: 401,
    body: null,
    expected: unknown(401, { detail: null }),
  },
  {
    name: 'an error_code this toolkit does not know (418)',
    status: 418,
    body: { error_code: 'EXTERNAL_TEAPOT', detail: 'I am a teapot.', details: { checklist: [] } },
    expected: unknown(418, {
      errorCode: 'EXTERNAL_TEAPOT',
      detail: 'I am a teapot.',
    }),
  },
  {
    name: 'an unknown code on a 503 is retried on the status',
    status: 503,
    body: { error_code: 'EXTERNAL_SOMETHING_NEW', detail: 'Busy.' },
    expected: unknown(503, {
      errorCode: 'EXTERNAL_SOMETHING_NEW',
      detail: 'Busy.',
    }),
  },
  {
    name: 'a known code in a body still given as JSON text',
    status: 409,
    body: JSON.stringify({
      error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
      detail: 'The request_id was already used for this session.',
      details: { checklist: ['Generate a fresh request_id and sign again.'] },
    }),
    expected: {
      className: 'RequestReplayError',
      classifiedBy: 'error_code',
      errorCode: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
      detail: 'The request_id was already used for this session.',
      checklist: ['Generate a fresh request_id and sign again.'],
      recovery: 'new-request',
      retryAfterMs: null,
    },
  },
  {
    name: 'details that are not an object and a code that is not a string',
    status: 400,
    body: { error_code: 42, detail: 'Bad.', details: 'checklist' },
    expected: unknown(400, { detail: 'Bad.' }),
  },
  {
    name: 'a server that echoes the full signature: never kept in full',
    status: 401,
    body: {
      error_code: 'EXTERNAL_SIGNATURE_MALFORMED',
      detail: `Could not recover ${signature}.`,
      details: { checklist: [], signature },
    },
    expected: {
      className: 'SignatureMalformedError',
      classifiedBy: 'error_code',
      errorCode: 'EXTERNAL_SIGNATURE_MALFORMED',
      checklist: [],
      recovery: 'fix-signature',
      retryAfterMs: null,
      mustNotContain: [signature],
    },
  },
]

// Every status of the table on every endpoint (and without one), with a code no server is known
// to send: the class, the raw code kept, and the recovery of the class's own code.
const strangerCode = 'JOB_NOT_AVAILABLE'
const statuses = Object.keys({ ...byStatus, ...unclassified })
  .map(Number)
  .flatMap((status) =>
    [undefined, ...endpoints].map((endpoint) => {
      const [className, recovery] = classify(status, endpoint)
      return {
        name: `${status} ${strangerCode} on ${endpoint ?? 'no endpoint'}`,
        status,
        ...(endpoint === undefined ? {} : { endpoint }),
        body: { error_code: strangerCode, detail: 'Not available.', details: { checklist: [] } },
        expected: {
          className,
          classifiedBy: 'status',
          errorCode: strangerCode,
          detail: 'Not available.',
          checklist: [],
          recovery,
        },
      }
    }),
  )
statuses.push(
  {
    name: 'the independent server of the report: a taken job, 409 under its own code',
    status: 409,
    endpoint: 'reserve',
    body: {
      error_code: 'JOB_ALREADY_RESERVED',
      detail: 'This job is already reserved by another agent.',
      details: { checklist: ['Choose another open job.'] },
    },
    expected: {
      className: 'JobAlreadyReservedError',
      classifiedBy: 'status',
      errorCode: 'JOB_ALREADY_RESERVED',
      detail: 'This job is already reserved by another agent.',
      checklist: ['Choose another open job.'],
      recovery: 'none',
    },
  },
  {
    name: 'a known code decides, whatever the endpoint says',
    status: 409,
    endpoint: 'reserve',
    body: {
      error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
      detail: 'The request_id was already used for this session.',
      details: { checklist: ['Generate a fresh request_id and sign again.'] },
    },
    expected: {
      className: 'RequestReplayError',
      classifiedBy: 'error_code',
      errorCode: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
      checklist: ['Generate a fresh request_id and sign again.'],
      recovery: 'new-request',
    },
  },
  {
    name: 'a 429 without a code honours Retry-After',
    status: 429,
    endpoint: 'list',
    headers: { 'Retry-After': '3' },
    body: 'Too Many Requests',
    expected: {
      className: 'RateLimitedError',
      classifiedBy: 'status',
      errorCode: null,
      detail: 'Too Many Requests',
      recovery: 'retry-later',
      retryAfterMs: 3000,
    },
  },
)

// The details of a mismatch as three servers write them, from the fields the server received
// (`expected` with `payload`, the object it hashed, for the two that list hash forms):
// - guide: only what seed 002 names (expected_message, expected_payload_hash) and expected_wallet;
// - sandbox: every form it accepts (raw and ASCII hashes), the recovered wallet, the top-level keys
//   and, for tool invokes, the accepted path candidates;
// - python: a Python server (json.dumps(sort_keys=True, separators=(",", ":")), ensure_ascii on by
//   default), whose expected hash and message carry the ASCII form; no list of forms.
const checklist = [
  'Compare details.expected_message, details.accepted_path_candidates, and details.expected_payload_hash.',
]
const candidatesOf = (scope) => {
  const path = scope[1]?.startsWith('path:') ? scope[1].slice(5) : undefined
  return path ? { accepted_path_candidates: [path, `${path}/`, `/api${path}`, `/api${path}/`] } : {}
}
const serverDetails = {
  guide: (expected) => ({
    checklist,
    expected_message: message(expected),
    expected_wallet: expected.wallet,
    expected_payload_hash: expected.payloadHash,
  }),
  sandbox: (expected) => ({
    checklist,
    expected_message: message(expected),
    expected_payload_hash: expected.payloadHash,
    accepted_payload_hashes: [expected.payloadHash, sha256(canonicalAscii(expected.payload))],
    expected_wallet: expected.wallet,
    recovered_wallet: otherWallet,
    recovered_wallet_for_expected_message: otherWallet,
    payload_canonical_top_level_keys: Object.keys(expected.payload).sort(),
    ...candidatesOf(expected.scope),
  }),
  python: (expected) => {
    const asciiHash = sha256(canonicalAscii(expected.payload))
    return {
      checklist,
      expected_message: message({ ...expected, payloadHash: asciiHash }),
      expected_payload_hash: asciiHash,
      expected_wallet: expected.wallet,
      recovered_wallet_for_expected_message: otherWallet,
      ...candidatesOf(expected.scope),
    }
  },
}

// A mismatch: the server's expected message is built from the fields it received; ours from
// what the client signed. `kinds` and `lines` are what the diagnosis must name, by construction.
const mismatch = ({
  name,
  ours,
  expected,
  payload,
  details = {},
  kinds,
  lines,
  payloadFindings,
  findings,
  server = 'guide',
  sent,
  earlierErrors,
}) => ({
  name,
  status: 401,
  body: {
    error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    detail: 'The signature recovered to a different wallet than wallet_address.',
    details: { ...serverDetails[server](expected), ...details },
  },
  signed: {
    message: typeof ours === 'string' ? ours : message(ours),
    payload,
    ...(sent ? { sent } : {}),
    ...(earlierErrors ? { earlierErrors } : {}),
  },
  expected: {
    className: 'WalletMismatchError',
    errorCode: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    recovery: 'fix-signature',
    diagnosis: { kinds, lines, ...(payloadFindings ? { payloadFindings } : {}), findings },
  },
})
const list = {
  wallet,
  session,
  request,
  scope: listScope,
  payloadHash: hashOf(listPayload),
}
const invoke = { ...list, scope: invokeScope, payloadHash: hashOf({ query: 'agents' }) }
const complete = { ...list, scope: completeScope, payloadHash: hashOf(completion) }
const unsortedList = { skip: 0, limit: 50 }

const mismatches = [
  mismatch({
    name: 'wallet not lower-case',
    ours: { ...list, wallet: walletChecksum },
    expected: list,
    payload: listPayload,
    kinds: ['wallet-not-lowercase'],
    lines: [2],
    findings: ['wallet-not-lowercase'],
  }),
  mismatch({
    name: 'another wallet',
    ours: { ...list, wallet: otherWallet },
    expected: list,
    payload: listPayload,
    kinds: ['wallet-differs'],
    lines: [2],
    findings: ['another-wallet'],
  }),
  mismatch({
    name: 'an old session nonce',
    ours: { ...list, session: 'nonce-old' },
    expected: list,
    payload: listPayload,
    kinds: ['session-differs'],
    lines: [3],
    findings: ['stale-session'],
  }),
  mismatch({
    name: 'another request id than the one sent',
    ours: { ...list, request: 'req-0000' },
    expected: list,
    payload: listPayload,
    kinds: ['request-differs'],
    lines: [4],
    findings: ['request-id-reused'],
  }),
  mismatch({
    name: 'another action',
    ours: { ...list, scope: ['action:job_status', 'product:job_123'], payloadHash: hashOf({}) },
    expected: { ...list, scope: reserveScope, payloadHash: hashOf({}) },
    payload: {},
    kinds: ['action-differs'],
    lines: [5],
    findings: ['wrong-action'],
  }),
  mismatch({
    name: 'another product',
    ours: { ...list, scope: ['action:job_reserve', 'product:job_999'], payloadHash: hashOf({}) },
    expected: { ...list, scope: reserveScope, payloadHash: hashOf({}) },
    payload: {},
    kinds: ['product-differs'],
    lines: [6],
    findings: ['product-not-job-id'],
  }),
  mismatch({
    name: 'method in lower case',
    ours: { ...invoke, scope: ['method:post', `path:${invokePath}`] },
    expected: invoke,
    payload: { query: 'agents' },
    details: { accepted_path_candidates: invokeCandidates },
    kinds: ['method-differs'],
    lines: [5],
    findings: ['wrong-method'],
  }),
  mismatch({
    name: 'a path line without its "path:" label',
    ours: { ...invoke, scope: ['method:POST', '/external/tools/web-search/actions/fetch/invoke'] },
    expected: invoke,
    payload: { query: 'agents' },
    details: { accepted_path_candidates: invokeCandidates },
    kinds: ['extra-or-missing-lines', 'extra-or-missing-lines'],
    lines: [6, 6],
    findings: ['line-layout'],
  }),
  mismatch({
    name: 'a path that is not accepted',
    ours: {
      ...invoke,
      scope: ['method:POST', 'path:/external/tools/web-search/actions/fetch/invoke'],
    },
    expected: invoke,
    payload: { query: 'agents' },
    details: { accepted_path_candidates: invokeCandidates },
    kinds: ['path-not-accepted'],
    lines: [6],
    findings: ['path-not-accepted'],
  }),
  mismatch({
    name: 'an accepted path variant is not a problem: another key signed',
    ours: { ...invoke, scope: ['method:POST', `path:/api${invokePath}/`] },
    expected: invoke,
    payload: { query: 'agents' },
    details: { accepted_path_candidates: invokeCandidates, recovered_wallet: otherWallet },
    kinds: ['signed-by-another-key'],
    lines: [],
    findings: ['wrong-key'],
  }),
  mismatch({
    name: 'payload hashed pretty-printed with sorted keys',
    ours: { ...list, payloadHash: sha256(JSON.stringify(sorted(unsortedList), null, 2)) },
    expected: list,
    payload: unsortedList,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['whitespace-in-json'],
    payloadFindings: ['expected-is-your-payload', 'not-canonical', 'pretty-printed-sorted'],
  }),
  mismatch({
    name: 'payload hashed pretty-printed without sorting',
    ours: { ...list, payloadHash: sha256(JSON.stringify(unsortedList, null, 2)) },
    expected: list,
    payload: unsortedList,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['whitespace-in-json', 'unsorted-keys'],
    payloadFindings: ['expected-is-your-payload', 'not-canonical', 'pretty-printed-unsorted'],
  }),
  mismatch({
    name: 'payload hashed with unsorted keys',
    ours: { ...list, payloadHash: sha256(JSON.stringify(unsortedList)) },
    expected: list,
    payload: unsortedList,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['unsorted-keys'],
    payloadFindings: ['expected-is-your-payload', 'not-canonical', 'unsorted-keys'],
  }),
  mismatch({
    name: 'payload hash taken over the envelope fields too',
    ours: {
      ...list,
      payloadHash: hashOf({
        ...listPayload,
        wallet_address: wallet,
        session_nonce: session,
        request_id: request,
      }),
    },
    expected: list,
    payload: listPayload,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['envelope-fields-hashed'],
    payloadFindings: ['expected-is-your-payload', 'not-canonical', 'envelope-included'],
  }),
  mismatch({
    name: 'hashed {} for a completion',
    ours: { ...complete, payloadHash: hashOf({}) },
    expected: complete,
    payload: completion,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['empty-object-hashed'],
    payloadFindings: ['expected-is-your-payload', 'not-canonical', 'empty-object-hashed'],
  }),
  mismatch({
    name: 'hashed one object, sent another (workflow_id added after hashing)',
    ours: complete,
    expected: { ...complete, payloadHash: hashOf({ ...completion, workflow_id: 'wf_1' }) },
    payload: completion,
    details: {
      payload_canonical_top_level_keys: [
        'proof_text',
        'reservation_id',
        'social_posts',
        'workflow_id',
      ],
    },
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['hash-of-another-object'],
    payloadFindings: ['canonical-of-another-object', 'top-level-keys-differ'],
  }),
  mismatch({
    name: 'a hash in upper case',
    ours: message(list).replace(/payload:.*/, `payload:${list.payloadHash.toUpperCase()}`),
    expected: list,
    payload: listPayload,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['hash-not-lowercase'],
    payloadFindings: ['not-lowercase', 'expected-is-your-payload'],
  }),
  mismatch({
    name: 'a hash for the balance check, whose payload line is empty',
    ours: { ...list, scope: ['action:balance', 'product:-'], payloadHash: hashOf({}) },
    expected: { ...list, scope: ['action:balance', 'product:-'], payloadHash: '' },
    payload: null,
    kinds: ['payload-hash-differs'],
    lines: [7],
    findings: ['payload-line-not-empty'],
    payloadFindings: ['expected-empty-line'],
  }),
  mismatch({
    name: 'ASCII canonical form among the accepted hashes: another key signed',
    ours: { ...list, payloadHash: sha256(canonicalAscii({ query: 'café ☕' })) },
    expected: { ...list, payloadHash: hashOf({ query: 'café ☕' }) },
    payload: { query: 'café ☕' },
    details: {
      accepted_payload_hashes: [
        hashOf({ query: 'café ☕' }),
        sha256(canonicalAscii({ query: 'café ☕' })),
      ],
    },
    kinds: ['signed-by-another-key'],
    lines: [],
    findings: ['wrong-key'],
  }),
  mismatch({
    name: 'trailing newline',
    ours: `${message(list)}\n`,
    expected: list,
    payload: listPayload,
    kinds: ['trailing-newline'],
    lines: [8],
    findings: ['trailing-newline'],
  }),
  mismatch({
    name: 'CRLF line endings',
    ours: message(list).replaceAll('\n', '\r\n'),
    expected: list,
    payload: listPayload,
    kinds: ['crlf'],
    lines: [1],
    findings: ['crlf-line-ends'],
  }),
  mismatch({
    name: 'the product line left out',
    ours: message(list).replace('product:-\n', ''),
    expected: list,
    payload: listPayload,
    kinds: ['extra-or-missing-lines', 'extra-or-missing-lines'],
    lines: [6, 6],
    findings: ['line-layout'],
  }),
  mismatch({
    name: 'action/product signed for a tool invoke',
    ours: { ...invoke, scope: ['action:search', 'product:web-search'] },
    expected: invoke,
    payload: { query: 'agents' },
    details: { accepted_path_candidates: invokeCandidates },
    kinds: ['scope-differs'],
    lines: [5],
    findings: ['wrong-scope-lines'],
  }),
  mismatch({
    name: 'every line matches: another key signed',
    ours: list,
    expected: list,
    payload: listPayload,
    details: { recovered_wallet: otherWallet },
    kinds: ['signed-by-another-key'],
    lines: [],
    findings: ['wrong-key'],
  }),
  mismatch({
    name: 'every line matches: the recovered wallet under its documented name',
    ours: list,
    expected: list,
    payload: listPayload,
    details: { recovered_wallet_for_expected_message: otherWallet },
    kinds: ['signed-by-another-key'],
    lines: [],
    findings: ['wrong-key'],
  }),
  mismatch({
    name: 'a session nonce and request id shaped like 0x + 64 hex, the request id differs',
    ours: { ...list, session: `0x${'ab'.repeat(32)}`, request: `0x${'ce'.repeat(32)}` },
    expected: { ...list, session: `0x${'ab'.repeat(32)}`, request: `0x${'cd'.repeat(32)}` },
    payload: listPayload,
    kinds: ['request-differs'],
    lines: [4],
    findings: ['request-id-reused'],
  }),
  mismatch({
    name: 'two lines differ at once',
    ours: { ...list, session: 'nonce-old', payloadHash: hashOf({ limit: 10, skip: 0 }) },
    expected: list,
    payload: listPayload,
    kinds: ['session-differs', 'payload-hash-differs'],
    lines: [3, 7],
    findings: ['stale-session', 'unknown-payload-hash'],
    payloadFindings: ['expected-is-your-payload', 'not-canonical', 'no-known-form'],
  }),

  // One case per mistake of the diagnosis by hypotheses (issue 14). The client's hash is made
  // from the text written out here, the way the mistaken client wrote it; the server's from the
  // plain sorted copy above; nothing comes from error-recovery.
  ...hypothesisCases(),
]

function hypothesisCases() {
  const envelope = {
    wallet_address: walletChecksum,
    session_nonce: session,
    request_id: request,
    signature,
  }
  const listBody = { ...envelope, ...listPayload }
  const params = { query: 'agents', max_results: 5 }
  const invokeBody = { ...envelope, parameters: params }
  const emoji = { '\u{1F600}': 2, '\uff01': 1 }
  const floatParams = { query: 'agents', temperature: 1 }
  const bigParams = { query: 'agents', budget: 1e16 }
  const cafe = { query: 'café ☕' }
  const firstTry = { ...list, payload: listPayload }
  const earlier = {
    error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    detail: 'The signature recovered to a different wallet than wallet_address.',
    details: serverDetails.sandbox(firstTry),
  }
  const hexOf = (text) => `0x${Buffer.from(text, 'utf8').toString('hex')}`
  return [
    mismatch({
      name: 'mistake envelope-fields-hashed: the payload given is the whole body, envelope included',
      ours: { ...list, payloadHash: hashOf(listBody) },
      expected: { ...list, payload: listPayload },
      payload: listBody,
      sent: listBody,
      server: 'sandbox',
      kinds: ['payload-hash-differs'],
      lines: [7],
      payloadFindings: [
        'canonical-of-another-object',
        'envelope-included',
        'top-level-keys-differ',
      ],
      findings: ['envelope-fields-hashed'],
    }),
    mismatch({
      name: "mistake whole-body-hashed: a tool invoke's body hashed instead of its parameters",
      ours: { ...invoke, payloadHash: hashOf({ parameters: params }) },
      expected: { ...invoke, payloadHash: hashOf(params), payload: params },
      payload: { parameters: params },
      sent: invokeBody,
      server: 'python',
      kinds: ['payload-hash-differs'],
      lines: [7],
      payloadFindings: ['canonical-of-another-object'],
      findings: ['whole-body-hashed'],
    }),
    mismatch({
      name: "mistake whitespace-in-json: Python's json.dumps(sort_keys=True) without separators",
      ours: { ...list, payloadHash: sha256('{"limit": 50, "skip": 0}') },
      expected: { ...list, payload: listPayload },
      payload: listPayload,
      server: 'python',
      kinds: ['payload-hash-differs'],
      lines: [7],
      payloadFindings: ['expected-is-your-payload', 'not-canonical', 'no-known-form'],
      findings: ['whitespace-in-json'],
    }),
    mismatch({
      name: 'mistake code-point-key-order: keys sorted by code point (an astral key and U+FF01)',
      // Python: json.dumps(v, sort_keys=True, separators=(",", ":")), ensure_ascii on.
      ours: { ...list, payloadHash: sha256('{"\\uff01":1,"\\ud83d\\ude00":2}') },
      expected: { ...list, payloadHash: hashOf(emoji), payload: emoji },
      payload: emoji,
      server: 'sandbox',
      kinds: ['payload-hash-differs'],
      lines: [7],
      payloadFindings: ['expected-is-your-payload', 'not-canonical', 'no-known-form'],
      findings: ['code-point-key-order'],
    }),
    mismatch({
      name: 'mistake number-form: a float written 1.0 by a Python client',
      ours: { ...invoke, payloadHash: sha256('{"query":"agents","temperature":1.0}') },
      expected: { ...invoke, payloadHash: hashOf(floatParams), payload: floatParams },
      payload: floatParams,
      sent: { ...envelope, parameters: floatParams },
      server: 'sandbox',
      kinds: ['payload-hash-differs'],
      lines: [7],
      payloadFindings: ['expected-is-your-payload', 'not-canonical', 'no-known-form'],
      findings: ['number-form'],
    }),
    mismatch({
      name: 'mistake number-form: 1e16 written 1e+16 (a Python float)',
      ours: { ...invoke, payloadHash: sha256('{"budget":1e+16,"query":"agents"}') },
      expected: { ...invoke, payloadHash: hashOf(bigParams), payload: bigParams },
      payload: bigParams,
      details: { accepted_path_candidates: invokeCandidates },
      kinds: ['payload-hash-differs'],
      lines: [7],
      payloadFindings: ['expected-is-your-payload', 'not-canonical', 'no-known-form'],
      findings: ['number-form'],
    }),
    mismatch({
      name: 'mistake product-not-job-id: a reserve signed with product -',
      ours: { ...list, scope: ['action:job_reserve', 'product:-'], payloadHash: hashOf({}) },
      expected: { ...list, scope: reserveScope, payloadHash: hashOf({}), payload: {} },
      payload: {},
      server: 'sandbox',
      kinds: ['product-differs'],
      lines: [6],
      findings: ['product-not-job-id'],
    }),
    mismatch({
      name: "mistake signed-expected-message: the server's text of an earlier attempt signed as it is",
      ours: message(firstTry),
      expected: { ...list, request: 'req-0002', payload: listPayload },
      payload: listPayload,
      sent: { ...listBody, request_id: 'req-0002' },
      earlierErrors: [earlier],
      server: 'sandbox',
      kinds: ['request-differs'],
      lines: [4],
      findings: ['signed-expected-message'],
    }),
    mismatch({
      name: 'mistake hex-signed: the 0x-hex of the message signed as text',
      ours: hexOf(message(list)),
      expected: { ...list, payload: listPayload },
      payload: listPayload,
      server: 'sandbox',
      kinds: ['hex-encoded'],
      lines: [1],
      findings: ['hex-signed'],
    }),
    mismatch({
      name: 'not a mistake: the raw form signed, a Python server expects the ASCII form',
      ours: { ...list, payloadHash: hashOf(cafe) },
      expected: { ...list, payloadHash: hashOf(cafe), payload: cafe },
      payload: cafe,
      server: 'python',
      kinds: ['signed-by-another-key'],
      lines: [],
      findings: ['wrong-key'],
    }),
    mismatch({
      name: 'not a mistake: the ASCII form signed, the server names only the raw form',
      ours: { ...list, payloadHash: sha256(canonicalAscii(cafe)) },
      expected: { ...list, payloadHash: hashOf(cafe) },
      payload: cafe,
      kinds: ['signed-by-another-key'],
      lines: [],
      findings: ['wrong-key'],
    }),
    signatureCase({
      name: 'mistake stale-session: the session nonce expired',
      code: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
      ours: { ...list, session: 'nonce-old' },
      sent: { ...listBody, session_nonce: 'nonce-old' },
      findings: ['stale-session'],
    }),
    signatureCase({
      name: 'mistake request-id-reused: a request id spent by an earlier attempt',
      code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
      ours: list,
      sent: listBody,
      findings: ['request-id-reused'],
    }),
    signatureCase({
      name: 'mistake malformed-signature: 64 bytes, v left out',
      code: 'EXTERNAL_SIGNATURE_MALFORMED',
      ours: list,
      sent: { ...listBody, signature: signature.slice(0, -2) },
      findings: ['malformed-signature'],
    }),
  ]
}

// A signature error other than a mismatch (no expected_message): the finding comes from the code
// and from what was sent.
function signatureCase({ name, code, ours, sent, findings }) {
  const [status, detail, step, className, recovery] = signatureErrors[code]
  return {
    name,
    status,
    body: { error_code: code, detail, details: { checklist: [step] } },
    signed: { message: message(ours), payload: listPayload, sent },
    expected: {
      className,
      errorCode: code,
      recovery,
      diagnosis: { kinds: [], lines: [], findings },
    },
  }
}

// With --check, compares with the committed files instead of writing them (exit 1 when stale).
const check = process.argv.includes('--check')
const write = (file, description, cases) => {
  const text = `${JSON.stringify({ $schema: '../schema/errors.schema.json', description, cases }, null, 2)}\n`
  if (!check) return writeFileSync(join(here, file), text)
  if (readFileSync(join(here, file), 'utf8') === text) return
  console.error(`vectors/errors/${file} is stale: run node vectors/errors/generate.mjs`)
  process.exitCode = 1
}

write(
  'codes.json',
  'One error body per documented error_code (seed 002 "Signature Errors" and PROTOCOL section 5), with the class and recovery each calls for, and Retry-After.',
  codes,
)
write(
  'unparseable.json',
  'Error responses without a known code: text, HTML, JSON that is not an object, unknown codes; the recovery follows the status.',
  unparseable,
)
write(
  'statuses.json',
  'Error codes this toolkit does not know, classified by HTTP status and endpoint (PROTOCOL section 6): the class, the raw code kept and the recovery.',
  statuses,
)
write(
  'mismatches.json',
  'Wallet mismatches: the message the client signed, the server details, and the lines and kinds the diagnosis must name.',
  mismatches,
)
