import type { PathSegment } from '../jsonPath.js'
import { escapeNonAscii, quoteAscii } from './ascii.js'
import { bail, recursionLimit } from './bail.js'
import { CacheGate } from './cacheGate.js'
import { repeatsAncestor } from './repeatsAncestor.js'
import { isArrayIndex, type SortedKeys, sortedKeys } from './sortKeys.js'

/**
 * A value the walk refuses, before its path is known: each container on the way out adds its key
 * or index (`segments`, innermost first), and `canonicalize` turns it into the public error. The
 * walk itself then never pays for tracking a path.
 */
export class Refusal {
  readonly segments: PathSegment[] = []
  constructor(
    readonly kind: 'number' | 'unsupported' | 'surrogate' | 'cycle' | 'depth',
    readonly value: unknown,
    readonly isKey = false,
    /** For a cycle: how many segments lead to the repeated container, and to its ancestor. */
    readonly pathLength = 0,
    readonly ancestorLength = 0,
  ) {}
}

/** Per call: calls share no state (one may run inside another's `toJSON`). */
type Walk = {
  /** Whether strings are written in the ASCII form; a large value turns it off ({@link spend}). */
  ascii: boolean
  readonly maxDepth: number
  /** The open containers, by depth: `ancestors[d]` for d below the current depth. */
  readonly ancestors: object[]
  /** Budget left (see {@link exactWalk}) before the walk gives up ({@link bail}). */
  budget: number
  /** Whether the walk must finish: a `toJSON` ran, or keys were met that the copy cannot hold. */
  finish: boolean
}

/**
 * The canonical text of `value`, written exactly: every refusal thrown as a {@link Refusal}.
 * Recursive up to {@link recursionLimit}, then iterative, so any depth fits in memory.
 *
 * With a `budget`, throws {@link bail} once it is spent, or foreseen to be: an object costs 1, an
 * array an eighth of its length (nothing when native `JSON.stringify` writes it), a string that
 * needs native escaping 16. Not once a `toJSON` has run (a `toJSON` must run once per occurrence,
 * so past one the walk finishes), nor after array-index keys (the sorted copy cannot hold them):
 * values of up to some hundred kilobytes are fastest here (native `JSON.stringify` of the copy
 * has a fixed cost and copies every string), larger ones through the sorted copy (the walk's many
 * small strings then cost more in garbage collection than one native pass).
 */
export function exactWalk(
  value: unknown,
  ascii: boolean,
  maxDepth: number = Number.POSITIVE_INFINITY,
  budget: number = Number.POSITIVE_INFINITY,
): string {
  const walk: Walk = {
    ascii,
    maxDepth,
    ancestors: [],
    budget,
    finish: false,
  }
  // `undefined` at the top, as in an array, is refused by writeScalar.
  const text = writeMember(value, '', 0, walk) ?? writeScalar(undefined, walk)
  return ascii && !walk.ascii ? escapeNonAscii(text) : text
}

/** The value `JSON.stringify` writes for `value` under `key`: the result of its `toJSON`, if any. */
function resolve(value: unknown, key: string | number, walk: Walk): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      walk.finish = true
      return toJSON.call(value, String(key))
    }
  }
  return value
}

/**
 * The text of a member under `key`, `toJSON` applied; `undefined` when it resolves to `undefined`
 * (an object leaves it out, an array or the top refuses it). A container costs two stack frames
 * a level: this and its writer.
 */
function writeMember(
  value: unknown,
  key: string | number,
  depth: number,
  walk: Walk,
): string | undefined {
  // Strings and numbers, most members, without a further call.
  if (typeof value === 'string') return quote(value, walk, false)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  const resolved = resolve(value, key, walk)
  if (typeof resolved !== 'object' || resolved === null)
    return resolved === undefined ? undefined : writeScalar(resolved, walk)
  const isArray = checkContainer(resolved, depth, walk)
  if (depth >= recursionLimit) return writeIteratively(resolved, depth, walk)
  walk.ancestors[depth] = resolved
  return isArray
    ? writeArray(resolved as readonly unknown[], depth, walk)
    : writeObject(resolved as Record<string, unknown>, depth, walk)
}

/** Any value but an object or an array. */
function writeScalar(value: unknown, walk: Walk): string {
  if (typeof value === 'string') return quote(value, walk, false)
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value)
    throw new Refusal('number', value)
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value === null) return 'null'
  throw new Refusal('unsupported', value)
}

/** Refuses a container that is not a plain object or an array, too deep, or in a cycle. */
function checkContainer(container: object, depth: number, walk: Walk): boolean {
  const isArray = Array.isArray(container)
  if (!isArray) {
    const prototype = Object.getPrototypeOf(container)
    if (prototype !== Object.prototype && prototype !== null)
      throw new Refusal('unsupported', container)
  }
  // One comparison a level finds a cycle on the way down; the full search then names its first
  // repeat, whatever the depth it was caught at.
  if (depth >= walk.maxDepth || repeatsAncestor(container, depth, walk.ancestors))
    checkDepthAndCycles(container, depth, walk)
  return isArray
}

