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

  test('with one form asked, the other one is named as the encoder that writes it', () => {
    const asked = (actual: string, form: 'raw' | 'ascii') =>
      diagnoseCanonicalJson({ expected: '{"s":"café"}', actual, form })
    // json_encode without flags writes the ASCII form: right as such, wrong where raw is asked.
    expect(asked('{"s":"caf\\u00e9"}', 'ascii').findings).toEqual([])
    expect(asked('{"s":"caf\\u00e9"}', 'raw').findings.map((finding) => finding.setting)).toEqual([
      'JSON_UNESCAPED_UNICODE',
    ])
    // Go, Gson and Rails escape U+2028 whatever the setting.
    const go = diagnoseCanonicalJson({
      expected: '{"s":"a\u2028b"}',
      actual: '{"s":"a\\u2028b"}',
      form: 'raw',
    })
    expect(go.findings.map((finding) => finding.mistake)).toContain('line-terminators-escaped')
    // The raw form where ASCII is asked (JSON.stringify, ensure_ascii=False): no encoder, said so.
    expect(asked('{"s":"café"}', 'ascii')).toEqual({
      findings: [],
      summary: 'The output is the raw form; the ascii form was asked.',
    })
    expect(asked('{"s":"café"}', 'raw').findings).toEqual([])
  })

  test('an output no known way writes, and an expected text that is not JSON', () => {
    expect(diagnoseCanonicalJson({ expected, actual: '{"a":1}' })).toEqual({
      findings: [],
      summary: 'No known encoder default or mistake writes the expected value this way.',
    })
    expect(diagnoseCanonicalJson({ expected: '{', actual: '{}' }).findings).toEqual([])
  })
})
