// One build of canonical-json on one class, in a process of its own, for bench/check.mjs: nothing
// else is loaded, so no other build's code or other class's shapes share its inline caches and
// optimized code. The class's values come from a file the parent wrote with `v8.serialize`
// (generating the larger classes costs more than measuring them).
//
//   node --expose-gc --single-threaded-gc bench/check-child.mjs <dist> <values file> [--quick] [--batch-ms <ms>] [--forms raw,ascii]
//   <dist> may be `peer:<package>` instead: a peer canonicalizer (bench/targets.mjs), raw form only,
//   or `peer:native-scan`, one native pass over each value's JSON text.
//   (started by the parent with an IPC channel)
//
// Once loaded it warms both forms up (tiering up to optimized code) and sends, per form, a digest
// of its output. Then each message `{ forms: ['raw', 'ascii'] }` (either order) runs one timed
// batch per form in that order and answers, per form, the CPU time per operation in ms; the parent
// interleaves the builds' batches, one message per build and round. `{ exit: true }` ends it.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { deserialize } from 'node:v8'

const [dist, valuesFile] = process.argv.slice(2)
const quick = process.argv.includes('--quick')
/** Least CPU time of calls per form before timing. */
const warmMs = quick ? 60 : 150
/** CPU time of one timed batch (`--batch-ms`). */
const batchMs = process.argv.includes('--batch-ms')
  ? Number(process.argv[process.argv.indexOf('--batch-ms') + 1])
  : 25

/** A peer's canonicalizer by package name (bench/targets.mjs): the raw form only. */
async function peer(name) {
  if (name === 'native-scan') {
    // One native pass over the raw text (a regular expression that matches nothing in canonical
    // text): the floor of the ascii form's extra work. Each value's text is written once, first.
    const texts = new Map()
    const fullScan = /[\u0000-\u0008]/
    return (value) => {
      if (!texts.has(value)) texts.set(value, JSON.stringify(value))
      return fullScan.test(texts.get(value))
    }
  }
  const module = await import(name)
  if (name === 'json-canonicalize') return (value) => module.canonicalize(value)
  if (name === 'ox') return (value) => module.Json.canonicalize(value)
  return (value) => module.default(value)
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

const canonicalize = dist.startsWith('peer:')
  ? await peer(dist.slice('peer:'.length))
  : (await import(pathToFileURL(join(dist, 'index.js')).href)).canonicalize
const values = deserialize(readFileSync(valuesFile))
const formNames = process.argv.includes('--forms')
  ? process.argv[process.argv.indexOf('--forms') + 1].split(',')
  : ['raw', 'ascii']
const forms = Object.fromEntries(
  formNames.map((form) => [form, { options: { ascii: form === 'ascii' } }]),
)
const digests = {}
for (const [form, entry] of Object.entries(forms)) {
  entry.run = () => {
    for (const value of values) canonicalize(value, entry.options)
  }
  const digest = createHash('sha256')
  for (const value of values) digest.update(String(canonicalize(value, entry.options))).update('\n')
  digests[form] = digest.digest('hex')
}
// Garbage from reading the values is not collected in the first batch's time.
globalThis.gc?.()
// Both forms warmed in alternation, as they are then timed: each form's code sees the other's.
const spent = Object.fromEntries(formNames.map((form) => [form, 0]))
const calls = Object.fromEntries(formNames.map((form) => [form, 0]))
while (Object.keys(forms).some((form) => spent[form] < warmMs || calls[form] < 3))
  for (const [form, { run }] of Object.entries(forms)) {
    const started = cpuMs()
    run()
    spent[form] += cpuMs() - started
    calls[form]++
  }
for (const [form, entry] of Object.entries(forms))
  entry.count = Math.max(1, Math.round((batchMs * calls[form]) / spent[form]))
process.send({ digests })

process.on('message', (message) => {
  if (message.exit) {
    process.disconnect()
    return
  }
  const ms = {}
  for (const form of message.forms.filter((name) => name in forms)) {
    const { run, count } = forms[form]
    const started = cpuMs()
    for (let i = 0; i < count; i++) run()
    ms[form] = (cpuMs() - started) / count
  }
  process.send({ ms })
})
