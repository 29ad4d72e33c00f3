import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { diagnoseCanonicalJson, type SignatureMistake } from './index.js'

// Each run is a whole diagnosis (every encoder, both forms, four key orders: about 7 ms), so the
// run count is capped at 500: CI's 5,000 would cost about six CPU-minutes for these properties.
const numRuns = Math.min(Number(process.env.FC_NUM_RUNS ?? 200), 500)

// Each encoder's default string escaping, written here from its documentation (not from
// src/internal/encoders.ts): how it writes one character.
const units = (char: string, upper = false) =>
  [...Array(char.length).keys()]
    .map((at) => char.charCodeAt(at).toString(16).padStart(4, '0'))
    .map((digits) => `\\u${upper ? digits.toUpperCase() : digits}`)
    .join('')
const javaScript = (char: string) => JSON.stringify(char).slice(1, -1)
type Encoder = {
  name: string
  char: (char: string) => string
  /** The mistakes the diagnosis may name this encoder's bytes by. */
  family: readonly SignatureMistake[]
}
const encoders: readonly Encoder[] = [
  {
    // encoding/json: "String values encode as JSON strings coerced to valid UTF-8 ... so that
    // the JSON will be safe to embed inside HTML <script> tags, the string is encoded using
    // HTMLEscape"; U+2028 and U+2029 are escaped too.
    name: 'Go encoding/json (Go 1.22+)',
    char: (char) => ('<>&\u2028\u2029'.includes(char) ? units(char) : javaScript(char)),
    family: ['go-html-escaping', 'line-terminators-escaped'],
  },
  {
    name: 'Go encoding/json (before Go 1.22: \\b and \\f as \\u0008, \\u000c)',
    char: (char) => ('<>&\u2028\u2029\b\f'.includes(char) ? units(char) : javaScript(char)),
    family: ['go-html-escaping', 'line-terminators-escaped', 'go-control-escapes'],
  },
  {
    name: 'Go encoding/json with SetEscapeHTML(false) (Go 1.22+)',
    char: (char) => ('\u2028\u2029'.includes(char) ? units(char) : javaScript(char)),
    family: ['line-terminators-escaped'],
  },
  {
    // json_encode: "/" escaped unless JSON_UNESCAPED_SLASHES, multibyte characters as \uXXXX
    // unless JSON_UNESCAPED_UNICODE.
    name: 'PHP json_encode',
    char: (char) =>
      char === '/' ? '\\/' : (char.codePointAt(0) ?? 0) > 0x7f ? units(char) : javaScript(char),
    family: ['php-escaped-slashes', 'php-escaped-unicode'],
  },
  {
    // Gson: "By default, Gson escapes HTML characters such as < > etc." (<, >, &, =, ').
    name: 'Gson',
    char: (char) => ("<>&='\u2028\u2029".includes(char) ? units(char) : javaScript(char)),
    family: ['gson-html-escaping', 'line-terminators-escaped'],
  },
  {
    // System.Text.Json: "By default, the serializer escapes all non-ASCII characters", and the
    // HTML-sensitive characters; upper-case hex.
    name: 'System.Text.Json',
    char: (char) =>
      char === '\\' || '\b\t\n\f\r'.includes(char)
        ? javaScript(char)
        : /^[\x20-\x7e]$/.test(char) && !`"&'+<>\``.includes(char)
          ? char
          : units(char, true),
    family: ['system-text-json-escaping'],
  },
  {
    // UnsafeRelaxedJsonEscaping: "the quotation mark is encoded as \" rather than \u0022", all
    // ranges allowed; supplementary characters and controls still escaped (upper case).
    name: 'System.Text.Json with UnsafeRelaxedJsonEscaping',
    char: (char) =>
      (char.codePointAt(0) ?? 0) > 0xffff || /^[\x00-\x1f\x7f]$/.test(char)
        ? '\b\t\n\f\r'.includes(char)
          ? javaScript(char)
          : units(char, true)
        : javaScript(char),
    family: ['system-text-json-relaxed-escaping', 'system-text-json-escaping'],
  },
  {
    // JSONEncoder: "/" escaped unless .withoutEscapingSlashes.
    name: "Swift's JSONEncoder",
    char: (char) => (char === '/' ? '\\/' : javaScript(char)),
    family: ['swift-escaped-slashes', 'php-escaped-slashes'],
  },
  {
    // ActiveSupport::JSON: ESCAPED_CHARS, "\u2028", "\u2029", ">", "<", "&".
    name: "Rails' to_json",
    char: (char) => ('<>&\u2028\u2029'.includes(char) ? units(char) : javaScript(char)),
    family: ['rails-html-escaping', 'line-terminators-escaped'],
  },
]

/** Writes sorted, compact JSON with the encoder's string escaping. */
function writeWith(encoder: Encoder, value: unknown): string {
  const quote = (text: string) => `"${[...text].map(encoder.char).join('')}"`
  if (typeof value === 'string') return quote(value)
  if (Array.isArray(value)) return `[${value.map((item) => writeWith(encoder, item)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const members = Object.keys(record)
      .sort()
      .map((key) => `${quote(key)}:${writeWith(encoder, record[key])}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value)
}

const toAscii = (text: string) =>
  text.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** The characters the encoders treat differently, and plain ones. */
const traps = [
  '&',
  '<',
  '>',
  '/',
  '=',
  "'",
  '+',
  '"',
  '\\',
  '`',
  'é',
  '✅',
  '🚀',
  '\u2028',
  '\b',
  '\f',
  '\u007f',
]
const plain = ['a', 'b', 'Z', '0', '-', ' ', '.', ':', '?', '_']
const text = (alphabet: readonly string[]) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((chars) => chars.join(''))
const payloadOf = (alphabet: readonly string[]) => {
  const key = text(alphabet.filter((char) => char !== '🚀')).filter((k) => k !== '__proto__')
  const leaf = text(alphabet)
  return fc.dictionary(
    key,
    fc.oneof(leaf, fc.array(leaf, { maxLength: 2 }), fc.dictionary(key, leaf, { maxKeys: 2 })),
    { minKeys: 1, maxKeys: 4 },
  )
}

describe.concurrent('each encoder default is named from its own bytes', () => {
  for (const encoder of encoders)
    test.prop([payloadOf([...plain, ...traps])], { numRuns })(encoder.name, (payload) => {
      const raw = writeWith({ ...encoder, char: javaScript }, payload)
      const actual = writeWith(encoder, payload)
      const { findings } = diagnoseCanonicalJson({ expected: raw, actual })
      const named = findings.map((finding) => finding.mistake)
      if (actual === raw || actual === toAscii(raw)) expect(named).toEqual([])
      else expect(named.some((mistake) => encoder.family.includes(mistake))).toBe(true)
    })
})

describe.concurrent('honest payloads name no encoder', () => {
  test.prop([payloadOf([...plain, ...traps])], { numRuns })(
    'the raw and ASCII forms of any payload',
    (payload) => {
      const raw = writeWith({ name: 'canonical', char: javaScript, family: [] }, payload)
      for (const actual of [raw, toAscii(raw)])
        expect(diagnoseCanonicalJson({ expected: raw, actual }).findings).toEqual([])
    },
  )

  test.prop([payloadOf(plain)], { numRuns })(
    'without an affected character, every encoder writes a canonical form',
    (payload) => {
      const raw = writeWith({ name: 'canonical', char: javaScript, family: [] }, payload)
      for (const encoder of encoders) {
        const actual = writeWith(encoder, payload)
        expect(actual).toBe(raw)
        expect(diagnoseCanonicalJson({ expected: raw, actual }).findings).toEqual([])
      }
    },
  )
})
