#!/usr/bin/env node
// `pnpm bench`: measures the BUILT packages (dist/, so `pnpm build` first; `pnpm bench` does it)
// with tinybench under plain node, and writes the tables into BENCHMARKS.md.
//
//   node bench/run.mjs            full run (about two minutes)
//   node bench/run.mjs --quick    short samples, for trying the script; does not write the file
//   node bench/run.mjs --classes [text]  the input-class table alone (classes whose label
//                                 contains text), printed, not written
//   node bench/run.mjs --signing  the signing pipeline against bare signMessage alone, printed
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import canonicalizePeer from 'canonicalize'
import fastJsonStableStringify from 'fast-json-stable-stringify'
import { canonicalize as jsonCanonicalize } from 'json-canonicalize'
import jsonStableStringify from 'json-stable-stringify'
import { Json } from 'ox'
import safeStableStringify from 'safe-stable-stringify'
import { Bench } from 'tinybench'
import { recoverMessageAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import {
  canonicalText,
  classSizes,
  completionPayload,
  corpusClasses,
  generatedDocument,
  inputClasses,
  nested,
  presorted,
} from './documents.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const quick = process.argv.includes('--quick')
const classesOnly = process.argv.includes('--classes')
const signingOnly = process.argv.includes('--signing')
const classFilter = classesOnly ? process.argv[process.argv.indexOf('--classes') + 1] : undefined
const sampleTime = quick ? 100 : 1000

/** Imports a package's built entry point, or undefined when it is not built (or not written). */
async function built(name) {
  const entry = join(root, 'packages', name, 'dist', 'index.js')
  if (!existsSync(entry)) return undefined
  return import(pathToFileURL(entry).href)
}

const canonicalJson = await built('canonical-json')
if (!canonicalJson) throw new Error('packages/canonical-json/dist is missing: run pnpm build')
// The exact walk alone, fast paths off: an internal module of the build, not a public entry.
const exactWalkEntry = join(root, 'packages/canonical-json/dist/internal/exactWalk.js')
const exactWalk = existsSync(exactWalkEntry)
  ? (await import(pathToFileURL(exactWalkEntry).href)).exactWalk
  : undefined
const messageBuilder = await built('message-builder')
const signerViem = await built('signer-viem')
const sandboxPackage = await built('sandbox')

/** Mean time per operation in ms, from a finished tinybench task. */
const meanMs = (task) => task.result.latency.mean
const opsPerSecond = (task) => 1000 / meanMs(task)
const fixed = (value, digits = 2) => value.toFixed(digits)
const thousands = (value) => Math.round(value).toLocaleString('en-US')

// ---------------------------------------------------------------------------------------------
// Canonical JSON against its peers, each as a ratio to native JSON.stringify

const implementations = [
  ['@agentpmt-kit/canonical-json (raw)', (value) => canonicalJson.canonicalize(value)],
  [
    '@agentpmt-kit/canonical-json (ascii)',
    (value) => canonicalJson.canonicalize(value, { ascii: true }),
  ],
  ...(exactWalk
    ? [['@agentpmt-kit/canonical-json (exact walk)', (value) => exactWalk(value, false)]]
    : []),
  ['canonicalize', (value) => canonicalizePeer(value)],
  ['json-canonicalize', (value) => jsonCanonicalize(value)],
  ['json-stable-stringify', (value) => jsonStableStringify(value)],
  ['safe-stable-stringify', (value) => safeStableStringify(value)],
  ['fast-json-stable-stringify', (value) => fastJsonStableStringify(value)],
  ['ox Json.canonicalize', (value) => Json.canonicalize(value)],
]
const ours = (name) => name.startsWith('@agentpmt-kit')
const peers = implementations.map(([name]) => name).filter((name) => !ours(name))
const rawName = implementations[0][0]
const asciiName = implementations[1][0]
const exactName = '@agentpmt-kit/canonical-json (exact walk)'

const documents = [
  ['~400 B completion payload', completionPayload()],
  ['~50 KB document', generatedDocument(50_000)],
  ['~1 MB document', generatedDocument(1_000_000)],
]

async function canonicalJsonTable() {
  const results = []
  for (const [label, document] of documents) {
    const sorted = presorted(document)
    const expected = JSON.stringify(sorted)
    const bytes = Buffer.byteLength(expected)
    const bench = new Bench({ time: sampleTime, warmupTime: sampleTime / 4 })
    // The baseline writes the same bytes as a canonicalizer: JSON.stringify of a presorted copy.
    bench.add('JSON.stringify (presorted copy)', () => JSON.stringify(sorted))
    const sameOutput = new Map()
    for (const [name, run] of implementations) {
      const output = run(document)
      const reference = name.endsWith('(ascii)') ? canonicalJson.toAscii(expected) : expected
      sameOutput.set(name, output === reference)
      bench.add(name, () => run(document))
    }
    await bench.run()
    const native = meanMs(bench.tasks[0])
    const rows = bench.tasks.map((task) => ({
      name: task.name,
      ratio: meanMs(task) / native,
      opsPerSecond: opsPerSecond(task),
      sameOutput: sameOutput.get(task.name) ?? true,
      rme: task.result.latency.rme,
    }))
    results.push({ label, bytes, rows })
    console.error(`canonical JSON, ${label}: done`)
  }
  return results
}

// ---------------------------------------------------------------------------------------------
// Input classes: the same implementations on inputs built to be unfriendly (bench/documents.mjs)

/**
 * Median time per call in ms of each function, measured in interleaved rounds: each round runs
 * every function for about `batchMs`, one after another, so that load drift on a shared machine
 * reaches every implementation alike (tinybench's one-task-after-another runs let it decide a
 * 5 % comparison).
 */
/** CPU time of this process in ms: on a loaded machine, wall time counts the waits for a core. */
function cpuMs() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

function interleaved(functions, { rounds, batchMs }) {
  const batches = functions.map((run) => {
    let count = 1
    for (;;) {
      const started = performance.now()
      for (let i = 0; i < count; i++) run()
      const elapsed = performance.now() - started
      if (elapsed >= batchMs / 4) return Math.max(1, Math.round((count * batchMs) / elapsed))
      count *= 4
    }
  })
  const samples = functions.map(() => [])
  for (let round = -1; round < rounds; round++) {
    for (const [index, run] of functions.entries()) {
      const count = batches[index]
      const started = cpuMs()
      for (let i = 0; i < count; i++) run()
      if (round >= 0) samples[index].push((cpuMs() - started) / count)
    }
  }
  return samples.map((times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)])
}

