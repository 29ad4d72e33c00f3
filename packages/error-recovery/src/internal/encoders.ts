/**
 * The standard JSON encoders' defaults, as rules over the canonical text: each rule rewrites one
 * token of a string literal (a raw character or an escape such as `\b`) the way that encoder
 * writes it. The rules come from the encoders' documentation and sources, not from hashes.
 */

import type { EncoderMistake } from '../signatureDiagnosis.js'

/**
 * How one token of a string literal is written instead, and the mistake that writes it so:
 * `raw` is a regex class of the raw characters the rule may rewrite, `pattern` tells the tokens
 * it does rewrite (raw characters, or escapes such as `\b`).
 */
type Rule = {
  mistake: EncoderMistake
  raw: string
  pattern: RegExp
  write: (token: string) => string
}

/** One encoder configuration: the form it starts from and its rules, applied in order. */
export type EncoderStyle = {
  /**
   * The canonical form the rules apply to: `ascii` for an encoder that escapes every non-ASCII
   * character itself (PHP's default), `raw-and-ascii` for one whose output may then be turned
   * into the ASCII form (what is not ASCII escaped afterwards).
   */
  base: 'raw' | 'ascii' | 'raw-and-ascii'
  rules: readonly Rule[]
  /**
   * For an `ascii` base: the mistake its escaping of every non-ASCII character is where the raw
   * form is asked (PHP's `json_encode` without JSON_UNESCAPED_UNICODE).
   */
  asciiBase?: EncoderMistake
  /** PHP writes an empty array for an empty object built as `[]`. */
  emptyObjectAsArray?: boolean
  /** Go's `json.Encoder.Encode` ends the text with `\n`. */
  trailingNewline?: boolean
}

/** What an encoder style wrote: the text and the mistakes whose rules changed something. */
export type EncodedText = {
  text: string
  mistakes: readonly EncoderMistake[]
  /** A few of the changes, for the explanation: `& as \u0026`. */
  shown: readonly string[]
}

const hex = (unit: number, upper: boolean) => {
  const digits = unit.toString(16).padStart(4, '0')
  return `\\u${upper ? digits.toUpperCase() : digits}`
}

/** `\uXXXX` of each UTF-16 code unit of a character (a surrogate pair for an astral one). */
function unicodeEscape(char: string, upper = false): string {
  let text = ''
  for (let index = 0; index < char.length; index++) text += hex(char.charCodeAt(index), upper)
  return text
}

const rule = (
  mistake: EncoderMistake,
  raw: string,
  pattern: RegExp,
  write: (token: string) => string = (token) => unicodeEscape(token),
): Rule => ({ mistake, raw, pattern, write })
const upperEscape = (token: string) =>
  token.startsWith('\\u') ? `\\u${token.slice(2).toUpperCase()}` : unicodeEscape(token, true)

