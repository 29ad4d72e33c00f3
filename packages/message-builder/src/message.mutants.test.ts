import { describe, expect, test } from 'vitest'
import { buildMessage, type MessageInput, messageLines, parseMessage } from './message.js'

// What each refusal says (message.test.ts checks that it happens and names the field or line):
// an implementer reads these reasons to fix a message, so each one is part of the behaviour.
// Found by mutation testing, like the edge cases below.

const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const emptyHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' // sha256('{}')
const base = { wallet, session: 'nonce-1', request: 'req-1' } as const

/** The short message of what `build` throws. */
function refusal(build: () => unknown): string {
  try {
    build()
  } catch (error) {
    return (error as { shortMessage: string }).shortMessage
  }
  throw new Error('nothing was thrown')
}

describe('buildMessage says why it refuses', () => {
  test.each([
    [
      null,
      'Invalid message field "input": must be an object with wallet, session, request, scope and payload.',
    ],
    [
      { ...base, scope: { action: 'job_list', method: 'POST' }, payload: null },
      'Invalid message field "scope": must be either { action, product? } or { method, path }.',
    ],
    [
      { ...base, scope: { action: 'job_list', path: '/x' }, payload: null },
      'Invalid message field "scope": "path" is not part of a { action, product } scope.',
    ],
    [
      { ...base, scope: { method: 'POST', path: '/x', product: 'p' }, payload: null },
      'Invalid message field "scope": "product" is not part of a { method, path } scope.',
    ],
    [
      { ...base, wallet: '0x12', scope: { action: 'job_list' }, payload: null },
      'Invalid message field "wallet": must be 0x followed by 40 hexadecimal characters.',
    ],
    [
      { ...base, session: '', scope: { action: 'job_list' }, payload: null },
      'Invalid message field "session": must not be empty.',
    ],
    [
      { ...base, scope: { method: 'PO ST', path: '/x' }, payload: null },
      'Invalid message field "method": must be an HTTP method name.',
    ],
    [
      { ...base, scope: { method: 'POST', path: 'x' }, payload: null },
      'Invalid message field "path": must start with /.',
    ],
    [
      { ...base, scope: { action: 'job_list' }, payload: {}, payloadHash: emptyHash },
      'Invalid message field "payload": give payload or payloadHash, not both.',
    ],
    [
      { ...base, scope: { action: 'job_list' }, payloadHash: 'abc' },
      'Invalid message field "payloadHash": must be 64 hexadecimal characters (SHA-256).',
    ],
    [
      // Its text is a valid hash, but it is not a string.
      { ...base, scope: { action: 'job_list' }, payloadHash: [emptyHash] },
      'Invalid message field "payloadHash": must be 64 hexadecimal characters (SHA-256).',
    ],
    [
      { ...base, scope: { action: 'job_list' }, payload: [1] },
      'Invalid message field "payload": must be the JSON object that is sent (or null for an endpoint without one).',
    ],
  ])('%j', (input, message) => {
    expect(refusal(() => buildMessage(input as unknown as MessageInput))).toBe(message)
  })

  test('a scope key set to undefined is left out, not refused', () => {
    const message = buildMessage({
      ...base,
      scope: { action: 'job_list', path: undefined } as never,
      payload: null,
    })
    expect(message.split('\n').slice(4)).toEqual(['action:job_list', 'product:-', 'payload:'])
  })
})

describe('parseMessage says where and why', () => {
  const text = [
    'agentpmt-external',
    `wallet:${wallet}`,
    'session:nonce-1',
    'request:req-1',
    'action:job_status',
    'product:job_1',
    `payload:${emptyHash}`,
  ]
  const withLine = (index: number, line: string) =>
    text.map((original, i) => (i === index ? line : original)).join('\n')

  test.each([
    [
      withLine(2, 'session:nonce\r-1'),
      'Line 3 of the message (session): contains \\r: lines are joined by \\n alone.',
    ],
    [
      withLine(0, 'agentpmt'),
      'Line 1 of the message (prefix): must be exactly "agentpmt-external".',
    ],
    [text.slice(0, 3).join('\n'), 'Line 4 of the message (request): missing; expected "request:".'],
    [withLine(1, 'wallet'), 'Line 2 of the message (wallet): must start with "wallet:".'],
    [
      withLine(1, 'wallet:0x12'),
      'Line 2 of the message (wallet): wallet must be 0x + 40 lower-case hex characters.',
    ],
    [withLine(2, 'session:'), 'Line 3 of the message (session): the value is empty.'],
    [
      text.slice(0, 4).join('\n'),
      'Line 5 of the message (scope): missing; expected "action:" or "method:".',
    ],
    // A scope line without its colon: the scope kind is not read from its name alone.
    [
      withLine(4, 'action'),
      'Line 5 of the message (scope): must start with "action:" or "method:".',
    ],
    [
      withLine(4, 'scope:x'),
      'Line 5 of the message (scope): must start with "action:" or "method:".',
    ],
    [
      withLine(4, 'method:Post').replace('product:job_1', 'path:/x'),
      'Line 5 of the message (scope): the method must be an upper-case HTTP method.',
    ],
    [
      withLine(4, 'method:POST').replace('product:job_1', 'path:x'),
      'Line 6 of the message (scope): the path must start with /.',
    ],
    [
      withLine(6, 'payload:abc'),
      'Line 7 of the message (payload): payload must be empty or 64 lower-case hex characters.',
    ],
    [`${text.join('\n')}\nx`, 'Line 8 of the message (end): expected 7 lines, found 8.'],
    [`${text.join('\n')}\n\nx`, 'Line 8 of the message (end): expected 7 lines, found 9.'],
    [
      `${text.join('\n')}\n\n`,
      'Line 8 of the message (end): the message ends with a newline; it must end right after the payload line.',
    ],
  ])('%j', (message, reason) => {
    expect(refusal(() => parseMessage(message))).toBe(reason)
  })
})

describe('messageLines', () => {
  test('numbers lines from 1 and splits each at its first colon', () => {
    expect(messageLines('agentpmt-external\nwallet\nsession:a:b\n')).toEqual([
      { line: 1, raw: 'agentpmt-external', name: 'prefix', value: 'agentpmt-external' },
      { line: 2, raw: 'wallet', name: 'wallet', value: '' },
      { line: 3, raw: 'session:a:b', name: 'session', value: 'a:b' },
      { line: 4, raw: '', name: '', value: '' },
    ])
  })
})
