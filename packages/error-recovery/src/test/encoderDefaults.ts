// The standard JSON encoders' defaults, written here from their documentation and sources (Go
// encoding/json encodeState.string, PHP php_json_escape_string, Gson JsonWriter's
// HTML_SAFE_REPLACEMENT_CHARS, .NET's default JavaScriptEncoder allow list, ActiveSupport's
// ESCAPED_CHARS, java.util.HashMap's iteration), never from src/internal/encoders.ts: the oracle
// of the diagnosis' property test and of the conformance report's encoder hints.

import type { SignatureMistake } from '../index.js'

/** One encoder configuration: how it writes a string's characters, and its objects. */
export type EncoderDefault = {
  name: string
  /** How the encoder writes one character (a code point) of a string. */
  char: (char: string) => string
  /** The order it writes an object's keys in, given them sorted; sorted when omitted. */
  order?: ((sorted: readonly string[], depth: number) => string[]) | undefined
  /** PHP writes an empty array, so an empty object built as `[]`, as `[]`. */
  emptyObject?: string | undefined
  /** Go's `json.Encoder.Encode` ends its text with `\n`. */
  trailingNewline?: boolean | undefined
  /**
   * The mistakes that name this encoder: the diagnosis of a text it wrote that is not canonical
   * names at least one, and every mistake it names is in this list for some encoder that writes
   * that very text (Go's and Rails' defaults write the same bytes for `&`: both are named).
   */
  names: readonly SignatureMistake[]
}

/** `\uXXXX` of each UTF-16 code unit of a character (a surrogate pair for an astral one). */
const units = (char: string, upper = false): string =>
  [...Array(char.length).keys()]
    .map((at) => char.charCodeAt(at).toString(16).padStart(4, '0'))
    .map((digits) => `\\u${upper ? digits.toUpperCase() : digits}`)
    .join('')

/** A character as JavaScript's JSON.stringify writes it: the raw canonical form. */
const javaScript = (char: string): string => JSON.stringify(char).slice(1, -1)

const shortEscapes = '\b\t\n\f\r'
const isControl = (char: string) => /^[\x00-\x1f\x7f]$/.test(char)
const above = (char: string, code: number) => (char.codePointAt(0) ?? 0) > code

/** Go encoding/json: "<", ">", "&" as \u003c..., U+2028 and U+2029 always; \b, \f before 1.22. */
const go =
  (escapeHtml: boolean, before122 = false) =>
  (char: string): string =>
    (escapeHtml && '<>&'.includes(char)) ||
    '\u2028\u2029'.includes(char) ||
    (before122 && '\b\f'.includes(char))
      ? units(char)
      : javaScript(char)

type PhpFlags = 'JSON_UNESCAPED_UNICODE' | 'JSON_UNESCAPED_SLASHES' | undefined

/**
 * PHP json_encode: "/" as "\/" unless JSON_UNESCAPED_SLASHES; above U+007F as \uXXXX unless
 * JSON_UNESCAPED_UNICODE, which still escapes U+2028 and U+2029 (JSON_UNESCAPED_LINE_TERMINATORS).
 */
const php =
  (flags: PhpFlags) =>
  (char: string): string =>
    char === '/' && flags !== 'JSON_UNESCAPED_SLASHES'
      ? '\\/'
      : (flags === 'JSON_UNESCAPED_UNICODE' ? '\u2028\u2029'.includes(char) : above(char, 0x7f))
        ? units(char)
        : javaScript(char)

/**
 * Keys in the order a java.util.HashMap iterates them, put in the order a JavaScript object of
 * the sorted keys enumerates them (integer-like keys first): within a bucket, the order of
 * insertion shows.
 */
function javaHashMap(sorted: readonly string[]): string[] {
  const inserted = Object.keys(Object.fromEntries(sorted.map((key) => [key, true])))
  // 16 buckets, doubled while more than three quarters full; String.hashCode spread by h ^ h>>>16;
  // within a bucket, the order of insertion.
  const buckets = 2 ** Math.max(4, Math.ceil(Math.log2(sorted.length / 0.75)))
  const hashCode = (key: string) =>
    [...Array(key.length).keys()].reduce((h, at) => (h * 31 + key.charCodeAt(at)) | 0, 0)
  const bucket = (key: string) => {
    const h = hashCode(key)
    return ((h ^ (h >>> 16)) >>> 0) % buckets
  }
  const byBucket = new Map<number, string[]>()
  for (const key of inserted) byBucket.set(bucket(key), [...(byBucket.get(bucket(key)) ?? []), key])
  return [...byBucket.entries()].sort(([a], [b]) => a - b).flatMap(([, keys]) => keys)
}

const lineTerminators = 'line-terminators-escaped'
// A hash map's order that is the one JavaScript enumerates the parsed keys in (integer-like keys
// first) reads as unsorted keys.
const unsorted = 'unsorted-keys'

