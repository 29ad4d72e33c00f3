import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, test } from 'vitest'
import {
  type ConformanceCase,
  type ConformanceSuite,
  capabilities,
  findVectorsDir,
  loadCases,
  VectorsNotFoundError,
} from './cases.js'

// The case judges in-process, without an adapter (runVectors.canFail.test.ts runs real adapters;
// too slow to run once per mutant): every vector's own expected output passes its judge, and each
// field changed on its own fails with exactly that field named. The cases are loaded in each test
// (not once at import), so that mutation testing sees each test run the loader.

let suite: ConformanceSuite
beforeEach(() => {
  suite = loadCases()
})
const byCapability = (capability: ConformanceCase['capability']): ConformanceCase[] =>
  suite.cases.filter((item) => item.capability === capability)
const sameFieldCapabilities = ['canonicalize', 'hash', 'message', 'sign', 'recover'] as const

/** The answer an honest adapter gives: what the vector expects, in the adapter's output shape. */
function honestAnswer(item: ConformanceCase): unknown {
  if (item.check === 'refuse') return { refused: true, error: 'any' }
  if (item.check === 'accept') return { refused: false }
  return item.expected
}

describe('loadCases', () => {
  test('every vector file gives cases, each capability has some, ids are unique', () => {
    expect(Object.keys(suite.files).sort()).toEqual([
      'canonical-json/cases.json',
      'message/cases.json',
      'negative/accept.json',
      'negative/cases.json',
      'requests/cases.json',
      'signatures/personal-sign.json',
      'signatures/verify.json',
    ])
    for (const capability of [...sameFieldCapabilities, 'request', 'refuse'] as const)
      expect(byCapability(capability).length, capability).toBeGreaterThan(0)
    expect(new Set(capabilities)).toEqual(new Set(suite.cases.map((item) => item.capability)))
    expect(capabilities).toHaveLength(7)
    const total = Object.values(suite.files).reduce((sum, count) => sum + count, 0)
    expect(suite.cases).toHaveLength(total)
    expect(new Set(suite.cases.map((item) => item.id)).size).toBe(total)
    for (const item of suite.cases) expect(item.id.startsWith(`${item.capability}/`)).toBe(true)
    // canonical-json/cases.json gives two cases per vector: its canonical forms and their hashes.
    expect(byCapability('canonicalize')).toHaveLength(byCapability('hash').length)
  })

  test('only keeps the asked capabilities; the digest covers the vectors, not the selection', () => {
    const only = loadCases({ only: ['message', 'refuse'] })
    expect(new Set(only.cases.map((item) => item.capability))).toEqual(
      new Set(['message', 'refuse']),
    )
    expect(only.cases).toHaveLength(byCapability('message').length + byCapability('refuse').length)
    expect(only.digest).toBe(suite.digest)
    expect(only.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(only.files).toEqual(suite.files)
  })

  test('refusal cases say what they must do and tag inputs only JavaScript can hold', () => {
    const refuse = byCapability('refuse')
    expect(new Set(refuse.map((item) => item.check))).toEqual(new Set(['refuse', 'accept']))
    const bigint = refuse.find((item) => item.id === 'refuse/canonical_bigint')!
    expect(bigint.tags).toEqual(['kind:canonical', 'javascript-only'])
    expect(bigint.expected).toEqual({ refused: true, error: 'bigint' })
    expect(bigint.input).toEqual({
      kind: 'canonical',
      input: { amount: { $special: 'bigint', value: '10' } },
    })
    const nan = refuse.find((item) => item.id === 'refuse/canonical_nan')!
    expect(nan.tags).toEqual(['kind:canonical'])
    const depth = refuse.find((item) => item.id === 'refuse/canonical_max_depth_small')!
    expect(depth.input).toMatchObject({ options: { max_depth: 2 } })
    const accepted = refuse.find((item) => item.id === 'refuse/canonical_proto_key')!
    expect(accepted.expected).toEqual({ refused: false })
    expect(accepted.description).toMatch(/^A "__proto__" member holding an object\. JSON has/)
  })

  test('canonical cases whose engines diverge carry the divergence tag', () => {
    const tagged = byCapability('canonicalize').filter((item) =>
      item.tags.some((tag) => tag.startsWith('divergence:')),
    )
    expect(tagged.length).toBeGreaterThan(0)
    expect(tagged.length).toBeLessThan(byCapability('canonicalize').length)
    const hashTags = new Map(byCapability('hash').map((item) => [item.id.slice(5), item.tags]))
    for (const item of tagged) expect(hashTags.get(item.id.slice(13))).toEqual(item.tags)
  })
})

describe('findVectorsDir', () => {
  test('finds the repository vectors, refuses a folder without them', () => {
    expect(findVectorsDir()).toBe(suite.vectorsDir)
    expect(findVectorsDir(suite.vectorsDir)).toBe(suite.vectorsDir)
    const empty = mkdtempSync(join(tmpdir(), 'no-vectors-'))
    expect(() => findVectorsDir(empty)).toThrow(VectorsNotFoundError)
    expect(() => loadCases({ vectorsDir: empty })).toThrow(/holds no message\/cases\.json/)
  })
})

describe('the judges', () => {
  test('every case passes its own expected output', () => {
    for (const item of suite.cases) expect(item.judge(honestAnswer(item)), item.id).toBeUndefined()
  })

  test.each(sameFieldCapabilities)('%s: an answer that is not an object fails', (capability) => {
    for (const item of byCapability(capability).slice(0, 3))
      for (const answer of [null, 'text', [item.expected], undefined]) {
        const judgement = item.judge(answer)
        expect(judgement?.reason, item.id).toMatch(/^the output must be an object with /)
        expect(judgement?.mismatches).toEqual([
          { field: 'output', expected: item.expected, actual: answer },
        ])
      }
  })

  test.each(sameFieldCapabilities)(
    '%s: each field changed alone fails and is named',
    (capability) => {
      for (const item of byCapability(capability).slice(0, 5)) {
        const expected = item.expected as Record<string, unknown>
        for (const field of Object.keys(expected)) {
          const wrong = expected[field] === true ? false : `${String(expected[field])}0`
          const judgement = item.judge({ ...expected, [field]: wrong })
          expect(judgement?.mismatches, `${item.id} ${field}`).toEqual([
            { field, expected: expected[field], actual: wrong },
          ])
          expect(judgement?.reason).toBe(`${field} differs`)
          // A missing field is not a null one unless the vector expects null.
          const { [field]: _, ...without } = expected
          if (expected[field] !== undefined)
            expect(item.judge(without)?.mismatches.map((m) => m.field)).toEqual([field])
        }
        const keys = Object.keys(expected)
        if (keys.length === 2) {
          const both = Object.fromEntries(keys.map((key) => [key, 'wrong']))
          expect(item.judge(both)?.reason).toBe(`${keys[0]}, ${keys[1]} differ`)
        }
      }
    },
  )

  test('hex answers are compared without case, other text with case', () => {
    const upper = (value: unknown): unknown =>
      typeof value === 'string' ? value.toUpperCase().replace(/^0X/, '0x') : value
    for (const capability of ['hash', 'sign', 'recover'] as const)
      for (const item of byCapability(capability).slice(0, 5)) {
        const expected = item.expected as Record<string, unknown>
        const shouted = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, upper(v)]))
        expect(item.judge(shouted), item.id).toBeUndefined()
      }
    const message = byCapability('message')[0]!
    const { message: text } = message.expected as { message: string }
    expect(message.judge({ message: text.toUpperCase() })?.reason).toBe('message differs')
    const canonical = byCapability('canonicalize').find(
      (item) =>
        (item.expected as { raw: string }).raw !==
        (item.expected as { raw: string }).raw.toUpperCase(),
    )!
    const { raw, ascii } = canonical.expected as { raw: string; ascii: string }
    expect(canonical.judge({ raw: raw.toUpperCase(), ascii })?.mismatches[0]?.field).toBe('raw')
  })

  test('canonical forms compare as text, extra answer fields are ignored', () => {
    const item = byCapability('canonicalize')[0]!
    const expected = item.expected as { raw: string; ascii: string }
    expect(item.judge({ ...expected, note: 'extra' })).toBeUndefined()
    expect(item.judge({ raw: ` ${expected.raw}`, ascii: expected.ascii })?.reason).toMatch(
      /^raw differs/,
    )
  })

  test('a canonical form written with an encoder default names that encoder', () => {
    const item = byCapability('canonicalize').find((candidate) =>
      (candidate.expected as { raw: string }).raw.includes('/'),
    )!
    const { raw, ascii } = item.expected as { raw: string; ascii: string }
    const judgement = item.judge({ raw: raw.replaceAll('/', '\\/'), ascii })
    expect(judgement?.reason).toMatch(/^raw differs; raw: .*PHP/)
    expect(judgement?.mismatches.map((mismatch) => mismatch.field)).toEqual(['raw'])
  })

  test('refuse cases fail what is not refused, accept cases what is', () => {
    const refuse = byCapability('refuse')
    const mustRefuse = refuse.find((item) => item.check === 'refuse')!
    for (const answer of [{ refused: false }, { refused: 'yes' }, {}, null, 'refused'])
      expect(mustRefuse.judge(answer)).toEqual({
        reason: 'not refused: the input must be rejected with an error',
        mismatches: [
          {
            field: 'refused',
            expected: true,
            actual: typeof answer === 'object' && answer !== null ? answer.refused : undefined,
          },
        ],
      })
    const mustAccept = refuse.find((item) => item.check === 'accept')!
    expect(mustAccept.judge({ refused: true, error: 'canonical' })).toEqual({
      reason: 'refused a valid input (canonical): it must be accepted',
      mismatches: [{ field: 'refused', expected: false, actual: true }],
    })
    expect(mustAccept.judge({ refused: true })?.reason).toBe(
      'refused a valid input: it must be accepted',
    )
    expect(mustAccept.judge([false])?.mismatches[0]?.actual).toBeUndefined()
  })
})

