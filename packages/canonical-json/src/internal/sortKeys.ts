/**
 * Sorts keys in place by UTF-16 code units, as `Array.prototype.sort` without a comparator does
 * (`>` on strings compares code units too). Insertion sort beats the built-in sort on the handful
 * of keys most objects have; larger objects take the built-in sort.
 */
export function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!
    let j = i - 1
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!
      j--
    }
    keys[j + 1] = key
  }
  return keys
}

/** Whether two key lists of the same length are the same keys in the same order. */
export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
