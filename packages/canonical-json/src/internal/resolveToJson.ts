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