describe('the request judge', () => {
  let requests: ConformanceCase[]
  let signed: ConformanceCase
  let unsigned: ConformanceCase
  let withToken: ConformanceCase
  beforeEach(() => {
    requests = byCapability('request')
    signed = requests.find((item) => (item.expected as { signature: unknown }).signature !== null)!
    unsigned = requests.find((item) => item.id === 'request/session')!
    withToken = requests.find((item) => item.id === 'request/workflow_create')!
  })
  const expectedOf = (item: ConformanceCase) => item.expected as Record<string, unknown>

  test('nulls may be left out, the body may be JSON text, hashes and signatures ignore case', () => {
    const expected = expectedOf(unsigned)
    const sparse = Object.fromEntries(
      Object.entries(expected).filter(([, value]) => value !== null),
    )
    expect(unsigned.judge(sparse)).toBeUndefined()
    const answer = expectedOf(signed)
    expect(signed.judge({ ...answer, body: JSON.stringify(answer.body) })).toBeUndefined()
    expect(
      signed.judge({
        ...answer,
        signature: String(answer.signature).toUpperCase(),
        payload_sha256: String(answer.payload_sha256).toUpperCase(),
      }),
    ).toBeUndefined()
  })

  test('each field changed alone fails and is named', () => {
    const answer = expectedOf(signed)
    for (const field of ['path', 'payload_canonical', 'payload_sha256', 'message', 'signature']) {
      const judgement = signed.judge({ ...answer, [field]: `${String(answer[field])}0` })
      expect(judgement?.reason, field).toBe(`${field} differs`)
      expect(judgement?.mismatches).toEqual([
        { field, expected: answer[field], actual: `${String(answer[field])}0` },
      ])
    }
    expect(signed.judge({ ...answer, message: String(answer.message).toUpperCase() })?.reason).toBe(
      'message differs',
    )
    expect(signed.judge({ ...answer, path: undefined, message: null })?.reason).toBe(
      'path, message differ',
    )
    expect(unsigned.judge({ ...expectedOf(unsigned), signature: '0x00' })?.mismatches).toEqual([
      { field: 'signature', expected: null, actual: '0x00' },
    ])
  })

  test('the body is compared as JSON: order of keys is free, nothing more, nothing less', () => {
    const answer = expectedOf(signed)
    const body = answer.body as Record<string, unknown>
    const reversed = Object.fromEntries(Object.entries(body).reverse())
    expect(signed.judge({ ...answer, body: reversed })).toBeUndefined()
    for (const wrong of [{ ...body, extra: 1 }, {}, [body], 'not json', null]) {
      const judgement = signed.judge({ ...answer, body: wrong })
      expect(
        judgement?.mismatches.map((mismatch) => mismatch.field),
        String(wrong),
      ).toEqual(['body'])
    }
    expect(signed.judge({ ...answer, body: '{"unclosed"' })).toEqual({
      reason: 'body is not JSON text',
      mismatches: [{ field: 'body', expected: body, actual: '{"unclosed"' }],
    })
  })

  test('nested arrays in the body are compared item by item', () => {
    const item = requests.find((candidate) =>
      JSON.stringify(expectedOf(candidate).body).includes('['),
    )!
    const answer = expectedOf(item)
    expect(item.judge({ ...answer, body: JSON.stringify(answer.body) })).toBeUndefined()
    const edits: ((list: unknown[]) => unknown[])[] = [
      (list) => list.slice(1),
      (list) => [...list, list[0]],
      (list) => [...list].reverse().concat(list.length === 1 ? ['x'] : []),
    ]
    for (const edit of edits) {
      const body = editFirstArray(answer.body, edit)
      expect(JSON.stringify(body)).not.toBe(JSON.stringify(answer.body))
      expect(item.judge({ ...answer, body })?.reason).toBe('body differs')
    }
  })

  test('the workflow token header is judged by its name in any case', () => {
    const answer = expectedOf(withToken)
    const token = (answer.headers as Record<string, string>)['x-job-workflow-token']
    expect(
      withToken.judge({ ...answer, headers: { 'X-Job-Workflow-Token': token } }),
    ).toBeUndefined()
    for (const headers of [{ 'x-job-workflow-token': `${token}x` }, {}, undefined, 'token'])
      expect(withToken.judge({ ...answer, headers })?.mismatches).toEqual([
        { field: 'headers', expected: answer.headers, actual: headers },
      ])
    // Only a case that expects a token judges headers.
    expect(signed.judge({ ...expectedOf(signed), headers: 'anything' })).toBeUndefined()
  })

  test('an answer that is not an object fails', () => {
    for (const answer of [null, 'text', [expectedOf(signed)]])
      expect(signed.judge(answer)).toEqual({
        reason: 'the output must be an object',
        mismatches: [{ field: 'output', expected: signed.expected, actual: answer }],
      })
  })
})