function spend(walk: Walk, members: number): void {
  walk.budget -= members
  if (walk.budget < 0 && !walk.finish) throw bail
  // A large value the walk must finish: the rest is written raw and the whole text escaped in one
  // pass at the end, cheaper than escaping each string (what was written is ASCII already).
  if (walk.budget < rawPast) walk.ascii = false
}

/**
 * How far past its budget a walk that must finish writes strings in the ASCII form. Past that (a
 * value of some hundred kilobytes, foreseen at an array's look-ahead), escaping each string costs
 * more than one pass over the text: unique escaped keys ~1 MB 1.9x raw escaped string by string,
 * 1.1x in one pass; at ~50 KB, one pass was 16 % slower.
 */
const rawPast = -32_768

/**
 * Array members written before the walk looks ahead: if the rest, costing what these did, would
 * overrun the budget, it gives up then, so that a large array of records goes to the sorted copy
 * after a few records, not after most of the budget was spent on them.
 */
const sampled = 8

function writeArray(array: readonly unknown[], depth: number, walk: Walk): string {
  const length = array.length
  if (length === 0) return '[]'
  if (length >= nativeArrayLength) {
    const scalars = scalarsOf(array)
    if (scalars !== undefined) {
      const text = JSON.stringify(scalars)
      return walk.ascii ? escapeNonAscii(text) : text
    }
  }
  spend(walk, length >> 3)
  const budget = walk.budget
  let out = '['
  let index = 0
  try {
    for (; index < length; index++) {
      if (index === sampled) {
        const foreseen = ((budget - walk.budget) * (length - sampled)) / sampled
        spend(walk, foreseen)
        walk.budget += foreseen
      }
      const member =
        writeMember(array[index], index, depth + 1, walk) ?? writeScalar(undefined, walk)
      if (index > 0) out += ','
      out += member
    }
  } catch (error) {
    if (error instanceof Refusal) error.segments.push(index)
    throw error
  }
  return `${out}]`
}

/**
 * Arrays at least this long whose members are all strings, numbers, booleans or null go to native
 * `JSON.stringify`, which writes into one buffer: a string per member concatenated in JavaScript
 * costs more in allocation and garbage collection, once there are more than a few members.
 */
const nativeArrayLength = 8

/**
 * A plain copy of an array of valid scalars (each member read once, as the walk would), or
 * `undefined` if a member is anything else: a container, a non-finite number, a lone surrogate.
 */
function scalarsOf(array: readonly unknown[]): unknown[] | undefined {
  // Allocated at the first scalar: most arrays that are not all scalars fail at their first member.
  let copy: unknown[] | undefined
  for (let index = 0; index < array.length; index++) {
    const member = array[index]
    if (
      typeof member === 'string'
        ? !member.isWellFormed()
        : typeof member === 'number'
          ? !Number.isFinite(member)
          : typeof member !== 'boolean' && member !== null
    )
      return undefined
    copy ??= new Array<unknown>(array.length)
    copy[index] = member
  }
  return copy
}

function writeObject(object: Record<string, unknown>, depth: number, walk: Walk): string {
  spend(walk, 1)
  const enumerated = Object.keys(object)
  // Array-index keys, which every engine lists first: the sorted copy could not hold them sorted
  // and would give up, so this walk finishes.
  if (!walk.finish && isArrayIndex(enumerated[0] ?? '')) walk.finish = true
  const sorted = sortedKeys(enumerated)
  const keys = sorted.sorted
  let out = '{'
  let i = 0
  try {
    for (; i < keys.length; i++) {
      const key = keys[i]!
      const member = writeMember(object[key], key, depth + 1, walk)
      if (member === undefined) continue
      // One concatenation each: a template of the three makes a string more per member.
      if (out.length > 1) out += ','
      out += sorted.prefixes?.[i] ?? prefix(sorted, i, walk)
      out += member
    }
  } catch (error) {
    if (error instanceof Refusal) error.segments.push(keys[i]!)
    throw error
  }
  return `${out}}`
}

/**
 * Key `i` quoted with its colon, remembered with the key list if the list is cached. A key that
 * needs escaping is quoted each time it is written, so that its refusal (a lone surrogate) comes
 * in the members' order.
 */
function prefix(keys: SortedKeys, i: number, walk: Walk): string {
  const key = keys.sorted[i]!
  let quoted: string | undefined
  if (plainKeyGate.open) quoted = plainKeys.get(key)
  else if (plainKeys.size > 0) plainKeys = new Map() // not clear(): see CacheGate
  if (quoted !== undefined) plainKeyGate.hit()
  else {
    plainKeyGate.miss()
    // Quoted for this form alone when it needs escaping, or when neither cache would keep it
    // (then without the test for both forms).
    if ((!plainKeyGate.open && keys.prefixes === undefined) || needsEscapingAscii.test(key))
      return `${quote(key, walk, true)}:`
    quoted = `"${key}":`
    if (plainKeyGate.open && plainKeys.size < 1024) plainKeys.set(key, quoted)
  }
  if (keys.prefixes !== undefined) keys.prefixes[i] = quoted
  return quoted
}

