import { expect, test } from 'vitest'
import { InvalidMessageFieldError } from './message.js'
import { payloadOf } from './payload.js'

test.each([null, 'text', [1], 7])('payloadOf(%j) says the body must be a JSON object', (body) => {
  try {
    payloadOf(body as never)
    expect.unreachable()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidMessageFieldError)
    expect((error as InvalidMessageFieldError).shortMessage).toBe(
      'Invalid message field "body": must be the JSON object of the request body.',
    )
  }
})
