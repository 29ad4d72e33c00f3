import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { canonicalize } from './canonicalize.js'

// The RFC 8785 reference test data (cyberphone/json-canonicalization, Apache-2.0), copied
// unchanged into test/rfc8785: see the README there.
const folder = new URL('../test/rfc8785/', import.meta.url)
const names = readdirSync(new URL('input/', folder)).filter((name) => name.endsWith('.json'))

describe('RFC 8785 test data', () => {
  test('every input has its expected output', () => {
    expect(names.sort()).toEqual([
      'arrays.json',
      'french.json',
      'structures.json',
      'unicode.json',
      'values.json',
      'weird.json',
    ])
    expect(readdirSync(new URL('output/', folder)).sort()).toEqual(names)
  })

  test.each(names)('%s: the raw form is byte-identical to the expected output', (name) => {
    const input = readFileSync(new URL(`input/${name}`, folder), 'utf8')
    const expected = readFileSync(new URL(`output/${name}`, folder))
    const raw = canonicalize(JSON.parse(input))
    expect(Buffer.from(raw, 'utf8').equals(expected)).toBe(true)
    expect(raw).toBe(expected.toString('utf8'))
  })
})