/** Each encoder default the diagnosis knows, and the configurations one step away from it. */
export const encoderDefaults: readonly EncoderDefault[] = [
  {
    name: 'Go encoding/json json.Marshal (Go 1.22+)',
    char: go(true),
    names: ['go-html-escaping', lineTerminators],
  },
  {
    name: 'Go encoding/json json.Encoder.Encode (a trailing newline)',
    char: go(true),
    trailingNewline: true,
    names: ['go-encoder-newline', 'go-html-escaping', lineTerminators],
  },
  {
    name: 'Go encoding/json before Go 1.22 (\\b and \\f as \\u0008, \\u000c)',
    char: go(true, true),
    names: ['go-control-escapes', 'go-html-escaping', lineTerminators],
  },
  {
    name: 'Go encoding/json with SetEscapeHTML(false)',
    char: go(false),
    names: [lineTerminators],
  },
  // PHP, with objects built as stdClass, and as arrays (an empty one written `[]`).
  ...[undefined, '[]'].flatMap((emptyObject) => {
    const arrays = emptyObject === undefined ? '' : ' of arrays'
    const emptyArray = emptyObject === undefined ? [] : (['php-empty-array'] as const)
    const configurations: [PhpFlags, readonly SignatureMistake[]][] = [
      [undefined, ['php-escaped-unicode', 'php-escaped-slashes']],
      ['JSON_UNESCAPED_UNICODE', ['php-escaped-slashes', lineTerminators]],
      ['JSON_UNESCAPED_SLASHES', ['php-escaped-unicode']],
    ]
    return configurations.map(
      ([flags, names]): EncoderDefault => ({
        name: `PHP json_encode${arrays} ${flags ?? 'without flags'}`,
        char: php(flags),
        emptyObject,
        names: [...emptyArray, ...names],
      }),
    )
  }),
  {
    // "By default, Gson escapes HTML characters such as < > etc.": < > & = ' (and U+2028/U+2029).
    name: 'Java Gson, the default',
    char: (char) => ("<>&='\u2028\u2029".includes(char) ? units(char) : javaScript(char)),
    names: ['gson-html-escaping', lineTerminators],
  },
  {
    // "By default, the serializer escapes all non-ASCII characters" and the HTML-sensitive ones
    // (" & ' + < > `), in upper-case hex; \\ and the short escapes stay.
    name: 'C# System.Text.Json, the default',
    char: (char) =>
      char === '\\' || shortEscapes.includes(char)
        ? javaScript(char)
        : /^[\x20-\x7e]$/.test(char) && !`"&'+<>\``.includes(char)
          ? char
          : units(char, true),
    names: ['system-text-json-escaping'],
  },
  {
    // UnsafeRelaxedJsonEscaping: " as \", every range allowed, but characters above U+FFFF,
    // controls and the global block list (U+2028, U+2029 among them) still escaped, upper case.
    name: 'C# System.Text.Json with UnsafeRelaxedJsonEscaping',
    char: (char) =>
      (isControl(char) && !shortEscapes.includes(char)) ||
      above(char, 0xffff) ||
      '\u2028\u2029'.includes(char)
        ? units(char, true)
        : javaScript(char),
    names: ['system-text-json-relaxed-escaping'],
  },
  {
    // ActiveSupport::JSON::Encoding ESCAPED_CHARS: < > & U+2028 U+2029.
    name: 'Ruby on Rails to_json',
    char: (char) => ('<>&\u2028\u2029'.includes(char) ? units(char) : javaScript(char)),
    names: ['rails-html-escaping', lineTerminators],
  },
  {
    // JSONEncoder: "/" as "\/" unless .withoutEscapingSlashes.
    name: 'Swift JSONEncoder with .sortedKeys',
    char: (char) => (char === '/' ? '\\/' : javaScript(char)),
    names: ['swift-escaped-slashes'],
  },
  {
    name: 'Java Jackson with java.util.HashMap at every level',
    char: javaScript,
    order: javaHashMap,
    names: ['java-hash-map-key-order', unsorted],
  },
  {
    // A HashMap iterates in an order of its own: here the sorted keys moved round by one. Where
    // that is java.util.HashMap's order too, the diagnosis names that one (the same fix).
    name: 'Rust serde_json with a HashMap at the top',
    char: javaScript,
    order: (sorted, depth) =>
      depth === 0 ? [...sorted.slice(1), ...sorted.slice(0, 1)] : [...sorted],
    names: ['hash-map-key-order', 'java-hash-map-key-order', unsorted],
  },
]

/** The canonical writer: JavaScript's escaping, sorted keys. */
export const canonicalWriter: EncoderDefault = { name: 'canonical', char: javaScript, names: [] }

/** A character outside U+0020..U+007E as `\uXXXX` (lower case), as an ASCII form writes it. */
const toAsciiChar = (char: string) => (/^[\x20-\x7e]$/.test(char) ? char : units(char))

/**
 * The value written with `encoder`, keys sorted (or in its order), compact; with `ascii`, every
 * character its strings keep outside U+0020..U+007E then escaped (an ASCII form made of its output).
 */
export function writeWith(encoder: EncoderDefault, value: unknown, ascii = false): string {
  const text = write(encoder, value, ascii, 0)
  return encoder.trailingNewline ? `${text}\n` : text
}

function write(encoder: EncoderDefault, value: unknown, ascii: boolean, depth: number): string {
  const quote = (text: string) => {
    const written = [...text].map(encoder.char).join('')
    return `"${ascii ? [...written].map(toAsciiChar).join('') : written}"`
  }
  if (typeof value === 'string') return quote(value)
  if (Array.isArray(value))
    return `[${value.map((item) => write(encoder, item, ascii, depth + 1)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const sorted = Object.keys(record).sort()
    if (sorted.length === 0) return encoder.emptyObject ?? '{}'
    const keys = encoder.order?.(sorted, depth) ?? sorted
    const members = keys.map(
      (key) => `${quote(key)}:${write(encoder, record[key], ascii, depth + 1)}`,
    )
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value)
}
