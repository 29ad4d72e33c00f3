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
  ['unique odd keys (escapes, controls, astral)', (bytes) => uniqueOddKeys(bytes)],
  ['mixed small arrays', (bytes) => mixedSmallArrays(bytes)],
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

// ---------------------------------------------------------------------------------------------
// Inputs no cache can love (issue 24): keys that are data, nearly all distinct and full of
// escapes, control and astral characters; small mixed arrays; corpora of many small values, each
// canonicalized on its own, as an agent signs them one after another.

/** Code units keys and strings are drawn from: letters, JSON escapes, controls, BMP and astral. */
const keyAlphabet = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-',
  '"',
  '\\',
  '\n',
  '\t',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  'é',
  'ß',
  '東',
  'ж',
  '\u2028',
  '😀',
  '🚀',
  '𝄞',
]

/** A short text of 1-`maxLength` characters from {@link keyAlphabet}: nearly always unique. */
function oddText(next, maxLength) {
  let text = ''
  const length = 1 + Math.floor(next() * maxLength)
  for (let i = 0; i < length; i++) text += pickFrom(next, keyAlphabet)
  return text
}

/** An integer anywhere in the safe range, either sign, or a short fraction now and then. */
function anyNumber(next) {
  const roll = next()
  if (roll < 0.1) return Math.round(next() * 1e6) / 1e3
  const magnitude = Math.floor(next() * 2 ** Math.floor(next() * 54))
  return Math.min(magnitude, Number.MAX_SAFE_INTEGER) * (next() < 0.3 ? -1 : 1)
}

/**
 * One small heterogeneous value, as the corpus describes: objects of 0-5 members whose
 * short keys are nearly all distinct and full of escapes, control and astral characters; arrays
 * of 0-4 mixed members; depth up to `depth`; integers across the whole safe range.
 */
function heterogeneousValue(next, depth) {
  const roll = next()
  if (depth > 0 && roll < 0.35) {
    const object = {}
    const members = Math.floor(next() * 6)
    for (let i = 0; i < members; i++) object[oddText(next, 6)] = heterogeneousValue(next, depth - 1)
    return object
  }
  if (depth > 0 && roll < 0.6)
    return Array.from({ length: Math.floor(next() * 5) }, () => heterogeneousValue(next, depth - 1))
  if (roll < 0.75) return oddText(next, 12)
  if (roll < 0.9) return anyNumber(next)
  if (roll < 0.95) return next() < 0.5
  return null
}

/** `count` small heterogeneous values, at most 5 levels deep (the top always a container). */
export function heterogeneousCorpus(count, seed) {
  const next = random(seed)
  return Array.from({ length: count }, () =>
    next() < 0.6
      ? Object.fromEntries(
          Array.from({ length: Math.floor(next() * 6) }, () => [
            oddText(next, 6),
            heterogeneousValue(next, 4),
          ]),
        )
      : Array.from({ length: Math.floor(next() * 5) }, () => heterogeneousValue(next, 4)),
  )
}

/** Many small objects whose 2-5 keys are unique and full of escapes, control and astral characters. */
function uniqueOddKeys(targetBytes) {
  return grow(targetBytes, 18, { items: [] }, (next, index, document) => {
    const item = {}
    const members = 2 + Math.floor(next() * 4)
    for (let i = 0; i < members; i++)
      item[`${oddText(next, 5)}${index.toString(36)}`] =
        next() < 0.5 ? oddText(next, 10) : anyNumber(next)
    document.items.push(item)
    return byteLength(item)
  })
}

/** Many arrays of 0-4 members of mixed kinds: strings, numbers, booleans, null, small objects. */
function mixedSmallArrays(targetBytes) {
  const member = (next) => {
    const roll = next()
    if (roll < 0.3) return pickFrom(next, [...asciiWords, ...nonAsciiWords])
    if (roll < 0.55) return anyNumber(next)
    if (roll < 0.65) return next() < 0.5
    if (roll < 0.7) return null
    if (roll < 0.85) return { id: Math.floor(next() * 1e4), kind: pickFrom(next, asciiWords) }
    return [Math.floor(next() * 100), pickFrom(next, asciiWords)]
  }
  return grow(targetBytes, 19, { rows: [] }, (next, _index, document) => {
    const row = Array.from({ length: Math.floor(next() * 5) }, () => member(next))
    document.rows.push(row)
    return byteLength(row)
  })
}

/** An id such as `job_4f2a9c`, seeded. */
const idOf = (next, prefix) =>
  `${prefix}_${Math.floor(next() * 2 ** 40)
    .toString(16)
    .padStart(10, '0')}`

/** The body of a job completion of one of the kinds an agent submits (social share, workflow, review). */
function completionBody(next) {
  const sentence = (count) => Array.from({ length: count }, () => pickFrom(next, words)).join(' ')
  const kind = next()
  if (kind < 0.5)
    return {
      social_posts: Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
        target_url_used: `https://www.agentpmt.com/agent-workflow-skills/${idOf(next, 'skill')}?utm_source=${pickFrom(next, ['linkedin', 'x', 'reddit'])}&utm_campaign=${idOf(next, 'agent_job')}`,
        platform: pickFrom(next, ['linkedin', 'x', 'reddit', 'mastodon']),
        posted_at: `2026-05-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}T14:30:00Z`,
        post_url: `https://example.social/p/${idOf(next, 'post')}`,
        message_text: sentence(8 + Math.floor(next() * 20)),
      })),
      reservation_id: idOf(next, 'res'),
      proof_text: sentence(4),
    }
  if (kind < 0.8)
    return {
      workflow_id: idOf(next, 'wf'),
      reservation_id: idOf(next, 'res'),
      proof_text: sentence(6),
      published_url: `https://www.agentpmt.com/workflows/${idOf(next, 'wf')}`,
      step_count: Math.floor(next() * 12),
    }
  return {
    reservation_id: idOf(next, 'res'),
    rating: Math.floor(next() * 5) + 1,
    review: { title: sentence(3), body: sentence(30), pros: [sentence(2), sentence(3)], cons: [] },
    proof_text: sentence(5),
  }
}

