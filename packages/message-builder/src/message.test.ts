import { describe, expect, test } from 'vitest'
import {
  buildMessage,
  InvalidMessageFieldError,
  type MessageInput,
  MessageParseError,
  parseMessage,
} from './message.js'

// Hashes below were computed with Python:
// hashlib.sha256(json.dumps(v, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
const listHash = '4879729d88891f52ee7d8b54ea2f618e20a75b3817e55e0dbeb84c2bca8f3d93' // {"limit":50,"skip":0}
const emptyHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' // {}
const queryHash = '6059a9592619ff9724b5ef39253aefe18aae9c550498264576bdf76f76e15eca' // {"query":"agents"}

const wallet = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const lowerWallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const base = { wallet, session: 'nonce-1', request: 'req-1' } as const

describe('buildMessage', () => {
  test('scoped endpoint with an object payload', () => {
    const message = buildMessage({
      ...base,
      scope: { action: 'job_list' },
      payload: { skip: 0, limit: 50 },
    })
    expect(message).toBe(
      [
        'agentpmt-external',
        `wallet:${lowerWallet}`,
        'session:nonce-1',
        'request:req-1',
        'action:job_list',
        'product:-',
        `payload:${listHash}`,
      ].join('\n'),
    )
    expect(message.endsWith('\n')).toBe(false)
  })

  test('product is the job id when given', () => {
    const message = buildMessage({
      ...base,
      scope: { action: 'job_reserve', product: 'job_42' },
      payload: {},
    })
    expect(message.split('\n').slice(4)).toEqual([
      'action:job_reserve',
      'product:job_42',
      `payload:${emptyHash}`,
    ])
  })

  test('tool invoke scope: method upper-cased, path as given', () => {
    const message = buildMessage({
      ...base,
      scope: { method: 'post', path: '/external/tools/web-search/actions/search/invoke' },
      payload: { query: 'agents' },
    })
    expect(message.split('\n').slice(4)).toEqual([
      'method:POST',
      'path:/external/tools/web-search/actions/search/invoke',
      `payload:${queryHash}`,
    ])
  })

  test('null payload leaves the payload line empty', () => {
    const message = buildMessage({ ...base, scope: { action: 'balance' }, payload: null })
    expect(message.split('\n').at(-1)).toBe('payload:')
  })

  test('a precomputed hash is written lower-case', () => {
    const message = buildMessage({
      ...base,
      scope: { action: 'job_status', product: 'job_1' },
      payloadHash: emptyHash.toUpperCase(),
    })
    expect(message.split('\n').at(-1)).toBe(`payload:${emptyHash}`)
  })

  test.each([
    ['wallet', { wallet: '0x1234' }],
    ['wallet', { wallet: '70997970C51812dc3A010C7d01b50e0d17dc79C8' }],
    ['wallet', { wallet: `${lowerWallet}\n` }],
    ['session', { session: '' }],
    ['session', { session: 'a\nwallet:0x0' }],
    ['request', { request: 'r\r' }],
    ['request', { request: '' }],
  ] as const)('refuses a bad %s', (field, override) => {
    const input = { ...base, scope: { action: 'job_list' }, payload: {}, ...override }
    expect(() => buildMessage(input as MessageInput)).toThrow(InvalidMessageFieldError)
    try {
      buildMessage(input as MessageInput)
    } catch (error) {
      expect((error as InvalidMessageFieldError).field).toBe(field)
    }
  })

  test.each([
    ['action', { action: '' }],
    ['action', { action: 'job_list\npayload:' }],
    ['product', { action: 'job_reserve', product: 'job\r1' }],
    ['product', { action: 'job_reserve', product: '' }],
    ['method', { method: 'PO ST', path: '/x' }],
    ['method', { method: '', path: '/x' }],
    ['path', { method: 'POST', path: 'external/tools' }],
    ['path', { method: 'POST', path: '/x\n' }],
    ['product', { action: 'job_reserve', product: null }],
    ['product', { action: 'job_reserve', product: 'job_\ud800' }],
    ['scope', { action: 'job_reserve', path: '/x' }],
    ['scope', { method: 'POST', path: '/x', product: 'job_1' }],
  ] as const)('refuses a bad scope field %s: %j', (field, scope) => {
    expect(() => buildMessage({ ...base, scope: scope as never, payload: {} })).toThrowError(
      expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field }),
    )
  })

  test.each([
    ['payloadHash', { payloadHash: 'abc' }],
    ['payloadHash', { payloadHash: `${emptyHash}0` }],
    ['payloadHash', { payloadHash: `0x${emptyHash.slice(2)}` }],
    ['payload', { payload: [1, 2] }],
    ['payload', { payload: 'text' }],
    ['payload', { payload: {}, payloadHash: emptyHash }],
  ] as const)('refuses a bad %s', (field, payload) => {
    const input = { ...base, scope: { action: 'job_list' }, ...payload } as unknown as MessageInput
    expect(() => buildMessage(input)).toThrowError(expect.objectContaining({ field }))
  })

  test('a lone surrogate in a line is refused with the name of its field', () => {
    const input = { ...base, request: 'req-\udc00', scope: { action: 'job_list' }, payload: null }
    expect(() => buildMessage(input)).toThrowError(
      expect.objectContaining({
        name: 'MessageBuilder.InvalidMessageFieldError',
        field: 'request',
      }),
    )
  })

  test('the error names the field and links the docs', () => {
    expect(() =>
      buildMessage({ ...base, session: 'a\nb', scope: { action: 'job_list' }, payload: null }),
    ).toThrowErrorMatchingInlineSnapshot(`
      [MessageBuilder.InvalidMessageFieldError: Invalid message field "session": must not contain a line break (\\r or \\n): it would inject a line.
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Protocol.html#the-signed-message]
    `)
  })

  test('a payload that cannot be canonicalised is refused, not changed', () => {
    expect(() =>
      buildMessage({ ...base, scope: { action: 'job_list' }, payload: { limit: Number.NaN } }),
    ).toThrowError(
      expect.objectContaining({ name: 'CanonicalJson.InvalidNumberError', path: '$.limit' }),
    )
  })
})

