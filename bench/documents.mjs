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