/** Every class: a document per class and size, then the corpora (values canonicalized one by one). */
function classCases() {
  const cases = []
  for (const [label, build] of inputClasses)
    for (const [sizeLabel, targetBytes] of classSizes) {
      const document = build(targetBytes)
      if (document !== undefined) cases.push({ label, sizeLabel, values: [document] })
    }
  for (const [label, build] of corpusClasses) {
    const values = build()
    cases.push({ label, sizeLabel: `${values.length.toLocaleString('en-US')} values`, values })
  }
  return cases.filter(({ label }) => classFilter === undefined || label.includes(classFilter))
}

async function classTables() {
  const results = []
  for (const { label, sizeLabel, values } of classCases()) {
    // The baseline writes the same bytes (in another order where keys are array indexes).
    const sorted = values.map(presorted)
    const expected = values.map(canonicalText)
    const ascii = expected.map(canonicalJson.toAscii)
    const each = (run) => () => {
      for (const value of values) run(value)
    }
    const functions = [
      () => {
        for (const value of sorted) JSON.stringify(value)
      },
    ]
    const sameOutput = new Map()
    for (const [name, run] of implementations) {
      const reference = name.endsWith('(ascii)') ? ascii : expected
      sameOutput.set(
        name,
        values.every((value, index) => run(value) === reference[index]),
      )
      functions.push(each(run))
    }
    // The floor of the ascii form's extra work: one native pass over the raw text that
    // touches every code unit (a global regular expression test over the whole text).
    functions.push(each((_, index) => fullScan.test(expected[index])))
    const times = interleaved(functions, {
      rounds: quick ? 3 : 15,
      batchMs: quick ? 10 : 25,
    })
    const native = times[0]
    const rows = new Map(
      implementations.map(([name], index) => [
        name,
        { ratio: times[index + 1] / native, sameOutput: sameOutput.get(name) },
      ]),
    )
    results.push({
      label,
      sizeLabel,
      bytes: expected.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
      asciiBytes: ascii.reduce((sum, text) => sum + text.length, 0),
      nativeOpsPerSecond: 1000 / native,
      nativePass: times.at(-1) / native,
      rows,
    })
    console.error(`input class ${label}, ${sizeLabel}: done`)
  }
  return results
}
/** Matches nothing in canonical text (no raw control character), so it scans all of it. */
const fullScan = /[\u0000-\u0008]/

