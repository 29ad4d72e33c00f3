import { describe, expect, test } from 'vitest'
import { InvalidMessageFieldError } from './message.js'
import { acceptedPathCandidates, canonicalPath, toolInvokePath } from './paths.js'

/** The refusal `run` throws, for assertions on its field and message. */
function refusalOf(run: () => unknown): InvalidMessageFieldError {
  try {
    run()
  } catch (error) {
    if (error instanceof InvalidMessageFieldError) return error
    throw error
  }
  throw new Error('expected an InvalidMessageFieldError')
}

describe('toolInvokePath refusals name the slug and what a slug is', () => {
  test.each([
    ['.hidden', 'run', 'productSlug'],
    ['~home', 'run', 'productSlug'],
    ['acme', '-run', 'actionSlug'],
    ['acme', 'run/x', 'actionSlug'],
    ['acme', 'run x', 'actionSlug'],
  ])('%j / %j: %s', (product, action, field) => {
    const error = refusalOf(() => toolInvokePath(product, action))
    expect(error.field).toBe(field)
    expect(error.shortMessage).toBe(
      `Invalid message field "${field}": must be a URL slug (letters, digits, ".", "_", "~", "-").`,
    )
  })

  test('a slug is a string, even one whose text would pass', () => {
    expect(refusalOf(() => toolInvokePath(42 as never, 'run')).field).toBe('productSlug')
    expect(refusalOf(() => toolInvokePath('acme', ['run'] as never)).field).toBe('actionSlug')
  })

  test('a slug starts with a letter or digit and goes on with . _ ~ -', () => {
    expect(toolInvokePath('A1.b_c~d-e', '9')).toBe('/external/tools/A1.b_c~d-e/actions/9/invoke')
  })
})

describe('acceptedPathCandidates edge paths', () => {
  test('a path must start with /', () => {
    for (const path of ['external/jobs', '', 42]) {
      const error = refusalOf(() => acceptedPathCandidates(path as string))
      expect(error.field).toBe('path')
      expect(error.shortMessage).toBe(
        'Invalid message field "path": must be a path starting with /.',
      )
    }
  })

  test('the root path keeps its slash; /api/ alone is the root under the prefix', () => {
    expect(acceptedPathCandidates('/')).toEqual(['/', '//', '/api/', '/api//'])
    expect(acceptedPathCandidates('/api/')).toEqual(['/', '//', '/api/', '/api//'])
    expect(canonicalPath('/api/external/jobs/')).toBe('/external/jobs')
  })

  test('only a whole /api/ segment is a prefix', () => {
    expect(canonicalPath('/apis/external/jobs')).toBe('/apis/external/jobs')
    expect(canonicalPath('/api')).toBe('/api')
  })

  test('a path that only resembles a tool invocation keeps its own spelling', () => {
    expect(acceptedPathCandidates('/external/tools/Acme/actions/Run/invoke/extra')).toEqual([
      '/external/tools/Acme/actions/Run/invoke/extra',
      '/external/tools/Acme/actions/Run/invoke/extra/',
      '/api/external/tools/Acme/actions/Run/invoke/extra',
      '/api/external/tools/Acme/actions/Run/invoke/extra/',
    ])
    expect(canonicalPath('/x/external/tools/Acme/actions/Run/invoke')).toBe(
      '/x/external/tools/Acme/actions/Run/invoke',
    )
  })
})
