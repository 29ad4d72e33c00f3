import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BaseError } from '@agentpmt-kit/canonical-json'
import { diagnoseCanonicalJson } from '@agentpmt-kit/error-recovery'
import type { RunCheckId } from './runChecks.js'

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
 * One part of an answer that is not the expected one: the field (`raw`, `body`, `refused`, or
 * `output` for the answer as a whole), and both values as they were.
 *
 * @example
 * ```ts
 * import type { Mismatch } from '@agentpmt-kit/conformance'
 *
 * const mismatch: Mismatch = { field: 'raw', expected: '{"a":1}', actual: '{"a": 1}' }
 * ```
 */
export type Mismatch = { field: string; expected: unknown; actual: unknown }

/**
 * Why an answer fails its case: a sentence, and the fields that differ.
 *
 * @example
 * ```ts
 * import type { Judgement } from '@agentpmt-kit/conformance'
 *
 * const judgement: Judgement = { reason: 'raw differs', mismatches: [{ field: 'raw', expected: '{}', actual: '{ }' }] }
 * ```
 */
export type Judgement = { reason: string; mismatches: Mismatch[] }

/**
 * One case fed to an implementation: `input` goes on the wire, `expected` stays in the harness,
 * `judge` compares an answer with it.
 *
 * @example
 * ```ts
 * import type { ConformanceCase } from '@agentpmt-kit/conformance'
 *
 * declare const item: ConformanceCase
 * item.judge({ raw: '{}', ascii: '{}' })?.reason // undefined when it passes, else why not
 * ```
 */