// ---------------------------------------------------------------------------------------------
// Deepest nesting each implementation survives

function survives(run, depth) {
  try {
    run(nested(depth))
    return true
  } catch (error) {
    if (error instanceof RangeError || /call stack|recursion|too deep/i.test(String(error)))
      return false
    throw error
  }
}

/** The deepest nesting in [1, ceiling] that `run` writes, to within 1 %. */
function deepestNesting(run, ceiling) {
  if (survives(run, ceiling)) return { depth: ceiling, capped: true }
  let low = 1
  let high = ceiling
  while (high - low > Math.max(1, low / 100)) {
    const middle = Math.floor((low + high) / 2)
    if (survives(run, middle)) low = middle
    else high = middle
  }
  return { depth: low, capped: false }
}

function depthTable() {
  const ceiling = 200_000
  const rows = [['JSON.stringify (native)', (value) => JSON.stringify(value)], ...implementations]
  return rows.map(([name, run]) => ({ name, ...deepestNesting(run, ceiling) }))
}

// ---------------------------------------------------------------------------------------------
// Signing pipeline and verification against bare viem

// A published test key (Hardhat/Anvil account #1): never a real wallet's.
const testKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'

async function signingTable() {
  if (!messageBuilder || !signerViem?.createViemSigner) return undefined
  const account = privateKeyToAccount(testKey)
  const signer = signerViem.createViemSigner(account)
  const payload = completionPayload()
  let counter = 0
  const signing = () => ({
    wallet: account.address,
    session: 'session-nonce-1',
    request: `req-${counter++}`,
  })
  // Interleaved rounds, one call of each kind per round, each timed on its own: on a shared
  // machine the load drifts over seconds, and tinybench's one-task-after-another runs let that
  // drift decide a 5 % comparison. The bare call signs messages built before timing, one per
  // round, so neither side signs the same text twice.
  const rounds = quick ? 300 : 3000
  const messages = Array.from({ length: rounds }, () =>
    messageBuilder.jobCompleteMessage(signing(), 'job_1', payload),
  )
  const message = messages[0]
  const signature = await account.signMessage({ message })
  const kinds = {
    'bare viem account.signMessage': async (round) => {
      await account.signMessage({ message: messages[round] })
    },
    'pipeline: canonicalize + hash + build message + sign (signer-viem)': async () => {
      await signer.signMessage(messageBuilder.jobCompleteMessage(signing(), 'job_1', payload))
    },
    'bare viem recoverMessageAddress': async () => {
      await recoverMessageAddress({ message, signature })
    },
    'signer-viem verifyMessageSignature': async () => {
      await signerViem.verifyMessageSignature({ address: account.address, message, signature })
    },
  }
  const totals = new Map(Object.keys(kinds).map((name) => [name, 0]))
  for (let round = -Math.ceil(rounds / 10); round < rounds; round++) {
    for (const [name, run] of Object.entries(kinds)) {
      const started = performance.now()
      await run(Math.max(round, 0))
      if (round >= 0) totals.set(name, totals.get(name) + performance.now() - started)
    }
  }
  console.error('signing: done')
  return [...totals].map(([name, ms]) => ({ name, opsPerSecond: (1000 * rounds) / ms }))
}