describe('parseMessage', () => {
  const text = [
    'agentpmt-external',
    `wallet:${lowerWallet}`,
    'session:nonce-1',
    'request:req-1',
    'action:job_status',
    'product:job_1',
    `payload:${emptyHash}`,
  ]

  test('reads every field of an action message', () => {
    expect(parseMessage(text.join('\n'))).toEqual({
      wallet: lowerWallet,
      session: 'nonce-1',
      request: 'req-1',
      scope: { action: 'job_status', product: 'job_1' },
      payloadHash: emptyHash,
    })
  })

  test('reads a method/path message with an empty payload', () => {
    const lines = [
      ...text.slice(0, 4),
      'method:POST',
      'path:/external/tools/a/actions/b/invoke',
      'payload:',
    ]
    expect(parseMessage(lines.join('\n'))).toMatchObject({
      scope: { method: 'POST', path: '/external/tools/a/actions/b/invoke' },
      payloadHash: null,
    })
  })

  const withLine = (index: number, line: string) =>
    text.map((original, i) => (i === index ? line : original)).join('\n')

  test.each([
    [1, withLine(0, 'agentpmt-externa')],
    [2, withLine(1, `wallet:${wallet}`)],
    [2, withLine(1, 'wallet:0x12')],
    [2, withLine(1, `address:${lowerWallet}`)],
    [3, withLine(2, 'session:')],
    [4, withLine(3, 'request:')],
    [5, withLine(4, 'scope:job_list')],
    [5, withLine(4, 'method:post').replace('product:job_1', 'path:/x')],
    [6, withLine(5, 'path:/x')],
    [7, withLine(6, 'payload:xyz')],
    [7, withLine(6, `payload:${emptyHash.toUpperCase()}`)],
    [8, `${text.join('\n')}\n`],
    [1, text.join('\r\n')],
    [3, text.slice(0, 2).join('\n')],
    [7, text.slice(0, 6).join('\n')],
  ])('names line %i of a bad message', (line, bad) => {
    expect(() => parseMessage(bad)).toThrowError(
      expect.objectContaining({ name: 'MessageBuilder.MessageParseError', line }),
    )
  })

  test('a trailing newline is named as such', () => {
    expect(() => parseMessage(`${text.join('\n')}\n`)).toThrowErrorMatchingInlineSnapshot(`
      [MessageBuilder.MessageParseError: Line 8 of the message (end): the message ends with a newline; it must end right after the payload line.
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Protocol.html#the-signed-message]
    `)
  })

  test('refuses what is not a string', () => {
    expect(() => parseMessage(42 as unknown as string)).toThrow(MessageParseError)
  })
})

describe('input of the wrong shape is a typed error, never a TypeError', () => {
  const wallet = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
  test.each([
    ['input', undefined],
    ['input', 'text'],
    ['scope', { wallet, session: 's', request: 'r', payload: null }],
    ['scope', { wallet, session: 's', request: 'r', scope: null, payload: null }],
    ['scope', { wallet, session: 's', request: 'r', scope: {}, payload: null }],
    [
      'scope',
      {
        wallet,
        session: 's',
        request: 'r',
        scope: { action: 'job_list', method: 'POST', path: '/x' },
        payload: null,
      },
    ],
  ])('%s: %j', (field, input) => {
    expect(() => buildMessage(input as never)).toThrowError(
      expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field }),
    )
  })

  test('parseMessage of a non-string names the message, not a line', () => {
    expect(() => parseMessage(undefined as never)).toThrowError(
      'The message: expected a string, got undefined.',
    )
  })
})
