import { quoteAscii } from './ascii.js'
import { bail, recursionLimit } from './bail.js'
import { withoutToJson } from './resolveToJson.js'
import { sortKeys } from './sortKeys.js'

/**
 * Values (scalars and containers) writeSmall writes before it gives up. Past about a kilobyte of
 * text, copying the value with sorted keys and letting native `JSON.stringify` write the copy is
 * faster than concatenating the text here (measured on Node 20), and the budget bounds the work
 * wasted on a large value.
 */
const valueBudget = 64

/** Strings `JSON.stringify` would escape, and surrogates (a lone one is refused). */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/
/** The same, plus every code unit the ASCII form escapes. */
const needsEscapingAscii = /["\\\u0000-\u001f\u007f-\uffff]/

/** Per call: calls share no state (one may run inside another's `toJSON`). */
type Walk = { readonly ascii: boolean; readonly depthLimit: number; valuesLeft: number }

/**
 * The canonical text of a small value, written recursively with string concatenation: the fastest
 * way for payloads of a few hundred bytes, where native `JSON.stringify` has a fixed setup cost.
 * Throws {@link bail} on a large, deep or invalid value.
 */
export function writeSmall(value: unknown, ascii: boolean, maxDepth: number): string {
  const walk: Walk = {
    ascii,
    depthLimit: Math.min(maxDepth, recursionLimit),
    valuesLeft: valueBudget,
  }
  return write(withoutToJson(value), 0, walk)
}

function write(value: unknown, depth: number, walk: Walk): string {
  if (--walk.valuesLeft < 0) throw bail
  switch (typeof value) {
    case 'string':
      return quote(value, walk.ascii)
    case 'number':
      if (Number.isFinite(value)) return String(value)
      throw bail
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      if (depth >= walk.depthLimit) throw bail
      return Array.isArray(value) ? writeArray(value, depth, walk) : writeObject(value, depth, walk)
    default:
      throw bail
  }
}

function writeArray(array: readonly unknown[], depth: number, walk: Walk): string {
  let out = '['
  for (let index = 0; index < array.length; index++) {
    const member = toJsonOf(array[index])
    if (member === undefined) throw bail
    if (index > 0) out += ','
    out += write(member, depth + 1, walk)
  }
  return `${out}]`
}

function writeObject(object: object, depth: number, walk: Walk): string {
  const prototype = Object.getPrototypeOf(object)
  if (prototype !== Object.prototype && prototype !== null) throw bail
  const keys = sortKeys(Object.keys(object))
  let out = ''
  let separator = ''
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const member = toJsonOf((object as Record<string, unknown>)[key])
    if (member === undefined) continue
    out += `${separator}${quoteKey(key, walk.ascii)}:${write(member, depth + 1, walk)}`
    separator = ','
  }
  return `{${out}}`
}

/** {@link withoutToJson} for objects only (a bigint bails anyway): a check per member is hot. */
function toJsonOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? withoutToJson(value) : value
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
  if (needsEscapingAscii.test(key)) return quote(key, ascii)
  if (plainKeys.size < 1024) plainKeys.set(key, `"${key}"`)
  return `"${key}"`
}

function quote(text: string, ascii: boolean): string {
  if (!(ascii ? needsEscapingAscii : needsEscaping).test(text)) return `"${text}"`
  if (!text.isWellFormed()) throw bail
  return ascii ? quoteAscii(text) : JSON.stringify(text)
}