/** A copy of `value` with its first array (depth first) replaced by `edit` of it. */
function editFirstArray(value: unknown, edit: (list: unknown[]) => unknown[]): unknown {
  let done = false
  const walk = (node: unknown): unknown => {
    if (done || typeof node !== 'object' || node === null) return node
    if (Array.isArray(node)) {
      done = true
      return edit(node)
    }
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]))
  }
  return walk(value)
}

describe('what each case carries', () => {
  test('inputs and expected outputs have the shape the Conformance guide gives', () => {
    const keysOf = (capability: ConformanceCase['capability'], part: 'input' | 'expected') =>
      new Set(
        byCapability(capability).map((item) =>
          Object.keys(item[part] as object)
            .sort()
            .join(','),
        ),
      )
    expect(keysOf('canonicalize', 'input')).toEqual(new Set(['json']))
    expect(keysOf('hash', 'input')).toEqual(new Set(['json']))
    expect(keysOf('sign', 'input')).toEqual(new Set(['message,private_key']))
    expect(keysOf('recover', 'input')).toEqual(new Set(['address,message,signature']))
    expect(keysOf('canonicalize', 'expected')).toEqual(new Set(['ascii,raw']))
    expect(keysOf('hash', 'expected')).toEqual(new Set(['ascii_sha256,raw_sha256']))
    expect(keysOf('sign', 'expected')).toEqual(new Set(['address,signature']))
    expect(keysOf('recover', 'expected')).toEqual(new Set(['recovered,valid']))
    for (const item of byCapability('canonicalize'))
      expect((item.input as { json: unknown }).json).not.toBeUndefined()
    for (const item of suite.cases)
      if (item.capability !== 'refuse') expect(item.check, item.id).toBe(item.capability)
    for (const item of byCapability('request'))
      expect(item.tags, item.id).toEqual([
        `endpoint:${item.id.replace(/^request\//, '').replace(/_(page_2|social|social_ascii|workflow|non_ascii|non_ascii_ascii)$/, '')}`,
      ])
  })

  test('the error of a missing vectors folder names itself and its guide', () => {
    const error = new VectorsNotFoundError('nowhere')
    expect(error.name).toBe('Conformance.VectorsNotFoundError')
    expect(error.shortMessage).toBe('The conformance vectors were not found.')
    expect(error.message).toContain('/documents/Conformance.html')
  })
})

