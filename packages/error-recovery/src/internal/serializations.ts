import { sha256Hex, toAscii } from '@agentpmt-kit/canonical-json'
import type { EncoderMistake } from '../signatureDiagnosis.js'
import { encode, encoderStyles } from './encoders.js'

/** The ways of writing JSON that clients get wrong; `[]` is the canonical form itself. */
export type SerializationMistake =
  | 'whitespace-in-json'
  | 'unsorted-keys'
  | 'code-point-key-order'
  | 'hash-map-key-order'
  | 'java-hash-map-key-order'
  | 'number-form'
  | EncoderMistake

/** One way of writing a value: the text and the mistakes it stands for. */
export type WrittenText = {
  mistakes: readonly SerializationMistake[]
  text: string
  /** For an encoder's escapes, a few of them as written: `& as \u0026`. */
  shown?: readonly string[] | undefined
}

/** The canonical form asked for: `raw` (non-ASCII as itself) or `ascii`. */
export type CanonicalForm = 'raw' | 'ascii'

/** One way of writing a value: the hash of the text and the mistakes it stands for. */
export type Written = Omit<WrittenText, 'text'> & { hash: string }

type Order = 'utf16' | 'code-point' | 'none' | 'top-level' | 'java-hash-map'
type NumberWriter = (n: number, path: string) => string
type Style = { order: Order; itemSep: string; keySep: string; number: NumberWriter }

const compact = { itemSep: ',', keySep: ':' }
/** Python's `json.dumps(v, sort_keys=True)` without `separators`. */
const pythonSpaces = { itemSep: ', ', keySep: ': ' }
/** Past this many whole numbers, only "all of them" and "each alone" are tried as floats. */
const maxSubsetNumbers = 4
const maxDepth = 64

/** Past this many top-level keys, a hash map's order is not guessed (n! orders). */
const maxPermutedKeys = 5

/** {@link writtenTexts} with the hash of each text. */
export function writings(value: unknown): Written[] {
  return writtenTexts(value).map(({ text, ...written }) => ({ ...written, hash: sha256Hex(text) }))
}

/**
 * Every known way of writing `value` (raw and ASCII forms of each), canonical first and then by
 * growing number of mistakes. A text that two ways share is kept once under the simpler one;
 * when two ways as simple write the same bytes (Go's and Rails' defaults), each is kept. With
 * `form`, only that canonical form is no mistake: the other one is kept only as the encoders
 * that write it by default.
 */
export function writtenTexts(value: unknown, form?: CanonicalForm | undefined): WrittenText[] {
  const js = javaScriptNumber
  const styles: [readonly SerializationMistake[], () => string][] = [
    [[], () => write(value, { order: 'utf16', ...compact, number: js })],
    [['whitespace-in-json'], () => JSON.stringify(reorder(value, 'utf16', 0), null, 2)],
    [['whitespace-in-json'], () => write(value, { order: 'utf16', ...pythonSpaces, number: js })],
    [['code-point-key-order'], () => write(value, { order: 'code-point', ...compact, number: js })],
    [['unsorted-keys'], () => write(value, { order: 'none', ...compact, number: js })],
    [['unsorted-keys'], () => write(value, { order: 'top-level', ...compact, number: js })],
    [
      ['java-hash-map-key-order'],
      () => write(value, { order: 'java-hash-map', ...compact, number: js }),
    ],
    [['whitespace-in-json', 'unsorted-keys'], () => JSON.stringify(value, null, 2)],
    [
      ['whitespace-in-json', 'unsorted-keys'],
      () => write(value, { order: 'none', ...pythonSpaces, number: js }),
    ],
    [
      ['whitespace-in-json', 'code-point-key-order'],
      () => write(value, { order: 'code-point', ...pythonSpaces, number: js }),
    ],
  ]
  for (const number of pythonNumberStyles(value))
    styles.push(
      [['number-form'], () => write(value, { order: 'utf16', ...compact, number })],
      [
        ['number-form', 'code-point-key-order'],
        () => write(value, { order: 'code-point', ...compact, number }),
      ],
      [
        ['number-form', 'whitespace-in-json'],
        () => write(value, { order: 'utf16', ...pythonSpaces, number }),
      ],
      [['number-form', 'unsorted-keys'], () => write(value, { order: 'none', ...compact, number })],
    )
  const byText = new Map<string, WrittenText[]>()
  const keep = (written: WrittenText) => {
    const earlier = byText.get(written.text)
    const size = earlier?.[0]?.mistakes.length
    const simpler =
      earlier === undefined ||
      size === undefined ||
      written.mistakes.length < size ||
      (written.mistakes.length === size &&
        earlier.every(isGuessedOrder) &&
        !isGuessedOrder(written))
    if (simpler) byText.set(written.text, [written])
    // The same bytes as simply written another way name both, unless one is a guessed order.
    else if (
      written.mistakes.length === size &&
      !isGuessedOrder(written) &&
      !earlier.some((known) => known.mistakes.join('+') === written.mistakes.join('+'))
    )
      earlier.push(written)
  }
  // With one form asked, the other is a mistake only as an encoder's default writes it: a way
  // that changes nothing else (keys already in that order) does not explain it.
  let other: string | undefined
  const keepUnlessOther = (written: WrittenText) => {
    if (written.text !== other) keep(written)
  }
  for (const [mistakes, text] of styles) {
    const raw = attempt(text)
    if (raw === undefined) continue
    if (mistakes.length === 0 && form !== undefined) other = form === 'raw' ? toAscii(raw) : raw
    for (const written of [raw, toAscii(raw)]) keepUnlessOther({ mistakes, text: written })
  }
  for (const written of encoderWritings(value, form)) keep(written)
  for (const written of hashMapOrders(value)) keepUnlessOther(written)
  return [...byText.values()].flat()
}