export type ConformanceCase = {
  /** `<capability>/<vector id>`: stable, cite it. */
  id: string
  capability: Capability
  /** The check of the run this case counts for: its capability, or `accept` for a must-accept case. */
  check: RunCheckId
  /** The vector file the case comes from, relative to `vectors/`. */
  source: string
  description: string
  /** Marks of what the case is about, e.g. `divergence:float`, `javascript-only`. */
  tags: string[]
  input: unknown
  expected: unknown
  /** `undefined` when `actual` is right, else why it is not. */
  judge(actual: unknown): Judgement | undefined
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
export const vectorFiles = [
  'canonical-json/cases.json',
  'message/cases.json',
  'signatures/personal-sign.json',
  'signatures/verify.json',
  'requests/cases.json',
  'negative/cases.json',
  'negative/accept.json',
] as const

/** `$special` values that only JavaScript has: other languages skip them. */
const javascriptOnly = new Set([
  'undefined',
  'bigint',
  'function',
  'symbol',
  'class_instance',
  'map',
  'date',
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
  const [canonical, message, sign, verify, requests, negative, accepted] = vectorFiles.map(
    read,
  ) as Json[][]
  const all: ConformanceCase[] = [
    ...canonical!.map(canonicalizeCase),
    ...canonical!.map(hashCase),
    ...message!.map(messageCase),
    ...sign!.map(signCase),
    ...verify!.map(recoverCase),
    ...requests!.map(requestCase),
    ...negative!.map(refuseCase),
    ...accepted!.map(acceptCase),
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
    check: 'canonicalize',
    source: 'canonical-json/cases.json',
    description: String(vector.description),
    tags: divergenceTags(vector),
    input: { json: vector.input },
    expected,
    judge: (actual) => withEncoderDiagnosis(sameFields(expected, actual, ['raw', 'ascii'])),
  }
}

/**
 * A canonical form that differs is compared with the standard encoders' defaults (Go's HTML
 * escaping, PHP's escaped slashes...): the reason names the encoder it looks like and its fix.
 */
function withEncoderDiagnosis(judgement: Judgement | undefined): Judgement | undefined {
  if (judgement === undefined) return undefined
  const named = judgement.mismatches.flatMap(({ field, expected, actual }) => {
    if (typeof expected !== 'string' || typeof actual !== 'string') return []
    const form = field === 'raw' || field === 'ascii' ? field : undefined
    const { findings, summary } = diagnoseCanonicalJson({ expected, actual, form })
    // Findings, or the other canonical form where one was asked (Python's json.dumps default).
    return findings.length === 0 && !summary.endsWith('form was asked.')
      ? []
      : [`${field}: ${summary}`]
  })
  return named.length === 0
    ? judgement
    : { ...judgement, reason: `${judgement.reason}; ${[...new Set(named)].join('; ')}` }
}

function hashCase(vector: Json): ConformanceCase {
  const expected = { raw_sha256: vector.raw_sha256, ascii_sha256: vector.ascii_sha256 }
  return {
    id: `hash/${vector.id}`,
    capability: 'hash',
    check: 'hash',
    source: 'canonical-json/cases.json',
    description: `SHA-256 of both canonical forms: ${vector.description}`,
    tags: divergenceTags(vector),
    input: { json: vector.input },
    expected,
    judge: (actual) => sameFields(expected, actual, ['raw_sha256', 'ascii_sha256'], lowerCased),
  }
}

function messageCase(vector: Json): ConformanceCase {
  const expected = { message: vector.message }
  return {
    id: `message/${vector.id}`,
    capability: 'message',
    check: 'message',
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
    check: 'sign',
    source: 'signatures/personal-sign.json',
    description: `EIP-191 signature with ${vector.key} of a ${vector.messageSource} message`,
    tags: [],
    input: { private_key: vector.privateKey, message: vector.message },
    expected,
    judge: (actual) => sameFields(expected, actual, ['address', 'signature'], lowerCased),
  }
}

function recoverCase(vector: Json): ConformanceCase {
  const expected = { valid: vector.valid, recovered: vector.recovered }
  return {
    id: `recover/${vector.id}`,
    capability: 'recover',
    check: 'recover',
    source: 'signatures/verify.json',
    description: String(vector.note ?? vector.reason),
    tags: [],
    input: { address: vector.address, message: vector.message, signature: vector.signature },
    expected,
    judge: (actual) => sameFields(expected, actual, ['valid', 'recovered'], lowerCased),
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
    check: 'request',
    source: 'requests/cases.json',
    description: String(vector.description),
    tags: [`endpoint:${(vector.input as Json & { endpoint: Json }).endpoint.name}`],
    input: vector.input,
    expected,
    judge: (actual) => judgeRequest(expected, actual),
  }
}

function refuseCase(vector: Json): ConformanceCase {
  return {
    ...refuseCapabilityCase(vector, 'negative/cases.json'),
    check: 'refuse',
    expected: { refused: true, error: vector.error },
    // The error kind is reported beside the expected one, not judged: names differ by language.
    judge: (actual) =>
      refusedOf(actual) === true
        ? undefined
        : {
            reason: 'not refused: the input must be rejected with an error',
            mismatches: [{ field: 'refused', expected: true, actual: refusedOf(actual) }],
          },
  }
}

/** A valid input that looks suspicious: the refuse capability must accept it. */
function acceptCase(vector: Json): ConformanceCase {
  return {
    ...refuseCapabilityCase(vector, 'negative/accept.json'),
    check: 'accept',
    expected: { refused: false },
    judge: (actual) => {
      if (refusedOf(actual) === false) return undefined
      const error =
        isRecord(actual) && actual.error !== undefined ? ` (${String(actual.error)})` : ''
      return {
        reason: `refused a valid input${error}: it must be accepted`,
        mismatches: [{ field: 'refused', expected: false, actual: refusedOf(actual) }],
      }
    },
  }
}

/**
 * The parts of a must-refuse and a must-accept case that are alike: the same shape and tags on the
 * wire, so that an adapter decides from the input alone (only the vector files say which is which).
 */
function refuseCapabilityCase(
  vector: Json,
  source: string,
): Pick<ConformanceCase, 'id' | 'capability' | 'source' | 'description' | 'tags' | 'input'> {
  const specials = specialsOf(vector.input)
  return {
    id: `refuse/${vector.id}`,
    capability: 'refuse',
    source,
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
  }
}

const refusedOf = (actual: unknown): unknown => (isRecord(actual) ? actual.refused : undefined)

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

/** The fields of `expected` that `actual` (read through `normalize`) does not match. */
function sameFields(
  expected: Json,
  actual: unknown,
  fields: readonly string[],
  normalize: (actual: unknown) => unknown = (value) => value,
): Judgement | undefined {
  const read = normalize(actual)
  if (!isRecord(read) || !isRecord(actual))
    return {
      reason: `the output must be an object with ${fields.join(', ')}`,
      mismatches: [{ field: 'output', expected, actual }],
    }
  return judgementOf(
    fields
      .filter((field) => !equalJson(expected[field], read[field]))
      .map((field) => ({ field, expected: expected[field], actual: actual[field] })),
  )
}

function judgeRequest(expected: Json, actual: unknown): Judgement | undefined {
  if (!isRecord(actual))
    return {
      reason: 'the output must be an object',
      mismatches: [{ field: 'output', expected, actual }],
    }
  let body = actual.body
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown
    } catch {
      return {
        reason: 'body is not JSON text',
        mismatches: [{ field: 'body', expected: expected.body, actual: actual.body }],
      }
    }
  }
  const mismatches: Mismatch[] = [
    'path',
    'payload_canonical',
    'payload_sha256',
    'message',
    'signature',
  ]
    .filter((field) => {
      const value = actual[field] ?? null
      const want = expected[field] ?? null
      return field === 'signature' || field === 'payload_sha256'
        ? String(value).toLowerCase() !== String(want).toLowerCase()
        : value !== want
    })
    .map((field) => ({ field, expected: expected[field] ?? null, actual: actual[field] ?? null }))
  if (!equalJson(expected.body, body))
    mismatches.push({ field: 'body', expected: expected.body, actual: body })
  const token = (expected.headers as Json | undefined)?.['x-job-workflow-token']
  if (token !== undefined) {
    const headers = isRecord(actual.headers) ? actual.headers : {}
    const sent = Object.entries(headers).find(
      ([name]) => name.toLowerCase() === 'x-job-workflow-token',
    )
    if (sent?.[1] !== token)
      mismatches.push({ field: 'headers', expected: expected.headers, actual: actual.headers })
  }
  return judgementOf(mismatches)
}

function judgementOf(mismatches: Mismatch[]): Judgement | undefined {
  if (mismatches.length === 0) return undefined
  const fields = mismatches.map((mismatch) => mismatch.field)
  return {
    reason: `${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'}`,
    mismatches,
  }
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
