import type { PathSegment } from '../jsonPath.js'
import { quoteAscii } from './ascii.js'
import { bail, recursionLimit } from './bail.js'
import { sameKeys, sortKeys } from './sortKeys.js'

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
  readonly ascii: boolean
  readonly maxDepth: number
  /** The open containers, by depth: `ancestors[d]` for d below the current depth. */
  readonly ancestors: object[]
  /** Members left before a budgeted walk gives up ({@link bail}), unless a `toJSON` ran. */
  budget: number
  calledToJson: boolean
  /** The last key list seen for each key count, as enumerated and as sorted. */
  readonly keysByCount: ({ enumerated: readonly string[]; sorted: readonly string[] } | undefined)[]
}

/**
 * The canonical text of `value`, written exactly: every refusal thrown as a {@link Refusal}.
 * Recursive up to {@link recursionLimit}, then iterative, so any depth fits in memory.
 *
 * With a `budget`, throws {@link bail} once more than that many members were met, as long as no
 * `toJSON` has run yet (a `toJSON` must run once per occurrence, so past one the walk finishes):
 * small values are fastest here, large ones through the sorted copy and native `JSON.stringify`.
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
    calledToJson: false,
    keysByCount: [],
  }
  return write(resolve(value, '', walk), 0, walk)
}

/** The value `JSON.stringify` writes for `value` under `key`: the result of its `toJSON`, if any. */
function resolve(value: unknown, key: string | number, walk: Walk): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      walk.calledToJson = true
      return toJSON.call(value, String(key))
    }
  }
  return value
}

