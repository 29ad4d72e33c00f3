import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { diagnoseCanonicalJson } from './index.js'
import {
  canonicalWriter,
  type EncoderDefault,
  encoderDefaults,
  writeWith,
} from './test/encoderDefaults.js'

// Each run is a whole diagnosis (every encoder, both forms, four key orders: about 7 ms), so the
// run count is capped at 500: CI's 5,000 would cost about six CPU-minutes for these properties.
const numRuns = Math.min(Number(process.env.FC_NUM_RUNS ?? 200), 500)

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

/** Every encoder (its own output, or that output made ASCII) that writes `actual`. */
const writersOf = (payload: unknown, actual: string): EncoderDefault[] =>
  encoderDefaults.filter(
    (encoder) =>
      writeWith(encoder, payload) === actual || writeWith(encoder, payload, true) === actual,
  )

describe.concurrent('each encoder default is named from its own bytes', () => {
  for (const encoder of encoderDefaults)
    test.prop([payloadOf([...plain, ...traps])], { numRuns })(encoder.name, (payload) => {
      const raw = writeWith(canonicalWriter, payload)
      const ascii = writeWith(canonicalWriter, payload, true)
      const actual = writeWith(encoder, payload)
      const diagnose = (form?: 'raw') =>
        diagnoseCanonicalJson({ expected: raw, actual, form }).findings.map(
          (finding) => finding.mistake,
        )
      if (actual === raw) return void expect(diagnose('raw')).toEqual([])
      // The ASCII form is canonical, unless the raw form was asked (a conformance `raw` field).
      if (actual === ascii) expect(diagnose()).toEqual([])
      const named = diagnose(actual === ascii ? 'raw' : undefined)
      // The encoder is named...
      expect(named.filter((mistake) => encoder.names.includes(mistake))).not.toEqual([])
      // ...and nothing is blamed on an encoder that does not write these bytes.
      const writers = writersOf(payload, actual)
      for (const mistake of named)
        expect(
          writers.some((writer) => writer.names.includes(mistake)),
          `${mistake} names none of ${writers.map((writer) => writer.name).join(', ')}`,
        ).toBe(true)
    })
})

describe.concurrent('honest payloads name no encoder', () => {
  test.prop([payloadOf([...plain, ...traps])], { numRuns })(
    'the raw and ASCII forms of any payload',
    (payload) => {
      const raw = writeWith(canonicalWriter, payload)
      const ascii = writeWith(canonicalWriter, payload, true)
      for (const actual of [raw, ascii])
        expect(diagnoseCanonicalJson({ expected: raw, actual }).findings).toEqual([])
      expect(diagnoseCanonicalJson({ expected: raw, actual: raw, form: 'raw' }).findings).toEqual(
        [],
      )
      // The raw form where the ASCII one is asked: said so. Only PHP's default writes it, where
      // U+007F (which it keeps raw) is the one character beyond ASCII.
      const rawForAscii = diagnoseCanonicalJson({ expected: raw, actual: raw, form: 'ascii' })
      const php = /^[\x20-\x7f]*$/.test(raw) && raw.includes('\x7f')
      expect(rawForAscii.findings.map((finding) => finding.mistake)).toEqual(
        php ? ['php-escaped-unicode'] : [],
      )
      if (raw !== ascii && !php)
        expect(rawForAscii.summary).toBe('The output is the raw form; the ascii form was asked.')
    },
  )

  test.prop([payloadOf(plain)], { numRuns })(
    'without an affected character, every escaping default writes a canonical form',
    (payload) => {
      const raw = writeWith(canonicalWriter, payload)
      for (const encoder of encoderDefaults.filter(writesEveryKeyInOrder)) {
        const actual = writeWith(encoder, payload)
        expect(actual).toBe(raw)
        expect(diagnoseCanonicalJson({ expected: raw, actual }).findings).toEqual([])
      }
    },
  )
})

/** An encoder whose only defaults are escapes: no key order of its own, no newline, no `[]`. */
function writesEveryKeyInOrder(encoder: EncoderDefault): boolean {
  return !encoder.order && !encoder.trailingNewline && encoder.emptyObject === undefined
}
