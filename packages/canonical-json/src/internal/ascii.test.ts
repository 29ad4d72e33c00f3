import { describe, expect, test } from 'vitest'
import { escapeNonAscii, quoteAscii } from './ascii.js'

/** The ASCII form by another route: a regular expression, one callback per code unit. */
const expected = (text: string) =>
  text.replace(
    /[\u007f-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

describe('escapeNonAscii', () => {
  test('ASCII text comes back as it is', () => {
    const text = 'plain "ascii" text, ~ included'
    expect(escapeNonAscii(text)).toBe(text)
  })

  test('lowercase hex, astral characters as surrogate pairs, DEL escaped', () => {
    expect(escapeNonAscii('é😀\u007f\uffff')).toBe('\\u00e9\\ud83d\\ude00\\u007f\\uffff')
  })

  test('texts longer than one chunk, with escapes across the chunk boundaries', () => {
    const words = ['café ', '東京 ', 'ascii ', '😀', '\u0080', 'Straße ']
    let text = ''
    for (let i = 0; text.length < 300_000; i++) text += words[i % words.length]
    expect(escapeNonAscii(text)).toBe(expected(text))
    expect(escapeNonAscii(`${'a'.repeat(65_535)}é${'b'.repeat(70_000)}`)).toBe(
      `${'a'.repeat(65_535)}\\u00e9${'b'.repeat(70_000)}`,
    )
  })
})

describe('quoteAscii', () => {
  test('JSON.stringify, then every code unit from U+007F up escaped', () => {
    for (const text of ['', 'plain', 'très "vrai"\n', '\b\f\n\r\t\u0000\u001f\\', '東京😀\u2028'])
      expect(quoteAscii(text)).toBe(expected(JSON.stringify(text)))
  })

  test('every code unit, in a short text (the table) and a long one (native), lone surrogates too', () => {
    const padding = 'p'.repeat(16)
    for (let unit = 0; unit <= 0xffff; unit++) {
      // One expect per failing text: 131,072 passing expects would cost more than the loop.
      for (const text of [String.fromCharCode(unit), padding + String.fromCharCode(unit)]) {
        const wanted = expected(JSON.stringify(text))
        if (quoteAscii(text) !== wanted) expect(quoteAscii(text)).toBe(wanted)
      }
    }
  })
})
