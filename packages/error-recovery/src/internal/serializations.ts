import { sha256Hex, toAscii } from '@agentpmt-kit/canonical-json'

/** The ways of writing JSON that clients get wrong; `[]` is the canonical form itself. */
export type SerializationMistake =
  | 'whitespace-in-json'
  | 'unsorted-keys'
  | 'code-point-key-order'
  | 'number-form'
  | 'html-characters-escaped'

/** One way of writing a value: the text hashed and the mistakes it stands for. */
export type Written = { mistakes: readonly SerializationMistake[]; hash: string }

type Order = 'utf16' | 'code-point' | 'none' | 'top-level'
type NumberWriter = (n: number, path: string) => string
type Style = { order: Order; itemSep: string; keySep: string; number: NumberWriter }

const compact = { itemSep: ',', keySep: ':' }
/** Python's `json.dumps(v, sort_keys=True)` without `separators`. */
const pythonSpaces = { itemSep: ', ', keySep: ': ' }
/** Past this many whole numbers, only "all of them" and "each alone" are tried as floats. */
const maxSubsetNumbers = 4
const maxDepth = 64

/**
 * Every known way of writing `value` (raw and ASCII forms of each), canonical first and then by
 * growing number of mistakes; a text that two ways share is kept once, under the simpler one.
 */
export function writings(value: unknown): Written[] {
  const js: NumberWriter = (n) => JSON.stringify(n)
  const styles: [readonly SerializationMistake[], () => string][] = [
    [[], () => write(value, { order: 'utf16', ...compact, number: js })],
    [['whitespace-in-json'], () => JSON.stringify(reorder(value, 'utf16', 0), null, 2)],
    [['whitespace-in-json'], () => write(value, { order: 'utf16', ...pythonSpaces, number: js })],
    [['code-point-key-order'], () => write(value, { order: 'code-point', ...compact, number: js })],
    [['unsorted-keys'], () => write(value, { order: 'none', ...compact, number: js })],
    [['unsorted-keys'], () => write(value, { order: 'top-level', ...compact, number: js })],
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
  // Go's encoding/json by default: <, > and & as \u003c, \u003e, \u0026 (and U+2028, U+2029).
  styles.push([
    ['html-characters-escaped'],
    () => goEscaped(write(value, { order: 'utf16', ...compact, number: js })),
  ])
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
  const seen = new Set<string>()
  const result: Written[] = []
  for (const [mistakes, text] of styles) {
    const raw = attempt(text)
    if (raw === undefined) continue
    for (const form of [raw, toAscii(raw)]) {
      if (seen.has(form)) continue
      seen.add(form)
      result.push({ mistakes, hash: sha256Hex(form) })
    }
  }
  return result
}

/** JSON text as Go's `json.Marshal` escapes it; these characters only occur inside strings. */
function goEscaped(text: string): string {
  return text.replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

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
  return keys.sort()
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

function attempt(text: () => string): string | undefined {
  try {
    return text()
  } catch {
    return undefined
  }
}
