// The documents the benchmarks canonicalize: a job completion payload (~400 bytes) and two
// generated documents (~50 KB, ~1 MB) with non-ASCII text, built from a seeded generator so every
// run measures the same bytes. Keys are inserted out of order, as real payloads have them.

/** A small deterministic PRNG (mulberry32). */
function random(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const words = [
  'agent',
  'workflow',
  'credits',
  'proof',
  'reservation',
  'café',
  'naïve',
  'über',
  'Straße',
  'façade',
  'coöperate',
  'smörgåsbord',
  'piñata',
  'résumé',
  'jalapeño',
  'Zoë',
  '東京',
  'データ',
  'エージェント',
  '仕事',
  'работа',
  'агент',
  'δουλειά',
  'وكيل',
  'עבודה',
  '🚀',
  '✅',
  '😀',
  'tracked',
  'link',
  'verified',
  'linkedin',
  'post',
  'share',
]

/** The body of a social-share completion, as hashed for `job_complete`: about 400 bytes. */
export function completionPayload() {
  return {
    social_posts: [
      {
        target_url_used:
          'https://www.agentpmt.com/agent-workflow-skills/example?utm_source=linkedin&utm_medium=agent_social&utm_campaign=agent_job_abc&utm_content=tc',
        platform: 'linkedin',
        posted_at: '2026-05-17T14:30:00Z',
        post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
        message_text: 'Paid AgentPMT share — très pratique.',
      },
    ],
    reservation_id: 'res_7f3c2a9e',
    proof_text: 'Published the post.',
  }
}

/** A generated document of about `targetBytes` bytes of UTF-8 JSON. */
export function generatedDocument(targetBytes, seed = 1) {
  const next = random(seed)
  const pick = (list) => list[Math.floor(next() * list.length)]
  const sentence = (count) => Array.from({ length: count }, () => pick(words)).join(' ')
  const jobs = []
  const document = { total: 0, skip: 0, limit: 0, generated_at: '2026-05-17T14:30:00Z', jobs }
  let bytes = 80
  while (bytes < targetBytes) {
    const index = jobs.length
    const job = {
      title: sentence(4),
      job_type: next() < 0.7 ? 'social_share' : 'workflow_creation',
      reward_credits: Math.floor(next() * 500),
      job_id: `job_${index.toString(36)}`,
      platform: pick(['linkedin', 'x', 'reddit', 'mastodon']),
      description: sentence(12),
      tags: Array.from({ length: 3 }, () => pick(words)),
      active: next() < 0.5,
      metadata: {
        weight: Math.round(next() * 1e6) / 1e3,
        owner: { name: sentence(2), id: index * 7919, verified: next() < 0.5 },
        locale: pick(['fr-FR', 'de-DE', 'ja-JP', 'ru-RU', 'en-US']),
        notes: next() < 0.3 ? null : sentence(6),
      },
    }
    jobs.push(job)
    bytes += Buffer.byteLength(JSON.stringify(job)) + 1
  }
  document.total = jobs.length
  document.limit = jobs.length
  return document
}

/** A copy of a JSON value with every object's keys in sorted order. */
export function presorted(value) {
  if (Array.isArray(value)) return value.map(presorted)
  if (value === null || typeof value !== 'object') return value
  const sorted = {}
  for (const key of Object.keys(value).sort()) sorted[key] = presorted(value[key])
  return sorted
}

/** `{"a":{"a":...}}` nested `depth` levels deep, built without recursion. */
export function nested(depth) {
  let value = 0
  for (let level = 0; level < depth; level++) value = { a: value }
  return value
}

// ---------------------------------------------------------------------------------------------
// Input classes: each stresses one thing a canonicalizer may do slowly. Seeded (mulberry32), keys
// inserted out of order; `build(targetBytes)` grows the value until its JSON text reaches about
// `targetBytes` bytes.

/** Grows `add(next, index)` into `container` until its JSON text is about `targetBytes` long. */
function grow(targetBytes, seed, start, add) {
  const next = random(seed)
  const container = start
  let bytes = 2
  for (let index = 0; bytes < targetBytes; index++) bytes += add(next, index, container) + 1
  return container
}

const asciiWords = ['agent', 'workflow', 'credits', 'proof', 'reservation', 'tracked', 'link']
const nonAsciiWords = [
  '東京',
  'データ',
  'エージェント',
  '仕事',
  'работа',
  'агент',
  'δουλειά',
  'وكيل',
  'עבודה',
  '🚀',
  '😀',
  'smörgåsbord',
  'Straße',
]
const escapes = ['"', '\\', '\n', '\t', '\r', '\u0001', '\u001f', '\b', '/']
const byteLength = (value) => Buffer.byteLength(JSON.stringify(value))
const pickFrom = (next, list) => list[Math.floor(next() * list.length)]

/** Records keyed by array indexes ("1", "10", ...) beside text keys, as sparse id maps are. */
function arrayIndexKeys(targetBytes) {
  return grow(targetBytes, 11, {}, (next, index, map) => {
    const record = { name: pickFrom(next, asciiWords), score: Math.floor(next() * 1000) }
    for (let slot = 0; slot < 4; slot++) record[String(Math.floor(next() * 40))] = next() < 0.5
    const key = String(index * 3 + Math.floor(next() * 3))
    map[key] = record
    return byteLength(key) + 1 + byteLength(record)
  })
}

/** Strings full of quotes, backslashes, newlines and control characters. */
function escapeHeavy(targetBytes) {
  return grow(targetBytes, 12, { log: [] }, (next, _index, document) => {
    let text = ''
    for (let part = 0; part < 8; part++)
      text += pickFrom(next, asciiWords) + pickFrom(next, escapes) + pickFrom(next, escapes)
    const entry = {
      line: text,
      level: pickFrom(next, ['info', 'warn']),
      at: Math.floor(next() * 1e6),
    }
    document.log.push(entry)
    return byteLength(entry)
  })
}

/** Text in which most characters are outside ASCII (CJK, Cyrillic, Greek, emoji). */
function nonAsciiHeavy(targetBytes) {
  return grow(targetBytes, 13, { posts: [] }, (next, _index, document) => {
    const words = Array.from({ length: 10 }, () => pickFrom(next, nonAsciiWords))
    const post = {
      text: words.join(' '),
      author: pickFrom(next, nonAsciiWords),
      likes: Math.floor(next() * 100),
    }
    document.posts.push(post)
    return byteLength(post)
  })
}

/** One object with `keyCount` keys, each value a record of about `valueBytes` bytes. */
function wideObject(keyCount, valueBytes) {
  const next = random(14)
  const object = {}
  const keys = Array.from(
    { length: keyCount },
    (_, index) => `field_${(index * 7919) % 100_003}_${pickFrom(next, asciiWords)}`,
  )
  for (const key of keys) {
    if (valueBytes <= 32)
      object[key] =
        `${pickFrom(next, asciiWords)}-${pickFrom(next, asciiWords)}-${Math.floor(next() * 1e6)}`
    else {
      const record = { id: Math.floor(next() * 1e6), words: [] }
      while (byteLength(record) < valueBytes) record.words.push(pickFrom(next, asciiWords))
      object[key] = record
    }
  }
  return object
}

/** `levels` nested objects, each level with a few scalars beside the child, about `targetBytes` long. */
function deepNesting(levels, targetBytes) {
  const next = random(15)
  const perLevel = Math.max(0, Math.round(targetBytes / levels) - 25)
  let value = { leaf: true }
  for (let level = 0; level < levels; level++) {
    const node = { level }
    let bytes = 10
    while (bytes < perLevel) {
      const word = pickFrom(next, asciiWords)
      node[`${word}_${Math.floor(next() * 100)}`] = word
      bytes += 2 * word.length + 8
    }
    node.child = value
    value = node
  }
  return value
}

/** Many two- and three-member arrays of numbers, as coordinates and ranges are. */
function smallArrays(targetBytes) {
  return grow(targetBytes, 16, { points: [] }, (next, _index, document) => {
    const point =
      next() < 0.5
        ? [Math.floor(next() * 1e4), Math.floor(next() * 1e4)]
        : [Math.floor(next() * 100), Math.floor(next() * 100), Math.floor(next() * 100)]
    document.points.push(point)
    return byteLength(point)
  })
}

/** A few long strings: mostly ASCII prose with an accented word now and then. */
function longStrings(targetBytes) {
  const next = random(17)
  const count = Math.max(1, Math.min(8, Math.floor(targetBytes / 4000)))
  const document = { id: 'doc_1', sections: [] }
  const words = [...asciiWords, 'the', 'and', 'of', 'café', 'résumé']
  for (let section = 0; section < count; section++) {
    let text = ''
    while (text.length < targetBytes / count - 40) text += `${pickFrom(next, words)} `
    document.sections.push({ title: `Section ${section}`, body: text })
  }
  return document
}

/** Benchmark classes: label and, per size label, the value (undefined where the size makes no sense). */
export const inputClasses = [
  ['array-index keys', (bytes) => arrayIndexKeys(bytes)],
  ['escape-heavy strings', (bytes) => escapeHeavy(bytes)],
  ['non-ASCII-heavy text', (bytes) => nonAsciiHeavy(bytes)],
  [
    'wide object (1,000 keys)',
    (bytes) => (bytes < 10_000 ? undefined : wideObject(1000, bytes < 100_000 ? 32 : 1000)),
  ],
  [
    'deep nesting (1,000 levels)',
    (bytes) => (bytes < 10_000 ? undefined : deepNesting(1000, bytes)),
  ],
  ['many small arrays', (bytes) => smallArrays(bytes)],
  ['long strings', (bytes) => longStrings(bytes)],
]
export const classSizes = [
  ['~400 B', 400],
  ['~50 KB', 50_000],
  ['~1 MB', 1_000_000],
]

/**
 * The canonical raw text of a JSON value, written independently of every implementation: members
 * sorted as arrays of entries (an object would list array-index keys first), scalars and keys by
 * `JSON.stringify`.
 */
export function canonicalText(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const members = Object.keys(value)
    .sort()
    .filter((key) => value[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalText(value[key])}`)
  return `{${members.join(',')}}`
}