/** A job list answer: a page of 5-30 jobs with the fields the API sends. */
function listAnswer(next) {
  const sentence = (count) => Array.from({ length: count }, () => pickFrom(next, words)).join(' ')
  const count = 5 + Math.floor(next() * 26)
  const jobs = Array.from({ length: count }, () => ({
    job_id: idOf(next, 'job'),
    title: sentence(5),
    job_type: pickFrom(next, ['social_share', 'workflow_creation', 'review']),
    reward_credits: Math.floor(next() * 2000),
    status: pickFrom(next, ['open', 'reserved', 'completed']),
    created_at: `2026-05-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}T0${Math.floor(next() * 10)}:00:00Z`,
    requirements: { min_followers: Math.floor(next() * 1000), platforms: ['linkedin', 'x'] },
    description: sentence(15 + Math.floor(next() * 30)),
  }))
  return { total: count + Math.floor(next() * 500), skip: 0, limit: count, jobs }
}

/** A workflow graph: nodes with typed configs and the edges between them. */
function workflowGraph(next) {
  const nodeCount = 3 + Math.floor(next() * 15)
  const nodes = Array.from({ length: nodeCount }, (_, index) => {
    const type = pickFrom(next, ['http_request', 'llm_call', 'condition', 'transform', 'wait'])
    const config =
      type === 'http_request'
        ? {
            method: pickFrom(next, ['GET', 'POST']),
            url: `https://api.example.com/v1/${pickFrom(next, asciiWords)}`,
            headers: { 'content-type': 'application/json', 'x-request-id': '{{run.id}}' },
            timeout_ms: 1000 * Math.floor(1 + next() * 30),
          }
        : type === 'llm_call'
          ? {
              model: pickFrom(next, ['gpt-4o', 'claude-sonnet', 'llama-3-70b']),
              prompt: Array.from({ length: 25 }, () => pickFrom(next, words)).join(' '),
              temperature: Math.round(next() * 10) / 10,
              max_tokens: 256 * Math.floor(1 + next() * 8),
            }
          : type === 'condition'
            ? { expression: `{{node_${index - 1}.output.score}} > ${Math.floor(next() * 100)}` }
            : type === 'transform'
              ? { mapping: { title: '{{input.title}}', body: '{{input.body}}', tags: [] } }
              : { seconds: Math.floor(next() * 3600) }
    return {
      id: `node_${index}`,
      type,
      name: `${pickFrom(next, asciiWords)} ${index}`,
      position: { x: Math.floor(next() * 1200), y: Math.floor(next() * 800) },
      config,
    }
  })
  const edges = nodes.slice(1).map((node, index) => ({
    from: nodes[Math.floor(next() * (index + 1))].id,
    to: node.id,
    ...(next() < 0.3 ? { label: pickFrom(next, ['yes', 'no', 'retry']) } : {}),
  }))
  return {
    workflow_id: idOf(next, 'wf'),
    name: Array.from({ length: 3 }, () => pickFrom(next, words)).join(' '),
    version: Math.floor(next() * 20),
    nodes,
    edges,
    metadata: { created_by: idOf(next, 'agent'), tags: [pickFrom(next, asciiWords)] },
  }
}

/** What an agent canonicalizes in a session: completion bodies, list answers, workflow graphs. */
export function agentTraffic(count, seed) {
  const next = random(seed)
  return Array.from({ length: count }, () => {
    const roll = next()
    return roll < 0.6 ? completionBody(next) : roll < 0.8 ? listAnswer(next) : workflowGraph(next)
  })
}

/** Fisher-Yates with the seeded generator. */
function shuffled(values, seed) {
  const next = random(seed)
  const copy = [...values]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

/**
 * Every class in one shuffled corpus: each document class at ~400 B and ~50 KB (the shapes a
 * cache would meet in turn), small heterogeneous values and agent traffic between them.
 */
function mixedCorpus(seed) {
  const documents = []
  for (const [, build] of inputClasses)
    for (const bytes of [400, 50_000]) {
      const document = build(bytes)
      if (document !== undefined) documents.push(document)
    }
  return shuffled(
    [...documents, ...heterogeneousCorpus(400, seed), ...agentTraffic(60, seed + 1)],
    seed + 2,
  )
}

/**
 * Corpus classes: label and the values, each canonicalized on its own (one operation of the
 * benchmark canonicalizes the whole corpus).
 */
export const corpusClasses = [
  ['4,000 small heterogeneous values, seed 1', () => heterogeneousCorpus(4000, 1)],
  ['4,000 small heterogeneous values, seed 2', () => heterogeneousCorpus(4000, 2)],
  ['real agent traffic (300 bodies)', () => agentTraffic(300, 21)],
  ['mixed corpus (every class shuffled)', () => mixedCorpus(31)],
]

/**
 * Every class as one list, for the regression check and the instruction counts: a label (`class,
 * size` for the document classes) and a function that builds the values one operation
 * canonicalizes, each on its own (`undefined` where the size makes no sense for the class).
 */
export function benchmarkCases() {
  const all = []
  for (const [label, build] of inputClasses)
    for (const [sizeLabel, bytes] of classSizes)
      all.push({
        label: `${label}, ${sizeLabel}`,
        values: () => {
          const document = build(bytes)
          return document === undefined ? undefined : [document]
        },
      })
  for (const [label, build] of corpusClasses) all.push({ label, values: build })
  return all
}