function write(value: unknown, depth: number, walk: Walk): string {
  switch (typeof value) {
    case 'string':
      return quote(value, walk.ascii, false)
    case 'number':
      if (Number.isFinite(value)) return String(value)
      throw new Refusal('number', value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      return writeContainer(value, depth, walk)
    default:
      throw new Refusal('unsupported', value)
  }
}

function writeContainer(container: object, depth: number, walk: Walk): string {
  const isArray = checkContainer(container, depth, walk)
  if (depth >= recursionLimit) return writeIteratively(container, depth, walk)
  walk.ancestors[depth] = container
  return isArray
    ? writeArray(container as readonly unknown[], depth, walk)
    : writeObject(container as Record<string, unknown>, depth, walk)
}

/** Refuses a container that is not a plain object or an array, too deep, or in a cycle. */
function checkContainer(container: object, depth: number, walk: Walk): boolean {
  const isArray = Array.isArray(container)
  if (!isArray) {
    const prototype = Object.getPrototypeOf(container)
    if (prototype !== Object.prototype && prototype !== null)
      throw new Refusal('unsupported', container)
  }
  // A cycle nests forever, so looking for one at each power-of-two depth finds it in time linear
  // in the depth. Starting at depth 64 keeps the search off the shallow values that real payloads
  // are: a cycle just writes up to 64 levels more before it is found.
  if (depth >= walk.maxDepth || (depth >= 64 && (depth & (depth - 1)) === 0))
    checkDepthAndCycles(container, depth, walk)
  return isArray
}

function spend(walk: Walk, members: number): void {
  walk.budget -= members
  if (walk.budget < 0 && !walk.calledToJson) throw bail
}

function writeArray(array: readonly unknown[], depth: number, walk: Walk): string {
  const length = array.length
  if (length === 0) return '[]'
  // Array members cost less than object members (no key to sort or quote): arrays of numbers
  // stay on this path longer.
  spend(walk, 1 + (length >> 3))
  let out = '['
  let index = 0
  try {
    for (; index < length; index++) {
      if (index > 0) out += ','
      out += write(resolve(array[index], index, walk), depth + 1, walk)
    }
  } catch (error) {
    if (error instanceof Refusal) error.segments.push(index)
    throw error
  }
  return `${out}]`
}

function writeObject(object: Record<string, unknown>, depth: number, walk: Walk): string {
  const enumerated = Object.keys(object)
  spend(walk, enumerated.length)
  const keys = sortedKeys(enumerated, walk)
  let out = '{'
  let i = 0
  try {
    for (; i < keys.length; i++) {
      const key = keys[i]!
      const member = resolve(object[key], key, walk)
      if (member === undefined) continue
      out += `${out.length > 1 ? ',' : ''}${quoteKey(key, walk.ascii)}:${write(member, depth + 1, walk)}`
    }
  } catch (error) {
    if (error instanceof Refusal) error.segments.push(keys[i]!)
    throw error
  }
  return `${out}}`
}

/**
 * Keys sorted by UTF-16 code units. Objects in one array mostly share their keys, so the walk
 * remembers the last key list of each length and reuses its order when the next one is the same
 * (comparing two lists of interned strings costs less than sorting one).
 */
function sortedKeys(keys: string[], walk: Walk): readonly string[] {
  const last = walk.keysByCount[keys.length]
  if (last !== undefined && sameKeys(last.enumerated, keys)) return last.sorted
  const sorted = sortKeys([...keys])
  walk.keysByCount[keys.length] = { enumerated: keys, sorted }
  return sorted
}

/** Strings `JSON.stringify` would escape, and surrogates (a lone one is refused). */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/
/** The same, plus every code unit the ASCII form escapes. */
const needsEscapingAscii = /["\\\u0000-\u001f\u007f-\uffff]/

function quote(text: string, ascii: boolean, isKey: boolean): string {
  if (!(ascii ? needsEscapingAscii : needsEscaping).test(text)) return `"${text}"`
  if (!text.isWellFormed()) throw new Refusal('surrogate', text, isKey)
  return ascii ? quoteAscii(text) : JSON.stringify(text)
}

/**
 * Keys that need no escaping in either form, quoted: payloads of one kind repeat the same few keys
 * on every call, and a lookup is cheaper than testing each key for characters to escape. Bounded,
 * so that keys made from data (ids, names) cannot grow it without end.
 */
const plainKeys = new Map<string, string>()

function quoteKey(key: string, ascii: boolean): string {
  const quoted = plainKeys.get(key)
  if (quoted !== undefined) return quoted
  if (needsEscapingAscii.test(key)) return quote(key, ascii, true)
  if (plainKeys.size < 1024) plainKeys.set(key, `"${key}"`)
  return `"${key}"`
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
  readonly keys: readonly string[] | undefined
  /** Index of the next member to write. */
  next: number
  /** Whether a member was written yet (object members whose value is `undefined` are skipped). */
  written: boolean
}

function frameOf(container: object, walk: Walk): Frame {
  return Array.isArray(container)
    ? { container, keys: undefined, next: 0, written: false }
    : {
        container: container as Record<string, unknown>,
        keys: sortedKeys(Object.keys(container), walk),
        next: 0,
        written: false,
      }
}

/**
 * The walk past {@link recursionLimit}: an explicit stack of frames, so any depth fits in memory.
 * `root` was checked by the caller; its members are at `baseDepth + 1`.
 */
function writeIteratively(root: object, baseDepth: number, walk: Walk): string {
  const frames: Frame[] = [frameOf(root, walk)]
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
        while (frame.next < keys.length) {
          const key = keys[frame.next++]!
          const member = resolve(object[key], key, walk)
          if (member === undefined) continue
          out += `${frame.written ? ',' : ''}${quoteKey(key, walk.ascii)}:`
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
        out += write(value, 0, walk)
        continue
      }
      const depth = baseDepth + frames.length
      checkContainer(value, depth, walk)
      const frame = frameOf(value, walk)
      walk.ancestors[depth] = value
      frames.push(frame)
      out += frame.keys ? '{' : '['
    }
  } catch (error) {
    if (error instanceof Refusal)
      for (let level = frames.length - 1; level >= 0; level--) {
        const { keys, next } = frames[level]!
        error.segments.push(keys ? keys[next - 1]! : next - 1)
      }
    throw error
  }
}
