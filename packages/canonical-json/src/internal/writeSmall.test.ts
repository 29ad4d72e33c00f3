import { describe, expect, test } from 'vitest'
import { canonicalize } from '../canonicalize.js'
import { bail } from './bail.js'
import { writeSmall } from './writeSmall.js'

describe('writeSmall', () => {
  test('writes a small payload, raw and ascii', () => {
    const payload = { b: 'très "vrai"\n', a: [1, true, null] }
    expect(writeSmall(payload, false, 10)).toBe('{"a":[1,true,null],"b":"très \\"vrai\\"\\n"}')
    expect(writeSmall(payload, true, 10)).toBe('{"a":[1,true,null],"b":"tr\\u00e8s \\"vrai\\"\\n"}')
  })

  test('gives up on a value past its budget, and on what it does not handle', () => {
    const thrownBy = (run: () => unknown): unknown => {
      try {
        run()
      } catch (error) {
        return error
      }
      return undefined
    }
    expect(
      thrownBy(() =>
        writeSmall(
          Array.from({ length: 200 }, () => 0),
          false,
          10,
        ),
      ),
    ).toBe(bail)
    expect(thrownBy(() => writeSmall({ a: [Number.NaN] }, false, 10))).toBe(bail)
    expect(thrownBy(() => writeSmall([[1]], false, 1))).toBe(bail)
    expect(thrownBy(() => writeSmall('\ud800', true, 10))).toBe(bail)
  })

  test('a key that needs escaping is escaped in each form, whatever was cached', () => {
    // "plain" (U+0070) sorts before "é" (U+00E9).
    for (let round = 0; round < 3; round++) {
      expect(canonicalize({ 'é"': 1, plain: 2 })).toBe('{"plain":2,"é\\"":1}')
      expect(canonicalize({ 'é"': 1, plain: 2 }, { ascii: true })).toBe(
        '{"plain":2,"\\u00e9\\"":1}',
      )
    }
  })

  test('a toJSON that calls canonicalize in the other form does not disturb the outer call', () => {
    const inner = { toJSON: () => canonicalize({ é: 'é' }, { ascii: true }) }
    expect(canonicalize({ inner, text: 'é' })).toBe(
      '{"inner":"{\\"\\\\u00e9\\":\\"\\\\u00e9\\"}","text":"é"}',
    )
  })
})
