import { bail } from './bail.js'

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
