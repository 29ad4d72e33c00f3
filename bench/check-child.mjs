// One measurement of bench/check.mjs, in a process of its own: one build of canonical-json on one
// class, both forms, nothing else loaded. The class's values come from a file the parent wrote
// with `v8.serialize` (generating the larger classes costs more than measuring them). Prints one
// JSON line: per form, the median CPU time per operation (ms) of its batches and a digest of its
// output.
//
//   node --expose-gc --single-threaded-gc bench/check-child.mjs <dist> <values file> <forms> [--quick]
//
// <forms> is `raw,ascii` or `ascii,raw`: the order the forms are measured in (the parent
// alternates it between rounds, the same for every build in a round).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { deserialize } from 'node:v8'

const [dist, valuesFile, forms] = process.argv.slice(2)
const quick = process.argv.includes('--quick')
/** Least CPU time of calls before timing: tiering up to optimized code, on one class only. */
const warmMs = quick ? 100 : 150
const batchMs = quick ? 10 : 20
const batches = quick ? 3 : 5

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]

const { canonicalize } = await import(pathToFileURL(join(dist, 'index.js')).href)
const values = deserialize(readFileSync(valuesFile))
const result = {}
for (const form of forms.split(',')) {
  const options = { ascii: form === 'ascii' }
  const run = () => {
    for (const value of values) canonicalize(value, options)
  }
  // Garbage from reading the values (or from the other form) is not collected in this form's time.
  globalThis.gc?.()
  const digest = createHash('sha256')
  for (const value of values) digest.update(canonicalize(value, options)).update('\n')
  let calls = 0
  const warmStart = cpuMs()
  while (calls < 3 || cpuMs() - warmStart < warmMs) {
    run()
    calls++
  }
  const perCall = (cpuMs() - warmStart) / calls
  const count = Math.max(1, Math.round(batchMs / perCall))
  const times = []
  for (let batch = 0; batch < batches; batch++) {
    const started = cpuMs()
    for (let i = 0; i < count; i++) run()
    times.push((cpuMs() - started) / count)
  }
  result[form] = { ms: median(times), digest: digest.digest('hex') }
}
console.log(JSON.stringify(result))
