import { readFileSync } from 'node:fs'
import { canonicalize } from '@agentpmt-kit/canonical-json'
import { describe, expect, test } from 'vitest'
import {
  balanceMessage,
  jobCompleteMessage,
  jobListMessage,
  jobReserveMessage,
  jobStatusMessage,
  toolInvokeMessage,
} from './jobMessages.js'
import {
  buildMessage,
  InvalidMessageFieldError,
  type MessageFields,
  type MessageInput,
  MessageParseError,
  parseMessage,
} from './message.js'
import { payloadOf } from './payload.js'

// The language-neutral vectors of /vectors (see vectors/README.md). The message texts were
// joined by the generator from PROTOCOL section 2 and the hashes computed by Python's hashlib,
// never by this package.

type VectorScope = { action: string; product?: string } | { method: string; path: string }
type VectorInput = {
  wallet: string
  session: string
  request: string
  scope: VectorScope
  payload?: Record<string, unknown> | null
  payload_hash?: string
}
type MessageCase = {
  id: string
  description: string
  input: VectorInput
  body?: Record<string, unknown>
  payload_canonical: string | null
  payload_sha256: string | null
  payload_ascii_sha256?: string
  message: string
}
type NegativeCase = {
  id: string
  kind: 'canonical' | 'message' | 'parse'
  description: string
  input: unknown
  error: string
  why: string
  field?: string
  line?: number
}
type VectorFile<item> = { $schema: string; description: string; count: number; cases: item[] }