describe('the judges, further', () => {
  test('an answer that is not an object names every field it must hold', () => {
    const item = byCapability('canonicalize')[0]!
    expect(item.judge(null)?.reason).toBe('the output must be an object with raw, ascii')
  })

  test('arrays in a body differ when any later item does', () => {
    const item = byCapability('request').find((candidate) =>
      JSON.stringify((candidate.expected as { body: unknown }).body).includes('['),
    )!
    const answer = item.expected as Record<string, unknown>
    const lastChanged = editFirstArray(answer.body, (list) => [...list.slice(0, -1), 'changed'])
    expect(item.judge({ ...answer, body: lastChanged })?.reason).toBe('body differs')
  })

  test('the token header is found among others; a token sent where none is expected is not judged', () => {
    const requests = byCapability('request')
    const withToken = requests.find((item) => item.id === 'request/workflow_create')!
    const answer = withToken.expected as Record<string, unknown>
    const token = (answer.headers as Record<string, string>)['x-job-workflow-token']
    const headers = { 'content-type': 'application/json', 'X-Job-Workflow-Token': token }
    expect(withToken.judge({ ...answer, headers })).toBeUndefined()
    const session = requests.find((item) => item.id === 'request/session')!
    const sessionAnswer = session.expected as Record<string, unknown>
    expect(
      session.judge({ ...sessionAnswer, headers: { 'x-job-workflow-token': 'stray' } }),
    ).toBeUndefined()
  })
})