/** Escape sequences start with `\`: a raw-character pattern never matches one. */
const goHtml = rule('go-html-escaping', '[<>&]', /^[<>&]$/)
const goControls = rule('go-control-escapes', '(?!)', /^\\[bf]$/, (token) =>
  token === '\\b' ? '\\u0008' : '\\u000c',
)
const lineTerminators = rule('line-terminators-escaped', '[\u2028\u2029]', /^[\u2028\u2029]$/)
const phpSlashes = rule('php-escaped-slashes', '\\/', /^\/$/, () => '\\/')
/** PHP escapes every character above U+007F, so U+007F stays raw where the ASCII form escapes it. */
const phpDelete = rule('php-escaped-unicode', '(?!)', /^\\u007f$/, () => '\u007f')
const swiftSlashes = rule('swift-escaped-slashes', '\\/', /^\/$/, () => '\\/')
const gsonHtml = rule('gson-html-escaping', "[<>&=']", /^[<>&=']$/)
const railsHtml = rule('rails-html-escaping', '[<>&]', /^[<>&]$/)
/**
 * System.Text.Json's default encoder: only U+0020..U+007E pass, minus `"&'+<>\``; `\`, `\b`,
 * `\f`, `\n`, `\r`, `\t` keep their short escapes; the rest is `\uXXXX` in upper case.
 */
const systemTextJson = rule(
  'system-text-json-escaping',
  "[^\\x20-\\x7e\\\\]|[&'+<>`]",
  /^(?:[^\x20-\x7e\\]|[&'+<>`]|\\"|\\u00[0-9a-f]{2})$/u,
  (token) => (token === '\\"' ? '\\u0022' : upperEscape(token)),
)
/**
 * `JavaScriptEncoder.UnsafeRelaxedJsonEscaping` still escapes controls (U+007F included) and
 * every character above U+FFFF, in upper case; whether the global block list also takes format
 * characters and U+2028/U+2029 varies, so both are tried.
 */
const relaxed = rule(
  'system-text-json-relaxed-escaping',
  '[\\x7f\\u{10000}-\\u{10ffff}]',
  /^(?:[\x7f\u{10000}-\u{10ffff}]|\\u00[0-9a-f]{2})$/u,
  upperEscape,
)
const relaxedBlockList = rule(
  'system-text-json-relaxed-escaping',
  '[\\x7f\\u{10000}-\\u{10ffff}\\p{Cf}\\p{Zl}\\p{Zp}]',
  /^(?:[\x7f\u{10000}-\u{10ffff}\p{Cf}\p{Zl}\p{Zp}]|\\u00[0-9a-f]{2})$/u,
  upperEscape,
)

const asciiBase = 'php-escaped-unicode'

/**
 * Each encoder's default configuration and the settings one step away from it, so that a hash
 * is explained whichever of its defaults were turned off.
 */
export const encoderStyles: readonly EncoderStyle[] = [
  // Go encoding/json: Marshal, and Encoder.Encode (a trailing newline); before Go 1.22 also
  // \b and \f as \u0008 and \u000c; SetEscapeHTML(false) leaves U+2028/U+2029 escaped.
  ...[true, false].flatMap((trailingNewline) =>
    [
      [goHtml, lineTerminators, goControls],
      [goHtml, lineTerminators],
      [lineTerminators, goControls],
      [lineTerminators],
    ].map((rules): EncoderStyle => ({ base: 'raw-and-ascii', rules, trailingNewline })),
  ),
  // PHP json_encode: by default `/` as `\/` and every character above U+007F escaped;
  // JSON_UNESCAPED_UNICODE alone leaves U+2028/U+2029 escaped.
  ...[false, true].flatMap((emptyObjectAsArray) => [
    { base: 'ascii', rules: [phpSlashes, phpDelete], asciiBase, emptyObjectAsArray } as const,
    { base: 'raw-and-ascii', rules: [phpSlashes, lineTerminators], emptyObjectAsArray } as const,
    { base: 'ascii', rules: [phpDelete], asciiBase, emptyObjectAsArray } as const,
  ]),
  // Gson: HTML-safe by default; U+2028/U+2029 escaped either way.
  { base: 'raw-and-ascii', rules: [gsonHtml, lineTerminators] },
  // Ruby on Rails' to_json (ActiveSupport): <, >, & and U+2028/U+2029.
  { base: 'raw-and-ascii', rules: [railsHtml, lineTerminators] },
  // Swift's JSONEncoder: `/` as `\/` unless .withoutEscapingSlashes.
  { base: 'raw', rules: [swiftSlashes] },
  // System.Text.Json: the default encoder, and UnsafeRelaxedJsonEscaping.
  { base: 'raw', rules: [systemTextJson] },
  { base: 'raw', rules: [relaxed] },
  { base: 'raw', rules: [relaxedBlockList] },
]

/** How many of the changes an explanation shows. */
const maxShown = 4
/** A string literal of JSON text. */
const literal = /"(?:[^"\\]|\\.)*"/g
/** Per style: its tokens, every escape sequence and the raw characters one of its rules takes. */
const tokensOf = new WeakMap<EncoderStyle, RegExp>()

function tokens(style: EncoderStyle): RegExp {
  let found = tokensOf.get(style)
  if (found === undefined) {
    const raw = style.rules.map((item) => item.raw).join('|')
    found = new RegExp(`\\\\(?:u[0-9a-fA-F]{4}|[^u])|${raw}`, 'gu')
    tokensOf.set(style, found)
  }
  return found
}

/**
 * Writes canonical JSON text (`raw` form, or `ascii` for a style whose base is ASCII) as the
 * style's encoder does; `undefined` when no rule changes anything, so the text is the canonical
 * one. With `asciiIsMistake` (the raw form was asked), the style's `asciiBase` mistake counts.
 */
export function encode(
  canonical: string,
  style: EncoderStyle,
  asciiIsMistake = false,
): EncodedText | undefined {
  const fired = new Set<EncoderMistake>()
  if (asciiIsMistake && style.asciiBase !== undefined) fired.add(style.asciiBase)
  const shown = new Set<string>()
  const rewrite = (content: string) =>
    content.replace(tokens(style), (original) => {
      let written = original
      for (const { mistake, pattern, write } of style.rules)
        if (pattern.test(written)) {
          const next = write(written)
          if (next !== written) {
            fired.add(mistake)
            if (shown.size < maxShown) shown.add(`${display(original)} as ${next}`)
          }
          written = next
        }
      return written
    })
  let text = ''
  let last = 0
  for (const match of canonical.matchAll(literal)) {
    text += outside(canonical.slice(last, match.index), style, fired)
    text += `"${rewrite(match[0].slice(1, -1))}"`
    last = match.index + match[0].length
  }
  text += outside(canonical.slice(last), style, fired)
  if (style.trailingNewline) {
    text += '\n'
    fired.add('go-encoder-newline')
  }
  if (fired.size === 0) return undefined
  return { text, mistakes: [...fired], shown: [...shown] }
}

function outside(text: string, style: EncoderStyle, fired: Set<EncoderMistake>): string {
  if (!style.emptyObjectAsArray || !text.includes('{}')) return text
  fired.add('php-empty-array')
  return text.replaceAll('{}', '[]')
}

function display(token: string): string {
  if (token.startsWith('\\')) return token
  const code = token.codePointAt(0) ?? 0
  return code >= 0x20 && code < 0x7f
    ? token
    : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}
