import { bail, recursionLimit } from './bail.js'
import { repeatsAncestor } from './repeatsAncestor.js'
import { copyable, sortedKeys } from './sortKeys.js'
import { withoutToJson } from './withoutToJson.js'

/**
 * A copy of a valid JSON value without `toJSON` methods, with every object's keys inserted in
 * sorted order, so that native `JSON.stringify` of the copy writes the canonical raw text.
 * For large values this beats writing the text in JavaScript: the engine writes into one buffer
 * instead of building and flattening a rope of a million characters.
 *
 * Checks what the exact walk checks and throws {@link bail} on anything else, including keys a
 * copy cannot order (array indexes, `__proto__`), nesting past the recursion limit and cycles
 * (found on the way down, before a cycle through a large array is copied level after level).
 */
export function sortedCopy(value: unknown, maxDepth: number): unknown {
  return copy(withoutToJson(value), 0, {
    depthLimit: Math.min(maxDepth, recursionLimit),
    ancestors: [],
  })
}

/** Per call: a getter may call `canonicalize` again while a copy is made. */
type Copying = {
  readonly depthLimit: number
  /** The containers being copied, by depth. */
  readonly ancestors: object[]
}

function copy(value: unknown, depth: number, copying: Copying): unknown {
  switch (typeof value) {
    case 'string':
      if (value.isWellFormed()) return value
      throw bail
    case 'number':
      if (Number.isFinite(value)) return value
      throw bail
    case 'boolean':
      return value
    case 'object':
      if (value === null) return null
      if (depth >= copying.depthLimit || repeatsAncestor(value, depth, copying.ancestors))
        throw bail
      copying.ancestors[depth] = value
      return Array.isArray(value)
        ? copyArray(value, depth, copying)
        : copyObject(value, depth, copying)
    default:
      throw bail
  }
}

function copyArray(array: readonly unknown[], depth: number, copying: Copying): unknown[] {
  const result = new Array<unknown>(array.length)
  for (let index = 0; index < array.length; index++) {
    const member = withoutToJson(array[index])
    if (member === undefined) throw bail
    result[index] = copy(member, depth + 1, copying)
  }
  return result
}

function copyObject(object: object, depth: number, copying: Copying): Record<string, unknown> {
  const prototype = Object.getPrototypeOf(object)
  if (prototype !== Object.prototype && prototype !== null) throw bail
  const result: Record<string, unknown> = {}
  const keys = sortedKeys(Object.keys(object))
  if (!copyable(keys)) throw bail
  for (const key of keys.sorted) {
    const member = withoutToJson((object as Record<string, unknown>)[key])
    if (member !== undefined) result[key] = copy(member, depth + 1, copying)
  }
  return result
}