function load<item>(topic: string): VectorFile<item> {
  const url = new URL(`../../../vectors/${topic}/cases.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as VectorFile<item>
}

const messageFile = load<MessageCase>('message')
const negativeFile = load<NegativeCase>('negative')
const messageNegatives = negativeFile.cases.filter((item) => item.kind === 'message')
const parseNegatives = negativeFile.cases.filter((item) => item.kind === 'parse')

/** The vector input (snake_case `payload_hash`) as buildMessage's input. */
function toMessageInput(input: VectorInput): MessageInput {
  const { payload_hash, payload, ...fields } = input
  return (
    payload_hash === undefined
      ? { ...fields, payload: payload ?? null }
      : payload === undefined
        ? { ...fields, payloadHash: payload_hash }
        : { ...fields, payload, payloadHash: payload_hash }
  ) as MessageInput
}

/** What parseMessage must give back for a case: the fields as written in the message. */
function expectedFields(item: MessageCase): MessageFields {
  const { scope } = item.input
  return {
    wallet: item.input.wallet.toLowerCase() as MessageFields['wallet'],
    session: item.input.session,
    request: item.input.request,
    scope:
      'action' in scope
        ? { action: scope.action, product: scope.product ?? '-' }
        : { method: scope.method.toUpperCase(), path: scope.path },
    payloadHash: item.payload_sha256,
  }
}

const sha256Pattern = /^[0-9a-f]{64}$/

describe('vectors/message/cases.json', () => {
  test('has the documented shape', () => {
    const { cases } = messageFile
    expect(messageFile.$schema).toBe('../schema/message.schema.json')
    expect(messageFile.count).toBe(cases.length)
    expect(cases.length).toBeGreaterThanOrEqual(40)
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length)
    for (const item of cases) {
      const { input } = item
      expect(Object.keys(input).sort(), item.id).toEqual(
        [
          'wallet',
          'session',
          'request',
          'scope',
          'payload_hash' in input ? 'payload_hash' : 'payload',
        ].sort(),
      )
      expect(['action', 'method']).toContain(Object.keys(input.scope)[0])
      expect(typeof item.message).toBe('string')
      if (item.payload_sha256 !== null) expect(item.payload_sha256).toMatch(sha256Pattern)
      if (item.payload_ascii_sha256 !== undefined)
        expect(item.payload_ascii_sha256).toMatch(sha256Pattern)
      expect(item.payload_canonical === null).toBe(
        input.payload === null || 'payload_hash' in input,
      )
      expect(item.message.split('\n')).toHaveLength(7)
    }
  })

  test('covers both scopes, every job action, balance and a given payload hash', () => {
    const actions = new Set(
      messageFile.cases.map((item) =>
        'action' in item.input.scope ? item.input.scope.action : 'invoke',
      ),
    )
    for (const action of [
      'balance',
      'job_list',
      'job_reserve',
      'job_complete',
      'job_status',
      'invoke',
    ])
      expect(actions).toContain(action)
    expect(messageFile.cases.some((item) => 'payload_hash' in item.input)).toBe(true)
  })

  describe.each(messageFile.cases)('$id', (item) => {
    test('buildMessage writes the message', () => {
      expect(buildMessage(toMessageInput(item.input))).toBe(item.message)
    })

    test('parseMessage gives the fields back', () => {
      expect(parseMessage(item.message)).toEqual(expectedFields(item))
    })

    test('the payload is the canonical body minus the envelope (tool invokes: parameters)', () => {
      const { payload, scope } = item.input
      if (payload === undefined || payload === null) return
      expect(canonicalize(payload)).toBe(item.payload_canonical)
      if (item.body === undefined) return
      expect('method' in scope ? item.body.parameters : payloadOf(item.body)).toEqual(payload)
    })

    test('the job helpers write the same message', () => {
      const { input } = item
      const signing = { wallet: input.wallet, session: input.session, request: input.request }
      const { scope, payload } = input
      if ('method' in scope) {
        if (payload)
          expect(
            toolInvokeMessage(signing, {
              method: scope.method,
              path: scope.path,
              parameters: payload,
            }),
          ).toBe(item.message)
        return
      }
      const product = scope.product ?? '-'
      if (scope.action === 'balance' && product === '-' && payload === null)
        expect(balanceMessage(signing)).toBe(item.message)
      if (scope.action === 'job_list' && payload && product === '-')
        expect(jobListMessage(signing, payload as { limit: number; skip: number })).toBe(
          item.message,
        )
      if (scope.action === 'job_reserve' && payload && Object.keys(payload).length === 0)
        expect(jobReserveMessage(signing, product)).toBe(item.message)
      if (scope.action === 'job_status' && payload && Object.keys(payload).length === 0)
        expect(jobStatusMessage(signing, product)).toBe(item.message)
      if (scope.action === 'job_complete' && payload)
        expect(jobCompleteMessage(signing, product, payload)).toBe(item.message)
    })
  })
})

describe('vectors/negative/cases.json, kinds message and parse', () => {
  test('has the documented shape', () => {
    const { cases } = negativeFile
    expect(negativeFile.$schema).toBe('../schema/negative.schema.json')
    expect(negativeFile.count).toBe(cases.length)
    expect(cases.length).toBeGreaterThanOrEqual(40)
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length)
    for (const item of cases) {
      expect(['canonical', 'message', 'parse']).toContain(item.kind)
      expect(item.error).toMatch(/^[a-z][a-z0-9_]*$/)
      expect(typeof item.why).toBe('string')
      if (item.kind === 'message') expect(typeof item.field, item.id).toBe('string')
      if (item.kind === 'parse') {
        expect(typeof item.input, item.id).toBe('string')
        expect(item.line, item.id).toBeGreaterThanOrEqual(1)
      }
    }
  })

  test.for(messageNegatives)('$id: buildMessage refuses it', (item) => {
    let thrown: unknown
    try {
      buildMessage(toMessageInput(item.input as VectorInput))
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InvalidMessageFieldError)
    // The vectors name fields as their input keys; buildMessage names them as its own options.
    expect((thrown as InvalidMessageFieldError).field).toBe(
      item.field === 'payload_hash' ? 'payloadHash' : item.field,
    )
  })

  for (const item of parseNegatives) {
    test(`${item.id}: parseMessage refuses it`, () => {
      let thrown: unknown
      try {
        parseMessage(item.input as string)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(MessageParseError)
      expect((thrown as MessageParseError).line).toBe(item.line)
    })
  }
})
