import { describe, expect, test } from 'vitest'
import { BaseError } from './BaseError.js'
import {
  CircularReferenceError,
  canonicalize,
  InvalidNumberError,
  InvalidValueError,
  LoneSurrogateError,
  MaxDepthExceededError,
  UnsupportedValueError,
} from './canonicalize.js'

describe('BaseError', () => {
  test('a short message alone', () => {
    const error = new BaseError('Something failed.')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('BaseError')
    expect(error.message).toBe('Something failed.')
    expect(error.shortMessage).toBe('Something failed.')
    expect(error.details).toBeUndefined()
    expect(error.docsPath).toBeUndefined()
    expect(error.metaMessages).toBeUndefined()
    expect(error.cause).toBeUndefined()
    expect('cause' in error).toBe(false)
  })

  test('the message holds meta messages, details and the docs link, in that order', () => {
    const error = new BaseError('Invalid request.', {
      metaMessages: ['Field: limit', 'Value: -1'],
      details: 'limit must be a positive integer',
      docsPath: '/guides/errors',
    })
    expect(error.message).toMatchInlineSnapshot(`
      "Invalid request.

      Field: limit
      Value: -1

      Details: limit must be a positive integer
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/guides/errors"
    `)
    expect(error.docsPath).toBe('/guides/errors')
    expect(error.metaMessages).toEqual(['Field: limit', 'Value: -1'])
  })

  test('empty meta messages add no lines', () => {
    expect(new BaseError('Short.', { metaMessages: [] }).message).toBe('Short.')
  })

  test('details come from the cause when not given', () => {
    const fromError = new BaseError('Outer.', { cause: new TypeError('inner failure') })
    expect(fromError.details).toBe('inner failure')
    expect(fromError.cause).toBeInstanceOf(TypeError)
    const fromBaseError = new BaseError('Outer.', {
      cause: new BaseError('Inner.', { details: 'the inner details' }),
    })
    expect(fromBaseError.details).toBe('the inner details')
    expect(fromBaseError.message).toBe('Outer.\n\nDetails: the inner details')
    const given = new BaseError('Outer.', { cause: new Error('ignored'), details: 'given' })
    expect(given.details).toBe('given')
    const notAnError = new BaseError('Outer.', { cause: 'a string' })
    expect(notAnError.details).toBeUndefined()
    expect(notAnError.cause).toBe('a string')
  })

  test('walk returns the deepest cause, or the first that matches', () => {
    const root = new RangeError('root')
    const middle = new BaseError('Middle.', { cause: root })
    const top = new BaseError('Top.', { cause: middle })
    expect(top.walk()).toBe(root)
    expect(top.walk((error) => error instanceof RangeError)).toBe(root)
    expect(top.walk((error) => error instanceof BaseError)).toBe(top)
    expect(top.walk((error) => error === middle)).toBe(middle)
    expect(top.walk(() => false)).toBeUndefined()
    expect(new BaseError('Alone.').walk()).toBeInstanceOf(BaseError)
    const nonError = new BaseError('Top.', { cause: { code: 1 } })
    expect(nonError.walk()).toEqual({ code: 1 })
  })

  test('a subclass names itself', () => {
    class ExampleError extends BaseError {
      override name = 'Example.ExampleError'
    }
    const error = new ExampleError('Example.')
    expect(error.name).toBe('Example.ExampleError')
    expect(String(error)).toBe('Example.ExampleError: Example.')
    expect(error).toBeInstanceOf(BaseError)
  })
})

describe('the errors of canonical-json', () => {
  const cycle: Record<string, unknown> = {}
  cycle.self = cycle
  const cases = [
    [InvalidNumberError, 'CanonicalJson.InvalidNumberError', () => canonicalize({ a: Infinity })],
    [UnsupportedValueError, 'CanonicalJson.UnsupportedValueError', () => canonicalize({ a: 1n })],
    [LoneSurrogateError, 'CanonicalJson.LoneSurrogateError', () => canonicalize({ a: '\udc00' })],
    [CircularReferenceError, 'CanonicalJson.CircularReferenceError', () => canonicalize(cycle)],
    [
      MaxDepthExceededError,
      'CanonicalJson.MaxDepthExceededError',
      () => canonicalize({ a: [] }, { maxDepth: 1 }),
    ],
  ] as const

  test.each(cases)('%o is an InvalidValueError and a BaseError named %s', (Class, name, run) => {
    let error: unknown
    try {
      run()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(Class)
    expect(error).toBeInstanceOf(InvalidValueError)
    expect(error).toBeInstanceOf(BaseError)
    const { message, path, docsPath } = error as InvalidValueError
    expect((error as Error).name).toBe(name)
    expect(path).toMatch(/^\$\.(a|self)$/)
    expect(message).toContain(` at ${path}.`)
    expect(message).toContain('Details: ')
    expect(docsPath).toBe('/documents/Protocol.html#canonical-json')
  })

  test('the whole message of a refusal', () => {
    let message = ''
    try {
      canonicalize({ social_posts: [{ posted_at: Number.NaN }] })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatchInlineSnapshot(`
      "Non-finite number NaN at $.social_posts[0].posted_at.

      Details: JSON has no NaN or Infinity; send a finite number or a string.
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Protocol.html#canonical-json"
    `)
  })

  test('InvalidValueError can be raised directly with path segments', () => {
    const error = new InvalidValueError('Bad value', {
      path: ['social_posts', 0, 'odd key'],
      details: 'why',
    })
    expect(error.name).toBe('CanonicalJson.InvalidValueError')
    expect(error.path).toBe('$.social_posts[0]["odd key"]')
    expect(error.pathSegments).toEqual(['social_posts', 0, 'odd key'])
    expect(error.shortMessage).toBe('Bad value at $.social_posts[0]["odd key"].')
  })
})
