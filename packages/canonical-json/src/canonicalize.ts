import { BaseError } from './BaseError.js'
import { escapeNonAscii } from './internal/ascii.js'
import { bail } from './internal/bail.js'
import { exactWalk, Refusal } from './internal/exactWalk.js'
import { sortedCopy } from './internal/sortedCopy.js'
import { abbreviateJsonPath, type PathSegment } from './jsonPath.js'

/**
 * How deep values may nest before {@link canonicalize} refuses them. The walk is iterative, so
 * the limit guards memory (say, a `toJSON` that nests forever), not the call stack.
 *
 * @example
 * ```ts
 * import { canonicalize, defaultMaxDepth } from '@agentpmt-kit/canonical-json'
 *
 * const strict = { maxDepth: Math.min(defaultMaxDepth, 64) }
 * canonicalize({ a: [1] }, strict) // '{"a":[1]}'
 * ```
 */
export const defaultMaxDepth = 1_000_000

/**
 * Options of {@link canonicalize} and `canonicalHash`.
 *
 * @example
 * ```ts
 * import { canonicalize } from '@agentpmt-kit/canonical-json'
 *
 * const options: canonicalize.Options = { ascii: true }
 * canonicalize({ text: 'café' }, options) // '{"text":"caf\\u00e9"}'
 * ```
 */
export declare namespace canonicalize {
  type Options = {
    /**
     * Escape every character outside U+0020..U+007E as `\uXXXX`, byte for byte as Python's
     * `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`.
     * Default `false`: the raw form, non-ASCII characters as themselves.
     */
    ascii?: boolean | undefined
    /** Deepest nesting accepted; default {@link defaultMaxDepth}. */
    maxDepth?: number | undefined
  }
}

/**
 * Writes a JSON value in canonical form: object keys sorted recursively by UTF-16 code units,
 * no whitespace, numbers as ECMAScript writes them. The raw form equals `JSON.stringify` of the
 * recursively sorted value; the ASCII form escapes every non-ASCII character.
 *
 * `undefined` object properties are left out and `toJSON` is honoured, as `JSON.stringify` does:
 * each runs once per place it occurs, with its key. (A getter may be read more than once, by a
 * fast writer that then gives up: keep getters free of side effects.)
 * Everything that `JSON.stringify` would silently change or drop is refused with an
 * {@link InvalidValueError} naming the JSON path of the value: non-finite numbers, bigints,
 * functions, symbols, `undefined` in arrays or at the top, lone surrogates, cycles, class
 * instances and nesting deeper than `maxDepth`.
 *
 * @example
 * ```ts
 * import { canonicalize } from '@agentpmt-kit/canonical-json'
 *
 * canonicalize({ skip: 0, limit: 50 }) // '{"limit":50,"skip":0}'
 * canonicalize({ name: 'Zoë' }, { ascii: true }) // '{"name":"Zo\\u00eb"}'
 * ```
 */
export function canonicalize(value: unknown, options: canonicalize.Options = {}): string {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError({
      option: 'options',
      reason: 'must be an object such as { ascii: true }',
    })
  const maxDepth = options.maxDepth ?? defaultMaxDepth
  if (!(Number.isInteger(maxDepth) && maxDepth >= 0) && maxDepth !== Number.POSITIVE_INFINITY)
    throw new InvalidOptionError({
      option: 'maxDepth',
      reason: 'must be a whole number from 0 up (0: scalars only), or Infinity',
    })
  const ascii = Boolean(options.ascii)
  try {
    // Values of up to some hundred kilobytes: the exact walk on a budget. It gives up (`bail`) on a
    // larger value, mostly before it walked much of it, unless a toJSON already ran.
    try {
      return exactWalk(value, ascii, maxDepth, walkBudget)
    } catch (error) {
      if (error !== bail) throw error
    }
    // Large values: a copy with sorted keys written by native JSON.stringify, unless the copy
    // cannot hold the value (array-index keys, `__proto__`, toJSON, refusals): then the exact walk.
    // Either writes the raw form; the ASCII form escapes it in one pass.
    let raw: string
    try {
      raw = JSON.stringify(sortedCopy(value, maxDepth))
    } catch (error) {
      if (error !== bail) throw error
      raw = exactWalk(value, false, maxDepth)
    }
    return ascii ? escapeNonAscii(raw) : raw
  } catch (error) {
    throw error instanceof Refusal ? refusalError(error) : error
  }
}