// ---------------------------------------------------------------------------------------------
// The sandbox's signed-request throughput on loopback

async function sandboxThroughput() {
  if (!sandboxPackage?.startSandbox || !messageBuilder || !signerViem?.createViemSigner)
    return undefined
  const account = privateKeyToAccount(testKey)
  const signer = signerViem.createViemSigner(account)
  const sandbox = await sandboxPackage.startSandbox({ port: 0 })
  try {
    const post = (path, body) =>
      fetch(sandbox.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const wallet = account.address.toLowerCase()
    const session = await (
      await post(messageBuilder.apiPaths.session, { wallet_address: wallet })
    ).json()
    const total = quick ? 200 : 2000
    const concurrency = 16
    const page = { limit: 10, skip: 0 }
    // Signed before the clock starts: this measures the server, not the client's signing.
    const bodies = []
    for (let index = 0; index < total; index++) {
      const request = `bench-${index}`
      const message = messageBuilder.jobListMessage(
        { wallet, session: session.session_nonce, request },
        page,
      )
      bodies.push({
        wallet_address: wallet,
        session_nonce: session.session_nonce,
        request_id: request,
        signature: await signer.signMessage(message),
        ...page,
      })
    }
    let failures = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let body = bodies.pop(); body !== undefined; body = bodies.pop()) {
          const response = await post(messageBuilder.apiPaths.list, body)
          await response.arrayBuffer()
          if (response.status !== 200) failures++
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    console.error('sandbox: done')
    return { total, concurrency, failures, requestsPerSecond: total / seconds }
  } finally {
    await sandbox.close()
  }
}

// ---------------------------------------------------------------------------------------------
// BENCHMARKS.md

const load = loadavg()[0]
if (classesOnly) {
  for (const { label, sizeLabel, rows, nativePass } of await classTables()) {
    const bestPeer = peers.reduce((best, peer) =>
      rows.get(peer).ratio < rows.get(best).ratio ? peer : best,
    )
    const raw = rows.get(rawName).ratio
    const ascii = rows.get(asciiName).ratio
    console.log(
      `| ${label}, ${sizeLabel} | ${fixed(raw)}x | ${fixed(ascii)}x | ${bestPeer} ${fixed(rows.get(bestPeer).ratio)}x | raw/best ${fixed(raw / rows.get(bestPeer).ratio)} | ascii/raw ${fixed(ascii / raw)} | pass/raw ${fixed(nativePass / raw)} |${[...rows.values()].every(({ sameOutput }) => sameOutput) ? '' : ' (an output differs)'}`,
    )
  }
  console.log(`load average ${fixed(load, 1)} at the start, ${fixed(loadavg()[0], 1)} at the end`)
  process.exit(0)
}
if (signingOnly) {
  const signing = await signingTable()
  const opsPerSecond = (prefix) => signing.find(({ name }) => name.startsWith(prefix)).opsPerSecond
  const bare = opsPerSecond('bare viem account')
  const pipeline = opsPerSecond('pipeline')
  console.log(
    `pipeline ${thousands(pipeline)}/s, bare signMessage ${thousands(bare)}/s: ${fixed((100 * pipeline) / bare, 1)} % (target 95 %); load average ${fixed(load, 1)} at the start, ${fixed(loadavg()[0], 1)} at the end`,
  )
  process.exit(0)
}
const canonical = await canonicalJsonTable()
const classes = await classTables()
const depths = depthTable()
console.error('depth: done')
const signing = await signingTable()
const throughput = await sandboxThroughput()

const lines = []
const line = (text = '') => lines.push(text)
const table = (header, rows) => {
  line(`| ${header.join(' | ')} |`)
  line(`| ${header.map((_, column) => (column === 0 ? '---' : '---:')).join(' | ')} |`)
  for (const row of rows) line(`| ${row.join(' | ')} |`)
  line()
}

line('# Benchmarks')
line()
line(
  `Written by \`pnpm bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: Node.js ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (${cpus().length} cores), load average ${fixed(load, 1)} when the run started. The benchmarks import the built packages (dist/) and run under plain node with tinybench. Numbers from a shared or loaded machine are noisy; the ratios, measured side by side in the same run, are what to compare.`,
)
line()
line('## Canonical JSON')
line()
line(
  'Time per call as a multiple of native `JSON.stringify` of a presorted copy of the same document (which writes the same bytes a canonicalizer must write), measured in the same run: lower is better, 1.00 is native speed. Every implementation is given the unsorted document.',
)
line()
const labels = canonical.map(({ label, bytes }) => `${label} (${thousands(bytes)} B)`)
const names = canonical[0].rows.map(({ name }) => name)
table(
  ['implementation', ...labels],
  names.map((name) => [
    name.startsWith('@agentpmt-kit') ? `**${name}**` : name,
    ...canonical.map(({ rows }) => {
      const row = rows.find((candidate) => candidate.name === name)
      const mark = row.sameOutput ? '' : ' (different output)'
      return `${fixed(row.ratio)}x (${thousands(row.opsPerSecond)}/s)${mark}`
    }),
  ]),
)
line(
  '"different output" marks an implementation whose text differs from `JSON.stringify` of the sorted copy (for the ascii form: from its escaped form).',
)
line()

line('## Canonical JSON by input class')
line()
line(
  `Inputs built to leave the friendly paths (bench/documents.mjs, seeded): array-index keys such as \`"1"\` and \`"10"\` (JavaScript lists them first, in numeric order, so no sorted copy can hold them), strings full of escapes, text that is mostly non-ASCII, one object with 1,000 keys, 1,000 levels of nesting, many small arrays, and long strings. Times are medians of ${quick ? 3 : 15} interleaved rounds (every implementation runs once per round, one after another, so load drift reaches all alike), as multiples of native \`JSON.stringify\` of a presorted copy. **exact walk** is canonical-json's exact writer alone, its fast paths switched off (an internal module of the build, not a public option): what every input the fast paths refuse goes through. **native pass** is one native scan of the raw text (a regular expression that matches nothing), the floor of any extra pass over the text.`,
)
line()
const shortName = (name) =>
  name.replace('@agentpmt-kit/canonical-json ', '').replace('ox Json.canonicalize', 'ox')
table(
  [
    'class, size',
    'bytes',
    'native/s',
    ...implementations.map(([name]) => shortName(name)),
    'native pass',
  ],
  classes.map(({ label, sizeLabel, bytes, nativeOpsPerSecond, nativePass, rows }) => [
    `${label}, ${sizeLabel}`,
    thousands(bytes),
    thousands(nativeOpsPerSecond),
    ...implementations.map(([name]) => {
      const row = rows.get(name)
      const text = `${fixed(row.ratio)}x${row.sameOutput ? '' : ' (different output)'}`
      return ours(name) ? `**${text}**` : text
    }),
    `${fixed(nativePass)}x`,
  ]),
)
const classRatios = classes.map(({ label, sizeLabel, rows, nativePass }) => {
  const bestPeerName = peers.reduce((best, peer) =>
    rows.get(peer).ratio < rows.get(best).ratio ? peer : best,
  )
  const bestPeer = rows.get(bestPeerName).ratio
  return {
    name: `${label}, ${sizeLabel}`,
    bestPeerName,
    bestPeer,
    raw: rows.get(rawName).ratio / bestPeer,
    exact: rows.has(exactName) ? rows.get(exactName).ratio / bestPeer : undefined,
    ascii: rows.get(asciiName).ratio / rows.get(rawName).ratio,
    nativePass: nativePass / rows.get(rawName).ratio,
  }
})
line(
  'Against the best peer of each row (its time divided by the best peer\'s: below 1.00 is faster), and the ascii form against raw. Targets: raw below 1.00, exact walk at most 1.00, ascii/raw at most 1.30; "native pass / raw" is the floor of an extra pass over the text, as a share of raw\'s time.',
)
line()
table(
  [
    'class, size',
    'best peer',
    'raw / best peer',
    'exact walk / best peer',
    'ascii / raw',
    'native pass / raw',
  ],
  classRatios.map(({ name, bestPeerName, bestPeer, raw, exact, ascii, nativePass }) => [
    name,
    `${bestPeerName} (${fixed(bestPeer)}x)`,
    `${fixed(raw)}${raw < 1 ? '' : ' (missed)'}`,
    exact === undefined ? 'n/a' : `${fixed(exact)}${exact <= 1 ? '' : ' (missed)'}`,
    `${fixed(ascii)}${ascii <= 1.3 ? '' : ' (missed)'}`,
    fixed(nativePass),
  ]),
)

line('## Nesting depth')
line()
line(
  'Deepest `{"a":{"a":...}}` each implementation writes before it fails (found by bisection to within 1 %; capped at 200,000 levels, the depth ours must survive), with the default Node.js stack.',
)
line()
table(
  ['implementation', 'deepest nesting written'],
  depths.map(({ name, depth, capped }) => [
    name,
    capped ? `≥ ${thousands(depth)} (no failure)` : thousands(depth),
  ]),
)

line('## Signing and verification')
line()
if (signing) {
  line(
    'A social-share completion (~400 B) signed with a viem local account. The pipeline builds the whole `job_complete` message from the payload object (canonicalize, SHA-256, message lines) and signs it through `@agentpmt-kit/signer-viem`; the bare call signs an already built message. Measured in interleaved rounds (one call of each kind per round, 3,000 rounds after a warm-up) so that load drift affects every kind alike.',
  )
  line()
  const get = (prefix) => signing.find(({ name }) => name.startsWith(prefix)).opsPerSecond
  table(
    ['operation', 'ops/s', 'relative'],
    [
      ['bare viem `account.signMessage`', thousands(get('bare viem account')), '100 %'],
      [
        'full pipeline (signer-viem)',
        thousands(get('pipeline')),
        `${fixed((100 * get('pipeline')) / get('bare viem account'), 1)} %`,
      ],
      ['bare viem `recoverMessageAddress`', thousands(get('bare viem recover')), '100 %'],
      [
        'signer-viem `verifyMessageSignature`',
        thousands(get('signer-viem verify')),
        `${fixed((100 * get('signer-viem verify')) / get('bare viem recover'), 1)} %`,
      ],
    ],
  )
} else {
  line('Pending: `@agentpmt-kit/signer-viem` is not built yet.')
  line()
}

line('## Sandbox')
line()
if (throughput) {
  line(
    `Signed \`job_list\` requests to \`@agentpmt-kit/sandbox\` on loopback (signature recovery, session and replay checks on every request), ${thousands(throughput.total)} requests signed in advance and sent by ${throughput.concurrency} concurrent clients from the same process.`,
  )
  line()
  table(
    ['measure', 'value'],
    [
      ['signed requests per second', thousands(throughput.requestsPerSecond)],
      ['requests answered other than 200', String(throughput.failures)],
    ],
  )
} else {
  table(['measure', 'value'], [['signed requests per second', 'pending (sandbox not built)']])
}

line('## Targets')
line()
const targetRows = []
const sizeRows = canonical.map(({ label, rows }) => {
  const find = (name) => rows.find((row) => row.name === name)
  return {
    label,
    raw: find(implementations[0][0]).ratio,
    ascii: find(implementations[1][0]).ratio,
    bestPeer: Math.min(...peers.map((peer) => find(peer).ratio)),
    bestPeerName: peers.reduce((best, peer) => (find(peer).ratio < find(best).ratio ? peer : best)),
  }
})
for (const [index, { label, raw, ascii, bestPeer, bestPeerName }] of sizeRows.entries()) {
  const limit = index === 0 ? 1.25 : 2
  targetRows.push([
    `raw ≤ ${limit}x native, ${label}`,
    `${fixed(raw)}x`,
    raw <= limit ? 'met' : `missed by ${fixed(100 * (raw / limit - 1), 0)} %`,
  ])
  targetRows.push([
    `ascii ≤ 1.3x raw, ${label}`,
    `${fixed(ascii / raw)}x`,
    ascii / raw <= 1.3 ? 'met' : `missed by ${fixed(100 * (ascii / raw / 1.3 - 1), 0)} %`,
  ])
  targetRows.push([
    `raw faster than every peer, ${label}`,
    `${fixed(raw)}x vs ${fixed(bestPeer)}x (${bestPeerName})`,
    raw < bestPeer ? 'met' : `missed: ${fixed(100 * (raw / bestPeer - 1), 0)} % slower`,
  ])
}
if (signing) {
  const get = (prefix) => signing.find(({ name }) => name.startsWith(prefix)).opsPerSecond
  const share = get('pipeline') / get('bare viem account')
  targetRows.push([
    'pipeline ≥ 95 % of bare signMessage throughput',
    `${fixed(100 * share, 1)} %`,
    share >= 0.95 ? 'met' : `missed by ${fixed(100 * (0.95 - share), 1)} points`,
  ])
}
const oursDepth = depths.find(({ name }) => name === rawName)
targetRows.push([
  'survives 200,000 levels of nesting',
  oursDepth.capped ? 'yes' : thousands(oursDepth.depth),
  oursDepth.capped ? 'met' : 'missed',
])
const count = (predicate) => classRatios.filter(predicate).length
const worst = (key) => classRatios.reduce((a, b) => ((b[key] ?? 0) > (a[key] ?? 0) ? b : a))
const classTarget = (label, key, limit, strict) => {
  const missed = count(
    (row) => row[key] !== undefined && (strict ? row[key] >= limit : row[key] > limit),
  )
  const top = worst(key)
  targetRows.push([
    `${label}, every input class (${classRatios.length} class/size rows)`,
    `worst ${fixed(top[key])}x (${top.name})`,
    missed === 0
      ? 'met'
      : `missed in ${missed} of ${classRatios.length} rows, worst by ${fixed(100 * (top[key] / limit - 1), 0)} %`,
  ])
}
classTarget('raw faster than the best peer', 'raw', 1, true)
if (exactWalk) classTarget('exact walk no slower than the best peer', 'exact', 1, false)
classTarget('ascii ≤ 1.3x raw', 'ascii', 1.3, false)
table(['target', 'measured', 'result'], targetRows)

const notesFile = join(root, 'bench', 'notes.md')
if (existsSync(notesFile)) {
  line('## Notes')
  line()
  line(readFileSync(notesFile, 'utf8').trim())
  line()
}

const markdown = `${lines.join('\n').trim()}\n`
if (quick) process.stdout.write(markdown)
else {
  // The fault matrix (bench/fault-matrix.mjs) owns its own section: keep it.
  const file = join(root, 'BENCHMARKS.md')
  const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const faultMatrix = current.indexOf('## Fault matrix')
  writeFileSync(file, faultMatrix === -1 ? markdown : `${markdown}\n${current.slice(faultMatrix)}`)
  console.error('wrote BENCHMARKS.md')
}
