import { describe, expect, test } from 'vitest'
import { diagnoseCanonicalJson } from './index.js'

const expected = '{"a":"x=1&y=2","b":"caf\u00e9"}'
const mistakes = (actual: string) =>
  diagnoseCanonicalJson({ expected, actual }).findings.map((finding) => finding.mistake)

describe('diagnoseCanonicalJson', () => {
  test('a finding names the language, the encoder, the setting and a line of code', () => {
    const actual = '{"a":"x\\u003d1\\u0026y\\u003d2","b":"café"}'
    const { findings, summary } = diagnoseCanonicalJson({ expected, actual })
    expect(findings).toMatchInlineSnapshot(`
      [
        {
          "code": "Gson gson = new GsonBuilder().disableHtmlEscaping().create();",
          "encoder": "Gson",
          "explanation": "The expected value written with gson-html-escaping (= as \\u003d, & as \\u0026) gives your output.",
          "fix": "Write <, >, &, = and ' as themselves: build Gson with disableHtmlEscaping() (U+2028/U+2029 stay escaped).",
          "language": "Java",
          "mistake": "gson-html-escaping",
          "setting": "GsonBuilder.disableHtmlEscaping()",
        },
      ]
    `)
    expect(summary).toBe(
      'The output looks like Java Gson (gson-html-escaping): GsonBuilder.disableHtmlEscaping().',
    )
  })

  test('encoders that write the same bytes are all named', () => {
    expect(mistakes('{"a":"x=1\\u0026y=2","b":"café"}')).toEqual([
      'go-html-escaping',
      'rails-html-escaping',
    ])
    expect(mistakes('{"a":"x=1\\u0026y=2","b":"caf\\u00E9"}')).toEqual([
      'system-text-json-escaping',
    ])
  })

  test('a simpler way found after a longer one replaces it (shrunk by fast-check)', () => {
    // Gson writes these bytes only with two mistakes (' and U+2028), System.Text.Json with one.
    const diagnosis = diagnoseCanonicalJson({
      expected: '{"\u2028\'":[]}',
      actual: '{"\\u2028\\u0027":[]}',
    })
    expect(diagnosis.findings.map((finding) => finding.mistake)).toContain(
      'system-text-json-escaping',
    )
  })

  test('either canonical form is no finding; other mistakes are named too', () => {
    expect(mistakes(expected)).toEqual([])
    expect(mistakes('{"a":"x=1&y=2","b":"caf\\u00e9"}')).toEqual([])
    expect(mistakes('{"b":"café","a":"x=1&y=2"}')).toEqual(['hash-map-key-order'])
    expect(mistakes('{"a": "x=1&y=2", "b": "caf\\u00e9"}')).toEqual(['whitespace-in-json'])
  })

  test('an output no known way writes, and an expected text that is not JSON', () => {
    expect(diagnoseCanonicalJson({ expected, actual: '{"a":1}' })).toEqual({
      findings: [],
      summary: 'No known encoder default or mistake writes the expected value this way.',
    })
    expect(diagnoseCanonicalJson({ expected: '{', actual: '{}' }).findings).toEqual([])
  })
})
