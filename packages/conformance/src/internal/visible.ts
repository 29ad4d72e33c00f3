import { canonicalize } from '@agentpmt-kit/canonical-json'

/**
 * Characters a terminal shows as nothing or as something else: controls, format characters
 * (zero-width, BOM, bidi), separators other than the plain space (U+00A0, U+2028, U+2029),
 * combining marks (NFC against NFD), private-use and unassigned code points.
 */
const invisible = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}\p{M}]/gu

/** A character as `\uXXXX` escapes, one per UTF-16 code unit; the plain space as itself. */
function escaped(char: string): string {
  if (char === ' ') return char
  let text = ''
  for (let index = 0; index < char.length; index++)
    text += `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`
  return text
}

/**
 * A value as one line of JSON (object keys sorted, so two values line up) with every invisible
 * character written as `\uXXXX`; a string stays quoted, so trailing spaces show before the quote.
 */
export function visible(value: unknown): string {
  if (value === undefined) return '(nothing)'
  let text: string
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : canonicalize(value)
  } catch {
    text = JSON.stringify(value) ?? String(value)
  }
  return markInvisible(text)
}

/** `text` with every invisible character written as `\uXXXX` (the plain space stays). */
export function markInvisible(text: string): string {
  return text.replace(invisible, escaped)
}

/**
 * Two visible texts cut to `width` characters around their first difference, marked `…` where
 * cut, so that a long message or body shows the place that differs.
 */
export function contrast(left: string, right: string, width = 72): [string, string] {
  if (left.length <= width && right.length <= width) return [left, right]
  let first = 0
  while (first < left.length && left[first] === right[first]) first++
  let start = Math.max(0, first - Math.floor(width / 3))
  // Never cut inside an escape such as \u2028: start at its backslash.
  const backslash = left.lastIndexOf('\\', start)
  if (backslash !== -1 && start - backslash < 6) start = backslash
  const cut = (text: string): string =>
    `${start > 0 ? '…' : ''}${text.slice(start, start + width)}${text.length > start + width ? '…' : ''}`
  return [cut(left), cut(right)]
}
