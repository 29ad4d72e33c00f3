const longHexPattern = /(?<![0-9a-fA-F])(?:0x)?[0-9a-fA-F]{128,}(?![0-9a-fA-F])/g
const secretPattern = /0x[0-9a-fA-F]{64}(?![0-9a-fA-F])/g

/**
 * Shortens every run of 128 hex characters or more, with or without `0x` (a signature, compact
 * or not, or a key run into other bytes), to its first and last four bytes, and hides every
 * `0x` + 64 hex string (the shape of a private key), so that neither can reach a log line
 * through an error message, even when a server echoes what it was sent. A bare 64-hex string is
 * kept: it is the shape of every payload hash.
 *
 * @example
 * ```ts
 * import { redactText } from '@agentpmt-kit/error-recovery'
 *
 * redactText(`key 0x${'ab'.repeat(32)}`) // 'key 0x<redacted 32 bytes>'
 * ```
 */
export function redactText(text: string): string {
  return text
    .replace(
      longHexPattern,
      (hex) => `${hex.slice(0, hex.startsWith('0x') ? 10 : 8)}…${hex.slice(-8)}`,
    )
    .replace(secretPattern, '0x<redacted 32 bytes>')
}

/** {@link redactText} applied to every string of a JSON value, keys included. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 64) return '[nested too deep]'
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1))
  // fromEntries defines properties, so a "__proto__" key from a hostile body stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [redactText(key), redactValue(item, depth + 1)]),
  )
}
