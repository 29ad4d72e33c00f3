import { canonicalHash, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  acceptedPathCandidates,
  buildMessage,
  type MessageInput,
} from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import { diagnoseSignature, parseApiError } from './index.js'

const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const other = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc'
const signing = { wallet, session: 'nonce-1', request: 'req-1' }
const payload = { limit: 50, skip: 0 }
const listInput: MessageInput = { ...signing, scope: { action: 'job_list' }, payload }
const invokePath = '/external/tools/web-search/actions/search/invoke'
const invokeInput: MessageInput = {
  ...signing,
  scope: { method: 'POST', path: invokePath },
  payload: { query: 'agents' },
}

const mismatch = (expected: MessageInput, details: Record<string, unknown> = {}) =>
  parseApiError(401, {
    error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    detail: 'The signature recovered to a different wallet than wallet_address.',
    details: { checklist: [], expected_message: buildMessage(expected), ...details },
  })

const kinds = (
  message: string,
  expected: MessageInput,
  details?: Record<string, unknown>,
  given: unknown = payload,
) =>
  diagnoseSignature({ message, payload: given, error: mismatch(expected, details) }).problems.map(
    (problem) => [problem.kind, problem.line],
  )

describe('one kind per differing line', () => {
  test.each([
    ['wallet-differs', { ...listInput, wallet: other }, 2],
    ['session-differs', { ...listInput, session: 'nonce-0' }, 3],
    ['request-differs', { ...listInput, request: 'req-0' }, 4],
    ['action-differs', { ...listInput, scope: { action: 'job_status', product: '-' } }, 5],
    ['product-differs', { ...listInput, scope: { action: 'job_list', product: 'job_1' } }, 6],
    ['payload-hash-differs', { ...listInput, payload: { limit: 10, skip: 0 } }, 7],
  ] as const)('%s', (kind, ours, line) => {
    expect(kinds(buildMessage(ours), listInput)).toEqual([[kind, line]])
  })

  test('prefix-differs', () => {
    const message = buildMessage(listInput).replace('agentpmt-external', 'agentpmt-externa1')
    expect(kinds(message, listInput)).toEqual([['prefix-differs', 1]])
  })

  test('wallet-not-lowercase, with both values shown', () => {
    const message = buildMessage(listInput).replace(
      wallet,
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    )
    const [problem] = diagnoseSignature({ message, error: mismatch(listInput) }).problems
    expect(problem).toMatchObject({
      kind: 'wallet-not-lowercase',
      line: 2,
      field: 'wallet',
      ours: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
      expected: wallet,
    })
  })

  test('method-differs: lower case, or another method', () => {
    const lower = buildMessage(invokeInput).replace('method:POST', 'method:post')
    const [problem] = diagnoseSignature({ message: lower, error: mismatch(invokeInput) }).problems
    expect(problem?.kind).toBe('method-differs')
    expect(problem?.explanation).toContain('upper case')
    expect(
      kinds(
        buildMessage({ ...invokeInput, scope: { method: 'GET', path: invokePath } }),
        invokeInput,
      ),
    ).toEqual([['method-differs', 5]])
  })

  test('path-not-accepted, and an accepted candidate is not a problem', () => {
    const details = {
      accepted_path_candidates: acceptedPathCandidates(invokePath),
      recovered_wallet: other,
    }
    const fetchPath = '/external/tools/web-search/actions/fetch/invoke'
    expect(
      kinds(
        buildMessage({ ...invokeInput, scope: { method: 'POST', path: fetchPath } }),
        invokeInput,
        details,
      ),
    ).toEqual([['path-not-accepted', 6]])
    for (const variant of [`/api${invokePath}`, `${invokePath}/`, `/api${invokePath}/`])
      expect(
        kinds(
          buildMessage({ ...invokeInput, scope: { method: 'POST', path: variant } }),
          invokeInput,
          details,
        ),
      ).toEqual([['signed-by-another-key', undefined]])
  })

  test('without accepted_path_candidates, the standard variants are accepted', () => {
    expect(
      kinds(
        buildMessage({ ...invokeInput, scope: { method: 'POST', path: `/api${invokePath}` } }),
        invokeInput,
      ),
    ).toEqual([['signed-by-another-key', undefined]])
  })

  test('scope-differs: action/product signed for a tool invoke', () => {
    const ours = buildMessage({
      ...invokeInput,
      scope: { action: 'search', product: 'web-search' },
    })
    expect(kinds(ours, invokeInput)).toEqual([['scope-differs', 5]])
  })
})

