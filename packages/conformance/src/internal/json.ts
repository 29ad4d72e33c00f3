type JsonRecord = Record<string, unknown>

/** `value` when it is a JSON object (not an array), else `undefined`. */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined
}

/** A Python server writes an absent optional as `null`: read as absent, as the client does. */
export function withoutNulls(value: unknown): unknown {
  const record = asRecord(value)
  if (record === undefined) return value
  const copy: JsonRecord = {}
  for (const [key, member] of Object.entries(record))
    if (member !== null) copy[key] = withoutNulls(member)
  return copy
}

/** How a value is named in a report: `nothing`, `an array`, or its `typeof`. */
export function typeOf(value: unknown): string {
  return value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : typeof value
}

/** Text on one line, at most 160 characters. */
export function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 160 ? `${line.slice(0, 159)}…` : line
}

/** `text` parsed as JSON, or `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
