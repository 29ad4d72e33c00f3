import { bail } from './bail.js'

/** The value `JSON.stringify` writes for `value` under `key`: the result of its `toJSON`, if any. */
export function resolveToJson(value: unknown, key: string | number): unknown {
  if (
    (typeof value === 'object' && value !== null) ||
    typeof value === 'bigint' // JSON.stringify honours a BigInt.prototype.toJSON too
  ) {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') return toJSON.call(value, String(key))
  }
  return value
}

/**
 * `value` itself when `JSON.stringify` would write it as it is; throws {@link bail} when it has a
 * `toJSON`. The fast writers leave every `toJSON` to the exact walk, which therefore runs each one
 * once per occurrence, as `JSON.stringify` does, even when a fast writer gives up half-way.
 */
export function withoutToJson(value: unknown): unknown {
  if (
    ((typeof value === 'object' && value !== null) || typeof value === 'bigint') &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    throw bail
  return value
}