describe('the text itself', () => {
  test('trailing newline', () => {
    expect(kinds(`${buildMessage(listInput)}\n`, listInput)).toEqual([['trailing-newline', 8]])
  })

  test('CRLF, named at the first line that carries it', () => {
    expect(kinds(buildMessage(listInput).replaceAll('\n', '\r\n'), listInput)).toEqual([
      ['crlf', 1],
    ])
  })

  test('a missing line and an extra line', () => {
    const lines = buildMessage(listInput).split('\n')
    const missing = lines.filter((line) => !line.startsWith('request:')).join('\n')
    expect(kinds(missing, listInput).map(([kind]) => kind)).toContain('extra-or-missing-lines')
    expect(kinds(missing, listInput)[0]).toEqual(['extra-or-missing-lines', 4])
    const extra = [...lines.slice(0, 4), 'note:hello', ...lines.slice(4)].join('\n')
    expect(kinds(extra, listInput)[0]).toEqual(['extra-or-missing-lines', 5])
  })
})

describe('payload findings', () => {
  const findings = (
    hash: string,
    given: unknown = payload,
    details: Record<string, unknown> = {},
  ) => {
    const message = buildMessage({ ...listInput, payload: undefined, payloadHash: hash })
    const problem = diagnoseSignature({
      message,
      payload: given,
      error: mismatch(listInput, details),
    }).problems[0]
    return [...(problem?.payloadFindings ?? [])].sort()
  }
  const unsorted = { skip: 0, limit: 50 }

  test('pretty-printed, sorted and unsorted; unsorted keys; envelope included', () => {
    expect(findings(sha256Hex('{\n  "limit": 50,\n  "skip": 0\n}'), unsorted)).toEqual([
      'expected-is-your-payload',
      'not-canonical',
      'pretty-printed-sorted',
    ])
    expect(findings(sha256Hex('{\n  "skip": 0,\n  "limit": 50\n}'), unsorted)).toEqual([
      'expected-is-your-payload',
      'not-canonical',
      'pretty-printed-unsorted',
    ])
    expect(findings(sha256Hex('{"skip":0,"limit":50}'), unsorted)).toEqual([
      'expected-is-your-payload',
      'not-canonical',
      'unsorted-keys',
    ])
    expect(
      findings(
        sha256Hex(
          `{"limit":50,"request_id":"req-1","session_nonce":"nonce-1","skip":0,"wallet_address":"${wallet}"}`,
        ),
      ),
    ).toEqual(['envelope-included', 'expected-is-your-payload', 'not-canonical'])
  })

  test('{} hashed for a non-empty payload; an unknown form; no payload given', () => {
    expect(findings(canonicalHash({}))).toEqual([
      'empty-object-hashed',
      'expected-is-your-payload',
      'not-canonical',
    ])
    expect(findings('0'.repeat(64))).toEqual([
      'expected-is-your-payload',
      'no-known-form',
      'not-canonical',
    ])
    const message = buildMessage({ ...listInput, payload: { limit: 1, skip: 0 } })
    const problem = diagnoseSignature({ message, error: mismatch(listInput) }).problems[0]
    expect(problem?.payloadFindings).toEqual(['payload-not-given'])
  })

  test('hashed correctly, but the server received another object', () => {
    const sent = { ...payload, extra: true }
    const message = buildMessage(listInput)
    const error = mismatch(
      { ...listInput, payload: sent },
      { payload_canonical_top_level_keys: ['extra', 'limit', 'skip'] },
    )
    expect(diagnoseSignature({ message, payload, error }).problems[0]?.payloadFindings).toEqual([
      'canonical-of-another-object',
      'top-level-keys-differ',
    ])
  })

  test('the ASCII canonical form is accepted when the server lists it', () => {
    const nonAscii = { query: 'café' }
    const ascii = sha256Hex('{"query":"caf\\u00e9"}')
    const message = buildMessage({ ...listInput, payload: undefined, payloadHash: ascii })
    const error = mismatch(
      { ...listInput, payload: nonAscii },
      { accepted_payload_hashes: [canonicalHash(nonAscii), ascii] },
    )
    expect(
      diagnoseSignature({ message, payload: nonAscii, error }).problems.map((p) => p.kind),
    ).toEqual(['signed-by-another-key'])
  })

  test('a hash on the empty payload line of the balance check', () => {
    const balance: MessageInput = { ...signing, scope: { action: 'balance' }, payload: null }
    const message = buildMessage({ ...balance, payload: {} })
    const problem = diagnoseSignature({ message, payload: null, error: mismatch(balance) })
      .problems[0]
    expect(problem).toMatchObject({
      kind: 'payload-hash-differs',
      line: 7,
      payloadFindings: ['expected-empty-line'],
    })
  })
})

