import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { buildMessage, InvalidMessageFieldError, parseMessage } from './message.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)
const hex = (length: number) =>
  fc.string({
    unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
    minLength: length,
    maxLength: length,
  })
const field = fc.string({ unit: 'binary', minLength: 1 }).filter((value) => !/[\r\n]/.test(value))
const scope = fc.oneof(
  fc.record({ action: field, product: field }),
  fc.record({
    method: fc.constantFrom('GET', 'POST', 'put'),
    path: field.map((value) => `/${value}`),
  }),
)
const input = fc.record({
  wallet: hex(40).map((value) => `0x${value}`),
  session: field,
  request: field,
  scope,
  payloadHash: hex(64),
})

test.prop([input], { numRuns })('parseMessage inverts buildMessage', (fields) => {
  const message = buildMessage(fields)
  const parsed = parseMessage(message)
  expect(parsed.wallet).toBe(fields.wallet.toLowerCase())
  expect(parsed.session).toBe(fields.session)
  expect(parsed.request).toBe(fields.request)
  expect(parsed.payloadHash).toBe(fields.payloadHash.toLowerCase())
  expect(parsed.scope).toEqual(
    'action' in fields.scope
      ? fields.scope
      : { method: fields.scope.method.toUpperCase(), path: fields.scope.path },
  )
  expect(message.split('\n')).toHaveLength(7)
})

test.prop(
  [input, fc.constantFrom('session', 'request'), fc.constantFrom('\n', '\r', '\r\n'), fc.nat()],
  { numRuns },
)('a line break in any field is refused, never written', (fields, name, lineBreak, at) => {
  const value = fields[name]
  const position = at % (value.length + 1)
  const broken = { ...fields, [name]: value.slice(0, position) + lineBreak + value.slice(position) }
  expect(() => buildMessage(broken)).toThrow(InvalidMessageFieldError)
})