/**
 * A hash map's order matches a few keys in another order by chance: it is named only when no
 * other way of writing as simple gives the same bytes.
 */
function isGuessedOrder(written: WrittenText): boolean {
  return written.mistakes.some(
    (mistake) => mistake === 'hash-map-key-order' || mistake === 'java-hash-map-key-order',
  )
}

const keyOrders: [Order, readonly SerializationMistake[]][] = [
  ['utf16', []],
  ['code-point', ['code-point-key-order']],
  ['none', ['unsorted-keys']],
  ['java-hash-map', ['java-hash-map-key-order']],
]

/**
 * The value as each standard encoder writes it by default (see `encoders.ts`), in each key order.
 * With `form: 'raw'`, an encoder that writes the ASCII form itself (PHP's) is a mistake even
 * where none of its rules changes anything.
 */
function encoderWritings(value: unknown, form: CanonicalForm | undefined): WrittenText[] {
  const found: WrittenText[] = []
  const written = new Set<string>()
  for (const [order, orderMistakes] of keyOrders) {
    const raw = attempt(() => write(value, { order, ...compact, number: javaScriptNumber }))
    // An order that changes nothing would only repeat the sorted writings with one more mistake.
    if (raw === undefined || written.has(raw)) continue
    written.add(raw)
    const ascii = toAscii(raw)
    for (const style of encoderStyles) {
      const bases =
        style.base === 'raw-and-ascii' ? [raw, ascii] : [style.base === 'raw' ? raw : ascii]
      for (const base of bases) {
        const encoded = encode(base, style, form === 'raw' && base === ascii && ascii !== raw)
        if (encoded !== undefined)
          found.push({ ...encoded, mistakes: [...encoded.mistakes, ...orderMistakes] })
      }
    }
  }
  return found
}

/**
 * The top-level keys in every order, as a hash map (Rust's `HashMap`, Java's `HashMap`) iterates
 * them; nested objects sorted (serde_json's `Value` keeps a sorted map).
 */
function hashMapOrders(value: unknown): WrittenText[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return []
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).filter((key) => record[key] !== undefined)
  if (keys.length < 2 || keys.length > maxPermutedKeys) return []
  const members = attempt(() =>
    keys.map(
      (key) =>
        `${JSON.stringify(key)}:${write(record[key], { order: 'utf16', ...compact, number: javaScriptNumber }, 1)}`,
    ),
  )
  if (members === undefined) return []
  return permutations(members.map((_, index) => index)).flatMap((order) => {
    const text = `{${order.map((index) => members[index]).join(',')}}`
    return [text, toAscii(text)].map((form) => ({
      mistakes: ['hash-map-key-order'] as const,
      text: form,
    }))
  })
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, at) =>
    permutations([...items.slice(0, at), ...items.slice(at + 1)]).map((rest) => [item, ...rest]),
  )
}

const javaScriptNumber: NumberWriter = (n) => JSON.stringify(n)