/**
 * Keys that need no escaping in either form, quoted with their colon, for key lists met for the
 * first time (objects whose keys are data, such as ids, or the same keys in other lists). Bounded,
 * so that such keys cannot grow it without end, and read only while it hits ({@link CacheGate}).
 */
let plainKeys = new Map<string, string>()
const plainKeyGate = new CacheGate()

/** Strings `JSON.stringify` would escape, and surrogates (a lone one is refused). */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/
/** What `JSON.stringify` escapes in a well-formed string. */
const jsonEscapes = /["\\\u0000-\u001f]/
/** The same, plus every code unit the ASCII form escapes. */
const needsEscapingAscii = /["\\\u0000-\u001f\u007f-\uffff]/

/**
 * Budget a string costs when it has JSON escapes: a native call each, and many of them make native
 * `JSON.stringify` of a copy faster.
 */
const nativeEscapeCost = 16

function quote(text: string, walk: Walk, isKey: boolean): string {
  const ascii = walk.ascii
  if (!(ascii ? needsEscapingAscii : needsEscaping).test(text)) return `"${text}"`
  if (!text.isWellFormed()) throw new Refusal('surrogate', text, isKey)
  if (!ascii) {
    // One native call, escapes or not (surrogate pairs only): cheaper than a scan to tell.
    const json = JSON.stringify(text)
    if (json.length > text.length + 2) walk.budget -= nativeEscapeCost
    return json
  }
  if (jsonEscapes.test(text)) {
    walk.budget -= nativeEscapeCost
    return quoteAscii(text)
  }
  // Only non-ASCII characters: nothing for native escaping to do, so no copy of the text.
  return text.length > 16 ? `"${escapeNonAscii(text)}"` : quoteAscii(text)
}

function checkDepthAndCycles(container: object, depth: number, walk: Walk): void {
  const seen = new Map<object, number>()
  for (let level = 0; level <= depth; level++) {
    const open = level === depth ? container : walk.ancestors[level]!
    const ancestor = seen.get(open)
    if (ancestor !== undefined) throw new Refusal('cycle', open, false, level, ancestor)
    seen.set(open, level)
  }
  if (depth >= walk.maxDepth) throw new Refusal('depth', walk.maxDepth)
}

/** A container being written: an array (no `keys`) or a plain object with its sorted keys. */
type Frame = {
  readonly container: Record<string, unknown> | readonly unknown[]
  readonly keys: SortedKeys | undefined
  /** Index of the next member to write. */
  next: number
  /** Whether a member was written yet (object members whose value is `undefined` are skipped). */
  written: boolean
}

function frameOf(container: object): Frame {
  return Array.isArray(container)
    ? { container, keys: undefined, next: 0, written: false }
    : {
        container: container as Record<string, unknown>,
        keys: sortedKeys(Object.keys(container)),
        next: 0,
        written: false,
      }
}

/**
 * The walk past {@link recursionLimit}: an explicit stack of frames, so any depth fits in memory.
 * `root` was checked by the caller; its members are at `baseDepth + 1`.
 */
function writeIteratively(root: object, baseDepth: number, walk: Walk): string {
  const frames: Frame[] = [frameOf(root)]
  walk.ancestors[baseDepth] = root
  let out = frames[0]!.keys ? '{' : '['
  try {
    for (;;) {
      // Find the next value to write, closing every container that has no members left.
      let value: unknown
      for (;;) {
        const frame = frames[frames.length - 1]
        if (frame === undefined) return out
        const { container, keys } = frame
        if (keys === undefined) {
          const array = container as readonly unknown[]
          if (frame.next < array.length) {
            const index = frame.next++
            if (index > 0) out += ','
            value = resolve(array[index], index, walk)
            break
          }
          out += ']'
          frames.pop()
          continue
        }
        const object = container as Record<string, unknown>
        let found = false
        while (frame.next < keys.sorted.length) {
          const i = frame.next++
          const key = keys.sorted[i]!
          const member = resolve(object[key], key, walk)
          if (member === undefined) continue
          out += `${frame.written ? ',' : ''}${keys.prefixes?.[i] ?? prefix(keys, i, walk)}`
          frame.written = true
          value = member
          found = true
          break
        }
        if (found) break
        out += '}'
        frames.pop()
      }
      // Write `value`: a scalar completely, a container's opening bracket.
      if (typeof value !== 'object' || value === null) {
        out += writeScalar(value, walk)
        continue
      }
      const depth = baseDepth + frames.length
      checkContainer(value, depth, walk)
      const frame = frameOf(value)
      walk.ancestors[depth] = value
      frames.push(frame)
      out += frame.keys ? '{' : '['
    }
  } catch (error) {
    if (error instanceof Refusal)
      for (let level = frames.length - 1; level >= 0; level--) {
        const { keys, next } = frames[level]!
        error.segments.push(keys ? keys.sorted[next - 1]! : next - 1)
      }
    throw error
  }
}