describe('when every line matches', () => {
  test('signed by another key, naming the recovered wallet; the summary tells what to do', () => {
    const diagnosis = diagnoseSignature({
      message: buildMessage(listInput),
      payload,
      error: mismatch(listInput, { recovered_wallet: other }),
    })
    expect(diagnosis.problems).toEqual([
      expect.objectContaining({ kind: 'signed-by-another-key', recoveredWallet: other }),
    ])
    expect(diagnosis.summary).toMatchInlineSnapshot(
      `"Every line matches the message the server checked, so the signature was made by another key than the one of wallet_address 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 (it recovers to 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc). Sign with the private key of wallet_address (and check that your signer's address is that wallet); rebuild the message from your own fields (buildMessage) and sign it again with a fresh request_id; never sign details.expected_message as it is."`,
    )
  })
})

describe('ids and details in the shapes servers use', () => {
  test('the documented recovered_wallet_for_expected_message names the recovered wallet', () => {
    const error = mismatch(listInput, { recovered_wallet_for_expected_message: other })
    const [problem] = diagnoseSignature({ message: buildMessage(listInput), error }).problems
    expect(problem).toMatchObject({ kind: 'signed-by-another-key', recoveredWallet: other })
  })

  test('a nonce or request id shaped like 0x + 64 hex is compared as sent, shown redacted', () => {
    const session = `0x${'ab'.repeat(32)}`
    const request = `0x${'cd'.repeat(32)}`
    const expected = { ...listInput, session, request }
    const same = diagnoseSignature({ message: buildMessage(expected), error: mismatch(expected) })
    expect(same.problems.map((problem) => problem.kind)).toEqual(['signed-by-another-key'])
    const other = buildMessage({ ...expected, request: `0x${'ce'.repeat(32)}` })
    const differs = diagnoseSignature({ message: other, error: mismatch(expected) })
    expect(differs.problems.map((problem) => [problem.kind, problem.line])).toEqual([
      ['request-differs', 4],
    ])
    expect(JSON.stringify(differs)).not.toContain(request)
  })

  test('the right hash in upper case is only not-lowercase', () => {
    const upper = canonicalHash(payload).toUpperCase()
    const message = buildMessage(listInput).replace(/payload:.*/, `payload:${upper}`)
    const [problem] = diagnoseSignature({ message, payload, error: mismatch(listInput) }).problems
    expect(problem?.kind).toBe('payload-hash-differs')
    expect([...(problem?.payloadFindings ?? [])].sort()).toEqual([
      'expected-is-your-payload',
      'not-lowercase',
    ])
  })
})

