import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { envelopeFields, payloadOf } from '@agentpmt-kit/message-builder'
import { type SerializationMistake, writings } from './serializations.js'

/** A mistake in what was hashed, found by rebuilding the hash under it. */
export type PayloadMistake =
  | SerializationMistake
  | 'envelope-fields-hashed'
  | 'whole-body-hashed'
  | 'empty-object-hashed'

/** What a payload hypothesis reproduced, and on which side. */
export type PayloadHypothesis = {
  mistakes: readonly PayloadMistake[]
  /** Other sets of mistakes, as simple, that write the same bytes (Go's and Rails' escaping). */
  alternatives: readonly (readonly PayloadMistake[])[]
  /** For an encoder's escapes, a few of them as written: `& as \u0026`. */
  shown: readonly string[]
  /** `client`: your line is the hash under the mistakes; `server`: the server's hash is. */
  side: 'client' | 'server'
}

type HashHypothesis = {
  hash: string
  mistakes: readonly PayloadMistake[]
  shown?: readonly string[] | undefined
}

/** The objects a payload hash may be computed from, and the envelope values that were sent. */
export type PayloadSources = {
  payload: unknown
  sent: unknown
  /** wallet, session and request from the signed lines, to rebuild an envelope that was hashed. */
  lines: { wallet?: string | undefined; session?: string | undefined; request?: string | undefined }
}

type Derived = { value: unknown; mistakes: readonly PayloadMistake[] }

/**
 * The objects that could be "the payload": the one given, the body sent minus its envelope, and
 * a tool invoke's `parameters`, each once.
 */
export function candidateObjects(sources: PayloadSources): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = []
  const add = (value: unknown) => {
    if (isPlainObject(value) && !found.includes(value)) found.push(value)
  }
  const { payload, sent } = sources
  if (isPlainObject(payload)) {
    add(payload)
    const inner = safe(() => payloadOf(payload))
    if (inner && Object.keys(inner).length < Object.keys(payload).length) add(inner)
    add(payload.parameters)
  }
  if (isPlainObject(sent)) {
    add(safe(() => payloadOf(sent)))
    add(sent.parameters)
  }
  return found
}

/** Raw and ASCII canonical hashes of a value; empty when it cannot be canonicalized. */
export function canonicalForms(value: unknown): string[] {
  return safe(() => [canonicalHash(value), canonicalHash(value, { ascii: true })]) ?? []
}

/**
 * Tries every known mistake on every object that reproduces one of the `accepted` hashes (the
 * right object) and returns the simplest set of mistakes whose hash is `ours`. When no object
 * reproduces the server's hash but one reproduces yours canonically, tries the same writings on
 * the server's side (a server that writes numbers or orders keys as Python does).
 */
export function payloadHypothesis(
  ours: string,
  accepted: readonly string[],
  sources: PayloadSources,
): PayloadHypothesis | undefined {
  const objects = candidateObjects(sources)
  const target = ours.toLowerCase()
  let best: PayloadHypothesis | undefined
  const consider = (candidate: HashHypothesis, side: PayloadHypothesis['side']) => {
    const { mistakes } = candidate
    if (mistakes.length === 0) return
    if (best === undefined || mistakes.length < best.mistakes.length)
      best = { mistakes, alternatives: [], shown: candidate.shown ?? [], side }
    else if (
      mistakes.length === best.mistakes.length &&
      side === best.side &&
      ![best.mistakes, ...best.alternatives].some((known) => sameItems(known, mistakes))
    )
      best = { ...best, alternatives: [...best.alternatives, mistakes] }
  }
  const right = objects.filter((object) =>
    canonicalForms(object).some((hash) => accepted.includes(hash)),
  )
  for (const candidate of everyHashHypothesis(right, sources))
    if (candidate.hash === target) consider(candidate, 'client')
  if (best !== undefined || right.length > 0) return best
  for (const object of objects) {
    if (!canonicalForms(object).includes(target)) continue
    for (const written of writings(object))
      if (accepted.includes(written.hash)) consider(written, 'server')
  }
  return best
}

/**
 * Every hash a client may have signed for one of `objects` (the right object): each derivation
 * (the object itself, with its envelope, `{}`...) written each known way, simplest first, each
 * hash once.
 */
export function hashHypotheses(
  objects: readonly Record<string, unknown>[],
  sources: PayloadSources,
): { hash: string; mistakes: readonly PayloadMistake[] }[] {
  const seen = new Set<string>()
  return everyHashHypothesis(objects, sources)
    .filter(({ hash }) => !seen.has(hash) && seen.add(hash))
    .map(({ hash, mistakes }) => ({ hash, mistakes }))
}

/** {@link hashHypotheses} with every set of mistakes that writes a hash, simplest first. */
function everyHashHypothesis(
  objects: readonly Record<string, unknown>[],
  sources: PayloadSources,
): HashHypothesis[] {
  const found: HashHypothesis[] = []
  for (const object of objects)
    for (const derived of derivations(object, sources))
      for (const written of writings(derived.value))
        found.push({
          hash: written.hash,
          mistakes: unique([...derived.mistakes, ...written.mistakes]),
          shown: written.shown,
        })
  return found.sort((a, b) => a.mistakes.length - b.mistakes.length)
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item))
}

/** What a client may have hashed instead of the right object. */
function derivations(right: Record<string, unknown>, sources: PayloadSources): Derived[] {
  const derived: Derived[] = [{ value: right, mistakes: [] }]
  const envelopes: Record<string, unknown>[] = []
  const { lines } = sources
  const fromLines = {
    wallet_address: lines.wallet,
    session_nonce: lines.session,
    request_id: lines.request,
  }
  envelopes.push(fromLines)
  if (lines.wallet !== undefined)
    envelopes.push({ ...fromLines, wallet_address: lines.wallet.toLowerCase() })
  if (isPlainObject(sources.sent)) {
    const sent = sources.sent
    const envelope = Object.fromEntries(envelopeFields.map((name) => [name, sent[name]]))
    envelopes.push(envelope, { ...envelope, signature: undefined })
  }
  for (const envelope of envelopes)
    derived.push({ value: { ...right, ...envelope }, mistakes: ['envelope-fields-hashed'] })
  for (const source of [sources.payload, sources.sent]) {
    if (!isPlainObject(source)) continue
    const outer = safe(() => payloadOf(source))
    const hasEnvelope =
      outer !== undefined && Object.keys(outer).length < Object.keys(source).length
    if (source.parameters === right) {
      derived.push({ value: outer ?? source, mistakes: ['whole-body-hashed'] })
      if (hasEnvelope)
        derived.push({ value: source, mistakes: ['whole-body-hashed', 'envelope-fields-hashed'] })
    } else if (hasEnvelope && outer !== undefined && sameCanonical(outer, right))
      derived.push({ value: source, mistakes: ['envelope-fields-hashed'] })
  }
  if (Object.keys(right).length > 0) derived.push({ value: {}, mistakes: ['empty-object-hashed'] })
  return derived
}

function sameCanonical(a: unknown, b: unknown): boolean {
  const left = canonicalForms(a)[0]
  return left !== undefined && left === canonicalForms(b)[0]
}

function unique<item>(items: readonly item[]): item[] {
  return [...new Set(items)]
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function safe<result>(compute: () => result): result | undefined {
  try {
    return compute()
  } catch {
    return undefined
  }
}