/** Objects (and eighths of array members) the budgeted walk writes before the sorted copy. */
const walkBudget = 2048

/** The public error for a refusal of the walk, with the path its containers collected. */
function refusalError(refusal: Refusal): InvalidValueError {
  const path = refusal.segments.reverse()
  const { kind, value } = refusal
  if (kind === 'number') return new InvalidNumberError({ value: value as number, path })
  if (kind === 'surrogate')
    return new LoneSurrogateError({ text: value as string, isKey: refusal.isKey, path })
  if (kind === 'depth') return new MaxDepthExceededError({ maxDepth: value as number, path })
  if (kind === 'cycle')
    return new CircularReferenceError({
      path: path.slice(0, refusal.pathLength),
      ancestorPath: path.slice(0, refusal.ancestorLength),
    })
  return new UnsupportedValueError({ value, path })
}

/**
 * Turns canonical raw text into the ASCII form: every UTF-16 code unit outside U+0020..U+007E
 * that is not already escaped becomes `\uXXXX` in lowercase hex (astral characters therefore
 * become surrogate pairs), exactly as Python's `ensure_ascii=True` writes them.
 *
 * @example
 * ```ts
 * import { toAscii } from '@agentpmt-kit/canonical-json'
 *
 * toAscii('{"emoji":"😀"}') // '{"emoji":"\\ud83d\\ude00"}'
 * ```
 */
export function toAscii(canonicalRaw: string): string {
  if (typeof canonicalRaw !== 'string')
    throw new InvalidOptionError({
      option: 'canonicalRaw',
      reason: `must be a string, got ${typeof canonicalRaw}`,
    })
  return escapeNonAscii(canonicalRaw)
}

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'bigint') return `the bigint ${value}n`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name
    return `an instance of ${typeof name === 'string' && name ? name : 'an unknown class'}`
  }
  return String(value)
}

/**
 * A value that canonical JSON cannot represent without changing it. Subclasses say which kind;
 * `path` names where it is, as a JSONPath such as `$.social_posts[0].posted_at`.
 *
 * @example
 * ```ts
 * import { canonicalize, InvalidValueError } from '@agentpmt-kit/canonical-json'
 *
 * try {
 *   canonicalize({ posts: [undefined] })
 * } catch (error) {
 *   if (error instanceof InvalidValueError) console.log(error.path) // '$.posts[0]'
 * }
 * ```
 */
export class InvalidValueError extends BaseError {
  override name = 'CanonicalJson.InvalidValueError'
  /** JSONPath of the refused value, `$` for the value itself. */
  readonly path: string
  /** The path as keys and indexes, for code that walks to the value. */
  readonly pathSegments: readonly PathSegment[]

  constructor(
    shortMessage: string,
    { path, details }: { path: readonly PathSegment[]; details: string },
  ) {
    super(`${shortMessage} at ${abbreviateJsonPath(path)}.`, {
      details,
      docsPath: '/documents/Protocol.html#canonical-json',
    })
    this.path = abbreviateJsonPath(path)
    this.pathSegments = path
  }
}

/**
 * `NaN`, `Infinity` or `-Infinity`: `JSON.stringify` would write `null` and change what is signed.
 *
 * @example
 * ```ts
 * import { canonicalize, InvalidNumberError } from '@agentpmt-kit/canonical-json'
 *
 * try { canonicalize({ reward: Number.NaN }) } catch (error) {
 *   error instanceof InvalidNumberError // true, error.path === '$.reward'
 * }
 * ```
 */
export class InvalidNumberError extends InvalidValueError {
  override name = 'CanonicalJson.InvalidNumberError'
  constructor({ value, path }: { value: number; path: readonly PathSegment[] }) {
    super(`Non-finite number ${value}`, {
      path,
      details: 'JSON has no NaN or Infinity; send a finite number or a string.',
    })
  }
}

/**
 * A value JSON has no form for: `undefined` in an array or at the top, a bigint, a function, a
 * symbol, or an object that is neither a plain object, an array nor has `toJSON`.
 *
 * @example
 * ```ts
 * import { canonicalize, UnsupportedValueError } from '@agentpmt-kit/canonical-json'
 *
 * try { canonicalize({ amount: 10n }) } catch (error) {
 *   error instanceof UnsupportedValueError // true, error.path === '$.amount'
 * }
 * ```
 */
