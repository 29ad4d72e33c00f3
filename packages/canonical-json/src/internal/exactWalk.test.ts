import { describe, expect, test } from 'vitest'
import { canonicalize, LoneSurrogateError, toAscii } from '../canonicalize.js'
import { bail, recursionLimit } from './bail.js'
import { exactWalk, Refusal } from './exactWalk.js'

const thrownBy = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('exactWalk', () => {
  test('writes a small payload, raw and ascii', () => {
    const payload = { b: 'très "vrai"\n', a: [1, true, null] }
    expect(exactWalk(payload, false)).toBe('{"a":[1,true,null],"b":"très \\"vrai\\"\\n"}')
    expect(exactWalk(payload, true)).toBe('{"a":[1,true,null],"b":"tr\\u00e8s \\"vrai\\"\\n"}')
  })

  test('on a budget, gives up on a large value unless a toJSON ran', () => {
    const large = Array.from({ length: 200 }, (_, index) => ({ index }))
    const text = large.map(({ index }) => `{"index":${index}}`).join(',')
    expect(thrownBy(() => exactWalk(large, false, 10, 64))).toBe(bail)
    expect(exactWalk([{ toJSON: () => 1 }, large], false, 10, 64)).toBe(`[1,[${text}]]`)
    // An array member costs an eighth of an object member: 200 numbers fit in the budget.
    expect(exactWalk([large.map(({ index }) => index)], false, 10, 64)).toMatch(/^\[\[0,1,/)
  })

  test('past its budget, a walk that must finish writes the rest raw and escapes it at the end', () => {
    // Non-ASCII keys and strings, JSON escapes and astral characters, before and far past the
    // budget (64; each record costs 17, so 2,500 go well past rawPast); the toJSON at the start
    // makes the walk finish.
    const records = Array.from({ length: 2500 }, (_, index) => ({
      [`clé ${index}`]: `"x"\n😀 ${index} é\u007f`,
      [`b${index}`]: [index, 'ж'],
    }))
    const raw = canonicalize([{ toJSON: () => 'é' }, records])
    expect(raw).toBe(
      `["é",[${records.map((_, i) => `{"b${i}":[${i},"ж"],"clé ${i}":"\\"x\\"\\n😀 ${i} é\u007f"}`).join(',')}]]`,
    )
    const ascii = exactWalk([{ toJSON: () => 'é' }, records], true, 10, 64)
    expect(ascii).toBe(toAscii(raw))
    expect(ascii).toMatch(/^\["\\u00e9",\[\{"b0":\[0,"\\u0436"\],"cl\\u00e9 0":/)
    // A lone surrogate after the budget ran out is still refused, with its path.
    records.push({ ok: 'é', 'z\ud800': [1, 'ж'] })
    const refusal = thrownBy(() => exactWalk([{ toJSON: () => 'é' }, records], true, 10, 64))
    expect(refusal).toBeInstanceOf(Refusal)
    expect((refusal as Refusal).segments).toEqual(['z\ud800', 2500, 1])
  })

  test('refusals carry the path, innermost segment first', () => {
    const refusal = thrownBy(() => exactWalk({ a: [0, { b: Number.NaN }] }, false))
    expect(refusal).toBeInstanceOf(Refusal)
    expect((refusal as Refusal).segments).toEqual(['b', 1, 'a'])
  })

  test('past the recursion limit, the explicit stack writes the same text and paths', () => {
    let value: unknown = ['\ud800']
    for (let level = 0; level < recursionLimit + 10; level++) value = { [`k${level % 3}`]: value }
    const error = thrownBy(() => canonicalize(value))
    expect(error).toBeInstanceOf(LoneSurrogateError)
    expect((error as LoneSurrogateError).pathSegments).toHaveLength(recursionLimit + 11)
    expect((error as LoneSurrogateError).pathSegments.at(-1)).toBe(0)
    let valid: unknown = 'é'
    let expected = '"é"'
    for (let level = 0; level < recursionLimit + 10; level++) {
      valid = { b: [valid], a: level }
      expected = `{"a":${level},"b":[${expected}]}`
    }
    expect(exactWalk(valid, false)).toBe(expected)
    expect(exactWalk(valid, true)).toBe(expected.replace('é', '\\u00e9'))
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
