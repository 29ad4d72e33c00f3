import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BaseError } from '@agentpmt-kit/canonical-json'

/**
 * What an implementation can be asked to do, one kind of case each (docs: Conformance guide).
 *
 * @example
 * ```ts
 * import type { Capability } from '@agentpmt-kit/conformance'
 *
 * const capability: Capability = 'canonicalize'
 * ```
 */
export type Capability =
  | 'canonicalize'
  | 'hash'
  | 'message'
  | 'sign'
  | 'recover'
  | 'request'
  | 'refuse'

/**
 * Every capability, in the order cases are fed and reported.
 *
 * @example
 * ```ts
 * import { capabilities } from '@agentpmt-kit/conformance'
 *
 * capabilities.includes('sign') // true
 * ```
 */
export const capabilities: readonly Capability[] = [
  'canonicalize',
  'hash',
  'message',
  'sign',
  'recover',
  'request',
  'refuse',
]

/**
 * One case fed to an implementation: `input` goes on the wire, `expected` stays in the harness,
 * `judge` compares an answer with it.
 *
 * @example
 * ```ts
 * import type { ConformanceCase } from '@agentpmt-kit/conformance'
 *
 * declare const item: ConformanceCase
 * item.judge({ raw: '{}', ascii: '{}' }) // undefined when it passes, else why not
 * ```
 */
export type ConformanceCase = {
  /** `<capability>/<vector id>`: stable, cite it. */
  id: string
  capability: Capability
  /** The vector file the case comes from, relative to `vectors/`. */
  source: string
  description: string
  /** Marks of what the case is about, e.g. `divergence:float`, `javascript-only`. */
  tags: string[]
  input: unknown
  expected: unknown
  /** `undefined` when `actual` is right, else the reason it is not. */
  judge(actual: unknown): string | undefined
}

/**
 * The vectors the cases come from: their folder, the digest to cite, and the cases.
 *
 * @example
 * ```ts
 * import { loadCases } from '@agentpmt-kit/conformance'
 *
 * const suite = loadCases()
 * suite.cases.length
 * ```
 */
export type ConformanceSuite = {
  vectorsDir: string
  /** SHA-256 over the vector files used, in order: the version to cite. */
  digest: string
  files: Record<string, number>
  cases: ConformanceCase[]
}

type Json = Record<string, unknown>

/**
 * The vector files the suite reads, relative to `vectors/`, in the order of the digest; the CLI's
 * package ships these (and `README.md`) in its own `vectors/` folder.
 *
 * @example
 * ```ts
 * import { vectorFiles } from '@agentpmt-kit/conformance'
 *
 * vectorFiles[0] // 'canonical-json/cases.json'
 * ```
 */
export const vectorFiles: readonly [
  'canonical-json/cases.json',
  'message/cases.json',
  'signatures/personal-sign.json',
  'signatures/verify.json',
  'requests/cases.json',
  'negative/cases.json',
] = [
  'canonical-json/cases.json',
  'message/cases.json',
  'signatures/personal-sign.json',
  'signatures/verify.json',
  'requests/cases.json',
  'negative/cases.json',
] as const

/** `$special` values that only JavaScript has: other languages skip them. */
const javascriptOnly = new Set([
  'undefined',
  'bigint',
  'function',
  'symbol',
  'class_instance',
  'map',
])

/**
 * Finds `vectors/` above the running module (the repository's, or the copy the published package
 * ships), or takes the folder given.
 *
 * @example
 * ```ts
 * import { findVectorsDir } from '@agentpmt-kit/conformance'
 *
 * findVectorsDir() // '/path/to/agentpmt-kit/vectors'
 * ```
 */
export function findVectorsDir(given?: string | undefined): string {
  if (given !== undefined) {
    const dir = resolve(given)
    if (!existsSync(join(dir, 'message', 'cases.json')))
      throw new VectorsNotFoundError(`${given} holds no message/cases.json`)
    return dir
  }
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let level = 0; level < 8; level++) {
    const candidate = join(dir, 'vectors')
    if (existsSync(join(candidate, 'message', 'cases.json'))) return candidate
    dir = dirname(dir)
  }
  throw new VectorsNotFoundError(
    'no vectors/ folder above this package: pass vectorsDir (--vectors <dir>), a checkout of agentpmt-kit/vectors',
  )
}