describe('safety and other inputs', () => {
  test('the summary never tells to sign expected_message, and lists every line', () => {
    const ours = buildMessage({ ...listInput, session: 'nonce-0', payload: { limit: 1, skip: 0 } })
    const { summary } = diagnoseSignature({ message: ours, payload, error: mismatch(listInput) })
    expect(summary).toMatch(/^2 problems in the message you signed: line 3 \(session\)/)
    expect(summary).toContain('line 7 (payload)')
    expect(summary).toContain('never sign details.expected_message')
    expect(summary).not.toMatch(/\bsign (the )?(details\.)?expected_message\b(?! as it is)/)
  })

  test('a signature or key-shaped value in a line is never shown in full', () => {
    const signature = `0x${'ab'.repeat(65)}`
    const key = `0x${'cd'.repeat(32)}`
    const ours = buildMessage({ ...listInput, session: signature, request: key })
    const diagnosis = diagnoseSignature({ message: ours, payload, error: mismatch(listInput) })
    const text = JSON.stringify(diagnosis)
    expect(text).not.toContain(signature)
    expect(text).not.toContain(key)
  })

  test('nor in the name of a line the server expects that is missing from ours', () => {
    const key = `0x${'cd'.repeat(32)}`
    const body = {
      error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      details: { expected_message: `${buildMessage(listInput)}\n${key}` },
    }
    const diagnosis = diagnoseSignature({ message: buildMessage(listInput), error: body })
    expect(diagnosis.problems.map((problem) => problem.kind)).toEqual(['extra-or-missing-lines'])
    expect(JSON.stringify(diagnosis)).not.toContain(key)
  })

  test('a raw error body works as well as an ApiError', () => {
    const body = {
      error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      detail: '',
      details: { checklist: [], expected_message: buildMessage(listInput) },
    }
    const ours = buildMessage({ ...listInput, request: 'req-9' })
    expect(diagnoseSignature({ message: ours, error: body }).problems.map((p) => p.kind)).toEqual([
      'request-differs',
    ])
  })

  test('without expected_message: checks expected_wallet, the path candidates and the payload hash', () => {
    const error = parseApiError(401, {
      error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      detail: '',
      details: {
        checklist: [],
        expected_wallet: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        accepted_path_candidates: acceptedPathCandidates(invokePath),
        expected_payload_hash: canonicalHash({ query: 'agents' }),
      },
    })
    expect(diagnoseSignature({ message: buildMessage(invokeInput), error }).problems).toEqual([])
    const wrong = buildMessage({
      ...invokeInput,
      scope: { method: 'POST', path: '/external/tools/x/actions/y/invoke' },
      payload: { query: 'other' },
    })
    const diagnosis = diagnoseSignature({ message: wrong, payload: { query: 'other' }, error })
    expect(diagnosis.problems.map((p) => [p.kind, p.line])).toEqual([
      ['path-not-accepted', 6],
      ['payload-hash-differs', 7],
    ])
    expect(
      diagnoseSignature({ message: buildMessage({ ...invokeInput, wallet: other }), error })
        .problems[0]?.kind,
    ).toBe('wallet-differs')
  })

  test('an error that is not a mismatch has nothing to compare', () => {
    const error = parseApiError(401, { error_code: 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED' })
    const diagnosis = diagnoseSignature({ message: buildMessage(listInput), error })
    expect(diagnosis.problems).toEqual([])
    expect(diagnosis.summary).toContain('no expected_message')
  })
})

describe('findings: each known mistake is tried and named when it reproduces the server', () => {
  const mistakes = (input: Parameters<typeof diagnoseSignature>[0]) =>
    diagnoseSignature(input).findings.map((finding) => finding.mistake)
  const envelope = { wallet_address: wallet, session_nonce: 'nonce-1', request_id: 'req-1' }

  test('envelope fields hashed: drop them (issue 14)', () => {
    const body = { ...envelope, signature: `0x${'ab'.repeat(65)}`, ...payload }
    const message = buildMessage({ ...listInput, payload: body })
    const diagnosis = diagnoseSignature({ message, payload: body, error: mismatch(listInput) })
    expect(diagnosis.problems[0]?.payloadFindings).toContain('envelope-included')
    expect(diagnosis.findings).toEqual([
      expect.objectContaining({
        mistake: 'envelope-fields-hashed',
        line: 7,
        fix: expect.stringContaining('Drop the envelope fields'),
        code: expect.stringContaining('payloadOf'),
      }),
    ])
  })

  test('the whole body of a tool invoke hashed instead of its parameters', () => {
    const sent = { ...envelope, signature: `0x${'ab'.repeat(65)}`, parameters: { query: 'agents' } }
    const message = buildMessage({ ...invokeInput, payload: { parameters: { query: 'agents' } } })
    expect(mistakes({ message, sent, error: mismatch(invokeInput) })).toEqual(['whole-body-hashed'])
  })

  test('keys by code point, numbers as Python floats, Python separators', () => {
    const keys = { '\u{1F600}': 1, '\uff01': 2 }
    const hashed = (hash: string, given: Record<string, unknown>) =>
      mistakes({
        message: buildMessage({ ...listInput, payload: undefined, payloadHash: hash }),
        payload: given,
        error: mismatch({ ...listInput, payload: given }),
      })
    expect(hashed(sha256Hex('{"！":2,"😀":1}'), keys)).toEqual(['code-point-key-order'])
    expect(hashed(sha256Hex('{"a":1.0,"b":2}'), { a: 1, b: 2 })).toEqual(['number-form'])
    expect(hashed(sha256Hex('{"a":1e+16}'), { a: 1e16 })).toEqual(['number-form'])
    expect(hashed(sha256Hex('{"limit": 50, "skip": 0}'), payload)).toEqual(['whitespace-in-json'])
  })

  test("Go's encoding/json default: <, > and & written as \\u escapes", () => {
    const link = { url: 'https://x.test/?a=1&b=<2>' }
    // What Go's json.Marshal writes for this map, spelled out by hand.
    const goText = '{"url":"https://x.test/?a=1\\u0026b=\\u003c2\\u003e"}'
    const message = buildMessage({
      ...listInput,
      payload: undefined,
      payloadHash: sha256Hex(goText),
    })
    const diagnosis = diagnoseSignature({
      message,
      payload: link,
      error: mismatch({ ...listInput, payload: link }),
    })
    // Rails' to_json writes the same bytes; Gson would write = as \u003d.
    expect(diagnosis.findings.map((finding) => finding.mistake)).toEqual([
      'go-html-escaping',
      'rails-html-escaping',
    ])
    expect(diagnosis.findings[0]?.fix).toContain('SetEscapeHTML(false)')
    expect(diagnosis.findings[0]).toMatchObject({
      language: 'Go',
      encoder: 'encoding/json',
      setting: 'SetEscapeHTML(false) on a json.Encoder',
      explanation: expect.stringContaining('& as \\u0026'),
    })
    expect(diagnosis.findings[1]?.explanation).toContain('go-html-escaping writes the same bytes')
  })

  test('the ASCII form is never a mistake, whichever form the server names', () => {
    const cafe = { query: 'café' }
    const ascii = sha256Hex('{"query":"caf\\u00e9"}')
    const message = buildMessage({ ...listInput, payload: undefined, payloadHash: ascii })
    expect(
      mistakes({ message, payload: cafe, error: mismatch({ ...listInput, payload: cafe }) }),
    ).toEqual(['wrong-key'])
  })

  test('the hex of the message signed, and the server text of an earlier error signed', () => {
    const text = buildMessage(listInput)
    const hex = `0x${Buffer.from(text).toString('hex')}`
    expect(mistakes({ message: hex, error: mismatch(listInput) })).toEqual(['hex-signed'])
    const earlier = mismatch(listInput)
    const now = mismatch({ ...listInput, request: 'req-2' })
    expect(mistakes({ message: text, error: now, earlierErrors: [earlier] })).toEqual([
      'signed-expected-message',
    ])
  })

  test('codes without expected_message: stale session, replay, malformed signature', () => {
    const message = buildMessage(listInput)
    const body = (code: string) => ({ error_code: code, detail: '', details: { checklist: [] } })
    expect(mistakes({ message, error: body('EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED') })).toEqual([
      'stale-session',
    ])
    expect(mistakes({ message, error: body('EXTERNAL_SIGNATURE_REQUEST_REPLAY') })).toEqual([
      'request-id-reused',
    ])
    const sent = { ...envelope, signature: `0x${'ab'.repeat(64)}` }
    const [finding] = diagnoseSignature({
      message,
      sent,
      error: body('EXTERNAL_SIGNATURE_MALFORMED'),
    }).findings
    expect(finding?.mistake).toBe('malformed-signature')
    expect(finding?.explanation).toContain('64 bytes')
  })

  test('every finding has a one-line fix and code', () => {
    const message = buildMessage({ ...listInput, session: 'nonce-0', request: 'req-0' })
    for (const finding of diagnoseSignature({ message, error: mismatch(listInput) }).findings) {
      expect(finding.fix).not.toMatch(/\n/)
      expect(finding.code).toBeTruthy()
    }
  })
})