function write(value: unknown, style: Style, depth = 0, path = ''): string {
  if (depth > maxDepth) throw new RangeError('too deep')
  if (typeof value === 'number') return style.number(value, path)
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value)
    if (text === undefined) throw new TypeError('not JSON')
    return text
  }
  if (Array.isArray(value))
    return `[${value.map((item, at) => write(item ?? null, style, depth + 1, `${path}\u0000${at}`)).join(style.itemSep)}]`
  const record = value as Record<string, unknown>
  const keys = orderKeys(Object.keys(record), style.order, depth)
  return `{${keys
    .filter((key) => record[key] !== undefined)
    .map(
      (key) =>
        `${JSON.stringify(key)}${style.keySep}${write(record[key], style, depth + 1, `${path}\u0000${key}`)}`,
    )
    .join(style.itemSep)}}`
}

function reorder(value: unknown, order: Order, depth: number): unknown {
  if (depth > maxDepth) throw new RangeError('too deep')
  if (Array.isArray(value)) return value.map((item) => reorder(item, order, depth + 1))
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  return Object.fromEntries(
    orderKeys(Object.keys(record), order, depth).map((key) => [
      key,
      reorder(record[key], order, depth + 1),
    ]),
  )
}

function orderKeys(keys: string[], order: Order, depth: number): string[] {
  if (order === 'none' || (order === 'top-level' && depth > 0)) return keys
  if (order === 'code-point') return keys.sort(byCodePoint)
  if (order === 'java-hash-map') return javaHashMapOrder(keys)
  return keys.sort()
}

/**
 * The order a `java.util.HashMap` iterates keys put in this order: by bucket (the spread
 * `String.hashCode`, masked by the table size, which doubles past 3/4 full from 16), then in
 * the order they were put. Gson and Jackson write a map in its iteration order.
 */
function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16
  while (keys.length > capacity * 0.75) capacity *= 2
  const bucketOf = (key: string) => {
    let hash = 0
    for (let index = 0; index < key.length; index++)
      hash = (Math.imul(31, hash) + key.charCodeAt(index)) | 0
    return (hash ^ (hash >>> 16)) & (capacity - 1)
  }
  return keys
    .map((key, index) => ({ key, index, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map(({ key }) => key)
}

function byCodePoint(a: string, b: string): number {
  const left = [...a]
  const right = [...b]
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!
    if (difference !== 0) return difference
  }
  return left.length - right.length
}

/**
 * Number writers of a Python client: a float is written by `repr` (`1.0`, `1e+16`, `1e-07`), an
 * int as digits. Which whole numbers were floats is unknown, so subsets of them are tried.
 */
function pythonNumberStyles(value: unknown): NumberWriter[] {
  const numbers: [number, string][] = []
  collectNumbers(value, numbers, 0, '')
  if (numbers.length === 0) return []
  const whole = numbers.filter(([n]) => Number.isInteger(n)).map(([, path]) => path)
  const subsets: ReadonlySet<string>[] =
    whole.length <= maxSubsetNumbers
      ? Array.from(
          { length: 2 ** whole.length },
          (_, mask) => new Set(whole.filter((_, index) => (mask >> index) & 1)),
        )
      : [new Set(), new Set(whole), ...whole.slice(0, 16).map((path) => new Set([path]))]
  return subsets.map(
    (floats) => (n: number, path: string) =>
      Number.isInteger(n) && !floats.has(path) ? JSON.stringify(n) : pythonFloat(n),
  )
}

function collectNumbers(
  value: unknown,
  into: [number, string][],
  depth: number,
  path: string,
): void {
  if (depth > maxDepth) return
  if (typeof value === 'number') into.push([value, path])
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value))
      collectNumbers(item, into, depth + 1, `${path}\u0000${key}`)
}

/** Python's `repr` of a float: shortest digits, exponent when below 1e-4 or from 1e16 on. */
export function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) return JSON.stringify(n)
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const [mantissa = '', exponentText = '0'] = n.toExponential().split('e')
  const exponent = Number(exponentText)
  const digits = mantissa.replace('-', '').replace('.', '')
  const sign = n < 0 ? '-' : ''
  if (exponent < -4 || exponent >= 16) {
    const written = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const magnitude = String(Math.abs(exponent)).padStart(2, '0')
    return `${sign}${written}e${exponent < 0 ? '-' : '+'}${magnitude}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  return `${sign}${integer}.${digits.slice(exponent + 1) || '0'}`
}

function attempt<result>(compute: () => result): result | undefined {
  try {
    return compute()
  } catch {
    return undefined
  }
}