/**
 * Reads the vector files and turns each case into a {@link ConformanceCase}.
 *
 * @example
 * ```ts
 * import { loadCases } from '@agentpmt-kit/conformance'
 *
 * loadCases({ only: ['canonicalize'] }).cases[0]?.id // 'canonicalize/empty_object'
 * ```
 */
export function loadCases(
  options: { vectorsDir?: string | undefined; only?: readonly Capability[] | undefined } = {},
): ConformanceSuite {
  const vectorsDir = findVectorsDir(options.vectorsDir)
  const digest = createHash('sha256')
  const read = (file: (typeof vectorFiles)[number]): Json[] => {
    const text = readFileSync(join(vectorsDir, file), 'utf8')
    digest.update(`${file}\n${text}\n`)
    return (JSON.parse(text) as { cases: Json[] }).cases
  }
  const [canonical, message, sign, verify, requests, negative] = vectorFiles.map(read) as Json[][]
  const all: ConformanceCase[] = [
    ...canonical!.map(canonicalizeCase),
    ...canonical!.map(hashCase),
    ...message!.map(messageCase),
    ...sign!.map(signCase),
    ...verify!.map(recoverCase),
    ...requests!.map(requestCase),
    ...negative!.map(refuseCase),
  ]
  const only = options.only
  const cases = only === undefined ? all : all.filter((item) => only.includes(item.capability))
  const counts: Record<string, number> = {}
  for (const item of all) counts[item.source] = (counts[item.source] ?? 0) + 1
  return { vectorsDir, digest: digest.digest('hex'), files: counts, cases }
}

// --- cases of each capability ---------------------------------------------------------------------

function canonicalizeCase(vector: Json): ConformanceCase {
  const expected = { raw: vector.raw, ascii: vector.ascii }
  return {
    id: `canonicalize/${vector.id}`,
    capability: 'canonicalize',
    source: 'canonical-json/cases.json',
    description: String(vector.description),
    tags: divergenceTags(vector),
    input: { json: vector.input },
    expected,
    judge: (actual) => sameFields(expected, actual, ['raw', 'ascii']),
  }
}

function hashCase(vector: Json): ConformanceCase {
  const expected = { raw_sha256: vector.raw_sha256, ascii_sha256: vector.ascii_sha256 }
  return {
    id: `hash/${vector.id}`,
    capability: 'hash',
    source: 'canonical-json/cases.json',
    description: `SHA-256 of both canonical forms: ${vector.description}`,
    tags: divergenceTags(vector),
    input: { json: vector.input },
    expected,
    judge: (actual) => sameFields(expected, lowerCased(actual), ['raw_sha256', 'ascii_sha256']),
  }
}

function messageCase(vector: Json): ConformanceCase {
  const expected = { message: vector.message }
  return {
    id: `message/${vector.id}`,
    capability: 'message',
    source: 'message/cases.json',
    description: String(vector.description),
    tags: [],
    input: vector.input,
    expected,
    judge: (actual) => sameFields(expected, actual, ['message']),
  }
}

function signCase(vector: Json): ConformanceCase {
  const expected = { address: vector.address, signature: vector.signature }
  return {
    id: `sign/${vector.id}`,
    capability: 'sign',
    source: 'signatures/personal-sign.json',
    description: `EIP-191 signature with ${vector.key} of a ${vector.messageSource} message`,
    tags: [],
    input: { private_key: vector.privateKey, message: vector.message },
    expected,
    judge: (actual) => sameFields(expected, lowerCased(actual), ['address', 'signature']),
  }
}

function recoverCase(vector: Json): ConformanceCase {
  const expected = { valid: vector.valid, recovered: vector.recovered }
  return {
    id: `recover/${vector.id}`,
    capability: 'recover',
    source: 'signatures/verify.json',
    description: String(vector.note ?? vector.reason),
    tags: [],
    input: { address: vector.address, message: vector.message, signature: vector.signature },
    expected,
    judge: (actual) => sameFields(expected, lowerCased(actual), ['valid', 'recovered']),
  }
}

function requestCase(vector: Json): ConformanceCase {
  const full = vector.expected as Json
  const expected = {
    path: full.path,
    payload_canonical: full.payload_canonical,
    payload_sha256: full.payload_sha256,
    message: full.message,
    signature: full.signature,
    body: full.body,
    ...(typeof (full.headers as Json)['x-job-workflow-token'] === 'string'
      ? { headers: { 'x-job-workflow-token': (full.headers as Json)['x-job-workflow-token'] } }
      : {}),
  }
  return {
    id: `request/${vector.id}`,
    capability: 'request',
    source: 'requests/cases.json',
    description: String(vector.description),
    tags: [`endpoint:${(vector.input as Json & { endpoint: Json }).endpoint.name}`],
    input: vector.input,
    expected,
    judge: (actual) => judgeRequest(expected, actual),
  }
}

