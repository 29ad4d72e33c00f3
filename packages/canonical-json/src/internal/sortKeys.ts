import { CacheGate } from './cacheGate.js'

/**
 * Sorts keys in place by UTF-16 code units, as `Array.prototype.sort` without a comparator does
 * (`>` on strings compares code units too). Insertion sort beats the built-in sort on the handful
 * of keys most objects have; larger objects take the built-in sort.
 */
function sortKeys(keys: string[]): string[] {
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

/** A key list as enumerated and sorted, with what the writers learned about its keys. */
export type SortedKeys = {
  /** The keys as enumerated, for a list kept in the cache; `undefined` for a list that is not. */
  readonly enumerated: readonly string[] | undefined
  readonly sorted: readonly string[]
  /**
   * For a list kept in the cache: each key quoted with its colon (`"id":`), filled by the exact
   * walk as it writes them, where a key needs no escaping (so in either form).
   */
  readonly prefixes: (string | undefined)[] | undefined
  /** Whether a copy can hold the keys in sorted order (see `sortedCopy`), once it was asked. */
  copyable: boolean | undefined
}

/**
 * The last key list seen with each first key, shared by every call: payloads of one kind have the
 * same keys on every call, and objects in one array mostly share theirs. Lists of up to 64 keys
 * only, and at most 1,024 of them, so that keys made from data cannot grow it without end; and
 * only while it hits ({@link keyListGate}): keys that are data (nearly all distinct) would pay a
 * lookup, a copy and a stored entry for every object and find nothing.
 * Entries never change but for what they learn (the same in every call), so a call inside
 * another's `toJSON` is safe.
 */
let keyLists = new Map<string | undefined, SortedKeys>()
const keyListGate = new CacheGate()

/**
 * Keys sorted by UTF-16 code units, with what the writers learned about them. `keys` is the
 * caller's own array (from `Object.keys`): sorted in place when the cache is closed. A list seen
 * before is reused: comparing two lists of interned strings costs less than sorting one.
 */
export function sortedKeys(keys: string[]): SortedKeys {
  if (keyListGate.open) {
    const last = keyLists.get(keys[0])
    const enumerated = last?.enumerated
    if (enumerated?.length === keys.length) {
      let same = 0
      while (same < keys.length && enumerated[same] === keys[same]) same++
      if (same === keys.length) {
        keyListGate.hit()
        return last!
      }
    }
  } else if (keyLists.size > 0) keyLists = new Map() // not clear(): see CacheGate
  keyListGate.miss()
  if (!keyListGate.open || keys.length > 64)
    return {
      enumerated: undefined,
      sorted: sortKeys(keys),
      prefixes: undefined,
      copyable: undefined,
    }
  const entry = { enumerated: keys, sorted: sortKeys([...keys]), prefixes: [], copyable: undefined }
  if (keyLists.size === 1024) keyLists = new Map()
  keyLists.set(keys[0], entry)
  return entry
}

/**
 * Whether an object with these keys can be copied with its keys inserted in sorted order: not
 * with an array index among them (see {@link isArrayIndex}), an own `__proto__` or a lone
 * surrogate.
 */
export function copyable(keys: SortedKeys): boolean {
  keys.copyable ??= keys.sorted.every(
    (key) => !isArrayIndex(key) && key !== '__proto__' && key.isWellFormed(),
  )
  return keys.copyable
}

/**
 * Keys such as "2" or "10": every engine enumerates them first, in numeric order, whatever the
 * order they were inserted in, so a copy cannot hold them sorted as text ("10" before "2").
 */
export function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0)
  if (!(first >= 0x30 && first <= 0x39)) return false
  const index = Number(key)
  return index >>> 0 === index && index !== 0xffffffff && String(index) === key
}
