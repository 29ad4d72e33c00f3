import type { DialectAnswer, JsonObject } from './types.js'

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A success answer with an object body, the only answers shape dialects rewrite. */
export function successBody(answer: DialectAnswer): JsonObject | undefined {
  if (answer.text !== undefined || answer.status < 200 || answer.status >= 300) return undefined
  return isObject(answer.body) ? answer.body : undefined
}

/** An error answer's body (`error_code` at the top), or undefined. */
export function errorBody(answer: DialectAnswer): JsonObject | undefined {
  if (answer.text !== undefined || answer.status < 400 || !isObject(answer.body)) return undefined
  return typeof answer.body.error_code === 'string' ? answer.body : undefined
}

/** The same answer with another body. */
export function withBody(answer: DialectAnswer, body: unknown): DialectAnswer {
  return { ...answer, body }
}

/** Only the keys of `value` that are present, in `keys`' order. */
export function pick(value: JsonObject, keys: readonly string[]): JsonObject {
  const picked: JsonObject = {}
  for (const key of keys) if (key in value) picked[key] = value[key]
  return picked
}

/**
 * Copies `value` deeply, calling `visit` on every object (after its members were copied) with
 * its key path; `visit` returns the object to put in its place.
 */
export function mapObjects(
  value: unknown,
  visit: (object: JsonObject, path: readonly string[]) => JsonObject,
  path: readonly string[] = [],
): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => mapObjects(item, visit, [...path, String(index)]))
  if (!isObject(value)) return value
  const copy: JsonObject = {}
  for (const [key, member] of Object.entries(value))
    copy[key] = mapObjects(member, visit, [...path, key])
  return visit(copy, path)
}

/** Replaces `key` by `nextKey` with `nextValue`, keeping the object's key order. */
export function renameKey(
  object: JsonObject,
  key: string,
  nextKey: string,
  nextValue: unknown,
): JsonObject {
  const renamed: JsonObject = {}
  for (const [name, member] of Object.entries(object)) {
    if (name === key) renamed[nextKey] = nextValue
    else if (name !== nextKey) renamed[name] = member
  }
  return renamed
}

/**
 * JSON text with every integer written as a float (`10.0`, `0.0`, `-3.0`), as Python writes a
 * `float`; other numbers as `JSON.stringify` writes them. `JSON.stringify` cannot do this: it
 * has no hook that returns raw text for a number.
 */
export function floatJson(value: unknown): string {
  if (typeof value === 'number') {
    const text = JSON.stringify(value)
    return Number.isInteger(value) && /^-?\d+$/.test(text) ? `${text}.0` : text
  }
  if (Array.isArray(value)) return `[${value.map((item) => floatJson(item ?? null)).join(',')}]`
  if (isObject(value)) {
    const members: string[] = []
    for (const [key, member] of Object.entries(value))
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${floatJson(member)}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}
