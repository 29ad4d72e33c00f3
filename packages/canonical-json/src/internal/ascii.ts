/** Every code unit the ASCII form escapes: DEL and everything above U+007E. */
const nonAscii = /[\u007f-\uffff]/

/** Code units escaped per chunk of a long text; each takes at most 6 bytes of `chunkBytes`. */
const chunkUnits = 1 << 16
/** Reused by every call: no user code runs while it is filled, so calls cannot overlap. */
const chunkBytes = new Uint8Array(chunkUnits * 6)
const hexDigits = new Uint8Array([...'0123456789abcdef'].map((digit) => digit.charCodeAt(0)))
const decoder = new TextDecoder()

/**
 * Escapes every code unit outside U+0000..U+007E as `\uXXXX` in lowercase hex (astral characters
 * therefore as surrogate pairs), as Python's `ensure_ascii=True` writes them.
 */
export function escapeNonAscii(text: string): string {
  const first = text.search(nonAscii)
  if (first < 0) return text
  // Bytes written into a buffer and decoded, a chunk at a time: a regular expression with a
  // callback (or a string slice) per escaped character costs more than the text itself when
  // most words are non-ASCII. The output is pure ASCII, so decoding it as UTF-8 is a copy.
  let out = text.slice(0, first)
  for (let start = first; start < text.length; start += chunkUnits)
    out += escapeChunk(text, start, Math.min(start + chunkUnits, text.length))
  return out
}

function escapeChunk(text: string, start: number, end: number): string {
  const bytes = chunkBytes
  let length = 0
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x7f) {
      bytes[length++] = unit
      continue
    }
    bytes[length] = 0x5c // backslash
    bytes[length + 1] = 0x75 // u
    bytes[length + 2] = hexDigits[unit >> 12]!
    bytes[length + 3] = hexDigits[(unit >> 8) & 15]!
    bytes[length + 4] = hexDigits[(unit >> 4) & 15]!
    bytes[length + 5] = hexDigits[unit & 15]!
    length += 6
  }
  return decoder.decode(bytes.subarray(0, length))
}

const hexPairs = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

function unitEscape(unit: number): string {
  return `\\u${hexPairs[unit >> 8]}${hexPairs[unit & 255]}`
}

/** JSON.stringify's escape of each code unit below U+0080 that it escapes (`\n`, `\u001f`). */
const shortEscapes = Array.from({ length: 0x80 }, (_, unit) =>
  JSON.stringify(String.fromCharCode(unit)).slice(1, -1),
)

/**
 * A well-formed string as a JSON string literal in the ASCII form: what `JSON.stringify` writes,
 * with every code unit from U+007F up escaped too. Short strings in one loop with a table of
 * escapes; long ones through native `JSON.stringify` and the byte loop of {@link escapeNonAscii},
 * where a slice per escaped character would cost more than the text.
 */
export function quoteAscii(text: string): string {
  if (text.length > 16) return escapeNonAscii(JSON.stringify(text))
  let out = '"'
  let last = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit >= 0x20 && unit < 0x7f && unit !== 0x22 && unit !== 0x5c) continue
    out += text.slice(last, i) + (unit < 0x7f ? shortEscapes[unit] : unitEscape(unit))
    last = i + 1
  }
  return `${out}${text.slice(last)}"`
}
