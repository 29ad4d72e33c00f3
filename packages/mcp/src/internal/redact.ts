import { redactText } from '@agentpmt-kit/error-recovery'

/** Hides secrets in what leaves the server: result texts, structured results, log lines. */
export type Redactor = {
  text(text: string): string
  /** A JSON copy of `value` with every string (keys too) redacted. */
  value<value>(value: value): value
}

/**
 * A redactor for the given secrets' patterns (jobs-client's `secretPattern`, the rule requests
 * are refused by: a hex secret in any letter case, with or without `0x`), on top of
 * error-recovery's `redactText` (key-shaped `0x` + 64 hex, long signatures).
 */
export function createRedactor(patterns: readonly RegExp[]): Redactor {
  const text = (input: string): string => {
    let output = input
    for (const pattern of patterns) output = output.replace(pattern, '<redacted>')
    return redactText(output)
  }
  const walk = (input: unknown, depth: number): unknown => {
    if (typeof input === 'string') return text(input)
    if (input === null || typeof input !== 'object') return input
    if (depth > 64) return '[nested too deep]'
    if (Array.isArray(input)) return input.map((item) => walk(item, depth + 1))
    return Object.fromEntries(
      Object.entries(input).map(([key, item]) => [text(key), walk(item, depth + 1)]),
    )
  }
  return {
    text,
    value: <value>(input: value): value =>
      walk(JSON.parse(JSON.stringify(input ?? null)), 0) as value,
  }
}
