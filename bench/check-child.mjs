// One build of canonical-json on one class, in a process of its own, for bench/check.mjs: nothing
// else is loaded, so no other build's code or other class's shapes share its inline caches and
// optimized code. The class's values come from a file the parent wrote with `v8.serialize`
// (generating the larger classes costs more than measuring them).
//
//   node --expose-gc --single-threaded-gc bench/check-child.mjs <dist> <values file> [--quick] [--batch-ms <ms>]
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

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

const { canonicalize } = await import(pathToFileURL(join(dist, 'index.js')).href)
const values = deserialize(readFileSync(valuesFile))
const forms = {
  raw: { options: { ascii: false } },
  ascii: { options: { ascii: true } },
}
const digests = {}
for (const [form, entry] of Object.entries(forms)) {
  entry.run = () => {
    for (const value of values) canonicalize(value, entry.options)
  }
  const digest = createHash('sha256')
  for (const value of values) digest.update(canonicalize(value, entry.options)).update('\n')
  digests[form] = digest.digest('hex')
}
// Garbage from reading the values is not collected in the first batch's time.
globalThis.gc?.()
// Both forms warmed in alternation, as they are then timed: each form's code sees the other's.
const spent = { raw: 0, ascii: 0 }
const calls = { raw: 0, ascii: 0 }
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
  for (const form of message.forms) {
    const { run, count } = forms[form]
    const started = cpuMs()
    for (let i = 0; i < count; i++) run()
    ms[form] = (cpuMs() - started) / count
  }
  process.send({ ms })
})