function refuseCase(vector: Json): ConformanceCase {
  const expected = { refused: true, error: vector.error }
  const specials = specialsOf(vector.input)
  return {
    id: `refuse/${vector.id}`,
    capability: 'refuse',
    source: 'negative/cases.json',
    description: `${vector.description} ${vector.why ?? ''}`.trim(),
    tags: [
      `kind:${vector.kind}`,
      ...(specials.some((name) => javascriptOnly.has(name)) ? ['javascript-only'] : []),
    ],
    input: {
      kind: vector.kind,
      input: vector.input,
      ...(vector.options === undefined ? {} : { options: vector.options }),
    },
    expected,
    // The error kind is reported beside the expected one, not judged: names differ by language.
    judge: (actual) =>
      isRecord(actual) && actual.refused === true
        ? undefined
        : 'not refused: the input must be rejected with an error',
  }
}

// --- comparisons --------------------------------------------------------------------------------------

function divergenceTags(vector: Json): string[] {
  const divergence = vector.divergence as Json | undefined
  return divergence === undefined ? [] : [`divergence:${divergence.kind}`]
}

function specialsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(specialsOf)
  if (!isRecord(value)) return []
  const own = typeof value.$special === 'string' ? [value.$special] : []
  return [...own, ...Object.values(value).flatMap(specialsOf)]
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Hex digits and addresses compare ignoring case. */
function lowerCased(actual: unknown): unknown {
  if (!isRecord(actual)) return actual
  const copy: Json = {}
  for (const [key, value] of Object.entries(actual))
    copy[key] =
      typeof value === 'string' && /^(0x)?[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : value
  return copy
}

function sameFields(
  expected: Json,
  actual: unknown,
  fields: readonly string[],
): string | undefined {
  if (!isRecord(actual)) return `the output must be an object with ${fields.join(', ')}`
  const wrong = fields.filter((field) => !equalJson(expected[field], actual[field]))
  return wrong.length === 0
    ? undefined
    : `${wrong.join(', ')} ${wrong.length === 1 ? 'differs' : 'differ'}`
}

function judgeRequest(expected: Json, actual: unknown): string | undefined {
  if (!isRecord(actual)) return 'the output must be an object'
  let body = actual.body
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown
    } catch {
      return 'body is not JSON text'
    }
  }
  const wrong = ['path', 'payload_canonical', 'payload_sha256', 'message', 'signature'].filter(
    (field) => {
      const value = actual[field] ?? null
      const want = expected[field] ?? null
      return field === 'signature' || field === 'payload_sha256'
        ? String(value).toLowerCase() !== String(want).toLowerCase()
        : value !== want
    },
  )
  if (!equalJson(expected.body, body)) wrong.push('body')
  const token = (expected.headers as Json | undefined)?.['x-job-workflow-token']
  if (token !== undefined) {
    const headers = isRecord(actual.headers) ? actual.headers : {}
    const sent = Object.entries(headers).find(
      ([name]) => name.toLowerCase() === 'x-job-workflow-token',
    )
    if (sent?.[1] !== token) wrong.push('headers')
  }
  return wrong.length === 0
    ? undefined
    : `${wrong.join(', ')} ${wrong.length === 1 ? 'differs' : 'differ'}`
}

/** Equality of JSON values; object key order does not matter. */
function equalJson(left: unknown, right: unknown): boolean {
  if (left === right) return true
  if (Array.isArray(left))
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => equalJson(item, right[index]))
    )
  if (isRecord(left) && isRecord(right)) {
    const keys = Object.keys(left)
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => key in right && equalJson(left[key], right[key]))
    )
  }
  return false
}

/**
 * The vector files could not be found or read.
 *
 * @example
 * ```ts
 * import { VectorsNotFoundError } from '@agentpmt-kit/conformance'
 *
 * new VectorsNotFoundError('no vectors/ folder above the CLI')
 * ```
 */
export class VectorsNotFoundError extends BaseError {
  override name = 'Conformance.VectorsNotFoundError'
  constructor(details: string) {
    super('The conformance vectors were not found.', {
      details,
      docsPath: '/documents/Conformance.html',
    })
  }
}
