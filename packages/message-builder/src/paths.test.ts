import { describe, expect, test } from 'vitest'
import { acceptedPathCandidates, canonicalPath, toolInvokePath } from './paths.js'

describe('toolInvokePath', () => {
  test('writes the canonical invoke path', () => {
    expect(toolInvokePath('web-search', 'search')).toBe(
      '/external/tools/web-search/actions/search/invoke',
    )
  })

  test.each([
    ['', 'run'],
    ['a/b', 'run'],
    ['acme', 'run\n'],
    ['acme', '../x'],
  ])('refuses slug %j / %j', (product, action) => {
    expect(() => toolInvokePath(product, action)).toThrowError(
      expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError' }),
    )
  })
})

describe('acceptedPathCandidates', () => {
  test('prefix, trailing slash and slug casing variants, canonical first', () => {
    expect(acceptedPathCandidates('/api/external/tools/Web-Search/actions/Search/invoke/')).toEqual(
      [
        '/external/tools/web-search/actions/search/invoke',
        '/external/tools/web-search/actions/search/invoke/',
        '/api/external/tools/web-search/actions/search/invoke',
        '/api/external/tools/web-search/actions/search/invoke/',
        '/external/tools/Web-Search/actions/Search/invoke',
        '/external/tools/Web-Search/actions/Search/invoke/',
        '/api/external/tools/Web-Search/actions/Search/invoke',
        '/api/external/tools/Web-Search/actions/Search/invoke/',
      ],
    )
  })

  test('a lower-case path has four spellings', () => {
    expect(acceptedPathCandidates('/external/tools/acme/actions/run/invoke')).toHaveLength(4)
  })

  test('every candidate has the same canonical path', () => {
    const candidates = acceptedPathCandidates('/external/tools/Acme/actions/Run/invoke')
    for (const candidate of candidates)
      expect(canonicalPath(candidate)).toBe('/external/tools/acme/actions/run/invoke')
  })

  test('another product or action is not a candidate', () => {
    const candidates = acceptedPathCandidates('/external/tools/acme/actions/run/invoke')
    expect(candidates).not.toContain('/external/tools/acme/actions/walk/invoke')
    expect(candidates).not.toContain('/external/tools/acme2/actions/run/invoke')
  })

  test('other paths get the prefix and slash variants only', () => {
    expect(acceptedPathCandidates('/external/credits/Balance')).toEqual([
      '/external/credits/Balance',
      '/external/credits/Balance/',
      '/api/external/credits/Balance',
      '/api/external/credits/Balance/',
    ])
  })
})

test.each([5, '', 'external/tools'])('acceptedPathCandidates(%j) is a typed error', (path) => {
  expect(() => acceptedPathCandidates(path as never)).toThrowError(
    expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field: 'path' }),
  )
})
