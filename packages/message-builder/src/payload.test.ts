import { expect, test } from 'vitest'
import { envelopeFields, payloadOf } from './payload.js'

test('payloadOf drops exactly the four envelope fields', () => {
  const body = {
    wallet_address: '0xab',
    session_nonce: 'n',
    request_id: 'r',
    signature: '0x00',
    proof_text: 'done',
    reservation_id: 'res_1',
    social_posts: [],
  }
  expect(payloadOf(body)).toEqual({ proof_text: 'done', reservation_id: 'res_1', social_posts: [] })
  expect(envelopeFields).toEqual(['wallet_address', 'session_nonce', 'request_id', 'signature'])
})

test('payloadOf of an envelope alone is the empty object', () => {
  expect(
    payloadOf({ wallet_address: '0xab', session_nonce: 'n', request_id: 'r', signature: '0x' }),
  ).toEqual({})
})

test('payloadOf keeps undefined members and does not change the body', () => {
  const body = { request_id: 'r', limit: 50, skip: undefined }
  const payload = payloadOf(body)
  expect(Object.keys(payload)).toEqual(['limit', 'skip'])
  expect(body.request_id).toBe('r')
})

test('payloadOf keeps a "__proto__" member of a parsed body as an own member', () => {
  const body = JSON.parse('{"request_id":"r","__proto__":{"x":1},"limit":1}')
  const payload = payloadOf(body)
  expect(Object.keys(payload)).toEqual(['__proto__', 'limit'])
  expect(Object.getPrototypeOf(payload)).toBe(Object.prototype)
})

test.each([null, 'text', [1]])('payloadOf(%j) is a typed error', (body) => {
  expect(() => payloadOf(body as never)).toThrowError(
    expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field: 'body' }),
  )
})