export class UnsupportedValueError extends InvalidValueError {
  override name = 'CanonicalJson.UnsupportedValueError'
  constructor({ value, path }: { value: unknown; path: readonly PathSegment[] }) {
    super(`Cannot write ${describe(value)} as JSON`, {
      path,
      details:
        typeof value === 'bigint'
          ? 'Convert it to a string or, within ±(2^53-1), to a number before hashing.'
          : value === undefined
            ? 'Leave the member out, or use null.'
            : 'Convert it to a plain object, array, string, number, boolean or null first.',
    })
  }
}

/**
 * A string or key holding a lone UTF-16 surrogate, which has no UTF-8 encoding.
 *
 * @example
 * ```ts
 * import { canonicalize, LoneSurrogateError } from '@agentpmt-kit/canonical-json'
 *
 * try { canonicalize({ text: '\ud800' }) } catch (error) {
 *   error instanceof LoneSurrogateError // true, error.path === '$.text'
 * }
 * ```
 */
export class LoneSurrogateError extends InvalidValueError {
  override name = 'CanonicalJson.LoneSurrogateError'
  constructor({
    text,
    isKey,
    path,
  }: { text: string; isKey: boolean; path: readonly PathSegment[] }) {
    const unit = text.search(loneSurrogate)
    super(`${isKey ? 'Key' : 'String'} with a lone surrogate`, {
      path,
      details: `Code unit ${unit} is an unpaired surrogate (0x${text.charCodeAt(unit).toString(16)}); it cannot be encoded as UTF-8.`,
    })
  }
}

/**
 * A value that contains itself.
 *
 * @example
 * ```ts
 * import { canonicalize, CircularReferenceError } from '@agentpmt-kit/canonical-json'
 *
 * const post: Record<string, unknown> = {}
 * post.self = post
 * try { canonicalize(post) } catch (error) {
 *   error instanceof CircularReferenceError // true
 * }
 * ```
 */
export class CircularReferenceError extends InvalidValueError {
  override name = 'CanonicalJson.CircularReferenceError'
  constructor({
    path,
    ancestorPath,
  }: { path: readonly PathSegment[]; ancestorPath: readonly PathSegment[] }) {
    super('Circular reference', {
      path,
      details: `The value is the same object as its ancestor at ${abbreviateJsonPath(ancestorPath)}.`,
    })
  }
}

/**
 * Nesting deeper than the `maxDepth` option.
 *
 * @example
 * ```ts
 * import { canonicalize, MaxDepthExceededError } from '@agentpmt-kit/canonical-json'
 *
 * try { canonicalize([[[1]]], { maxDepth: 2 }) } catch (error) {
 *   error instanceof MaxDepthExceededError // true, error.path === '$[0][0]'
 * }
 * ```
 */
export class MaxDepthExceededError extends InvalidValueError {
  override name = 'CanonicalJson.MaxDepthExceededError'
  constructor({ maxDepth, path }: { maxDepth: number; path: readonly PathSegment[] }) {
    super(`Nesting deeper than ${maxDepth.toLocaleString('en-US')} levels`, {
      path,
      details: 'Flatten the value, or raise the maxDepth option if the receiver accepts it.',
    })
  }
}

/**
 * An option or argument that has no meaning, such as `maxDepth: NaN` or a number where a text is
 * expected.
 *
 * @example
 * ```ts
 * import { canonicalize, InvalidOptionError } from '@agentpmt-kit/canonical-json'
 *
 * try { canonicalize({}, { maxDepth: Number.NaN }) } catch (error) {
 *   error instanceof InvalidOptionError // true, error.option === 'maxDepth'
 * }
 * ```
 */
export class InvalidOptionError extends BaseError {
  override name = 'CanonicalJson.InvalidOptionError'
  /** The option that was refused. */
  readonly option: string
  constructor({ option, reason }: { option: string; reason: string }) {
    super(`Invalid option "${option}": ${reason}.`, {
      docsPath: '/documents/Protocol.html#canonical-json',
    })
    this.option = option
  }
}
