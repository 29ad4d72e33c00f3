import {
  acceptedPathCandidates,
  buildMessage,
  type MessageInput,
} from '@agentpmt-kit/message-builder'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { diagnoseSignature, parseApiError } from './index.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

const text = fc.string({ minLength: 1, maxLength: 24 }).filter((value) => !/[\r\n]/.test(value))
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/)
const wallet = fc.stringMatching(/^0x[0-9a-f]{40}$/)
const payload = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 4,
})
const scope = fc.oneof(
  fc.record({ action: text.filter((value) => !value.includes(':')), product: text }),
  fc.record({
    method: fc.constantFrom('POST', 'GET', 'PUT'),
    path: fc
      .tuple(slug, slug)
      .map(([product, action]) => `/external/tools/${product}/actions/${action}/invoke`),
  }),
)
const messageInput = fc.record({
  wallet,
  session: text,
  request: text,
  scope,
  payload: fc.option(payload, { nil: null }),
}) as fc.Arbitrary<MessageInput>

const mismatchFor = (expectedMessage: string, path: string | undefined) =>
  parseApiError(401, {
    error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    detail: '',
    details: {
      checklist: [],
      expected_message: expectedMessage,
      ...(path ? { accepted_path_candidates: acceptedPathCandidates(path) } : {}),
    },
  })

test.prop(
  [messageInput, fc.nat(6), fc.string({ maxLength: 40 }).filter((value) => !/[\r\n]/.test(value))],
  { numRuns },
)('any single-line change is named by its line', (input, index, replacement) => {
  const expected = buildMessage(input)
  const lines = expected.split('\n')
  fc.pre(lines[index] !== replacement)
  const path = 'path' in input.scope ? input.scope.path : undefined
  // A path among the accepted candidates is no problem at all, by design.
  fc.pre(
    !(
      path &&
      index === 5 &&
      acceptedPathCandidates(path).includes(replacement.slice(5)) &&
      replacement.startsWith('path:')
    ),
  )
  const ours = lines.map((line, at) => (at === index ? replacement : line)).join('\n')
  const { problems, summary } = diagnoseSignature({
    message: ours,
    payload: input.payload,
    error: mismatchFor(expected, path),
  })
  expect(problems.map((problem) => problem.line)).toContain(index + 1)
  expect(summary).toContain(`line ${index + 1}`)
  expect(problems.some((problem) => problem.kind === 'signed-by-another-key')).toBe(false)
})

test.prop([messageInput], { numRuns })('an identical message means another key signed', (input) => {
  const message = buildMessage(input)
  const path = 'path' in input.scope ? input.scope.path : undefined
  const { problems } = diagnoseSignature({
    message,
    payload: input.payload,
    error: mismatchFor(message, path),
  })
  expect(problems.map((problem) => problem.kind)).toEqual(['signed-by-another-key'])
})

test.prop([messageInput, fc.string(), fc.jsonValue()], { numRuns })(
  'never throws, whatever the signed text and payload',
  (input, message, anything) => {
    const diagnosis = diagnoseSignature({
      message,
      payload: anything,
      error: mismatchFor(buildMessage(input), undefined),
    })
    expect(typeof diagnosis.summary).toBe('string')
  },
)
