#!/usr/bin/env node
// `pnpm bench:check [ref ...]`: canonical-json's working tree against earlier builds, on every
// input class of bench/documents.mjs, in one process. A benchmark, not a test: run it before every
// speed change and paste its table into the change's note.
//
// Each ref (default: the latest changeset release, the last commit that wrote the package's
// CHANGELOG.md) and the working tree's sources are compiled side by side (bench/builds.mjs). On
// every class and in both forms (raw, ascii), the builds run in interleaved rounds: each round
// runs each build for a batch of calls, in an order that alternates from round to round, timed by
// the process's CPU time (on a shared machine wall time counts the waits for a core). Per round,
// the working tree's time is divided by each baseline's; the verdict is the median of those
// ratios. A row more than 5 % slower is measured again with twice the rounds, and the second
// measurement decides. Exit code 1 when any row is still more than 5 % slower or any output
// differs.
//
//   node --expose-gc --single-threaded-gc bench/check.mjs [ref ...] [--quick] [--class <text>] [--write]
//
// --write puts the table into BENCHMARKS.md as its own section (bench/section.mjs).
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { buildOf, latestReleaseCommit, load, root } from './builds.mjs'
import { classSizes, corpusClasses, inputClasses } from './documents.mjs'
import { writeSection } from './section.mjs'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const write = args.includes('--write')
const classFilter = args.includes('--class') ? args[args.indexOf('--class') + 1] : undefined
const refs = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--class')
const tolerance = 1.05
const rounds = quick ? 5 : 15
const batchMs = quick ? 8 : 20

const baselines = (refs.length > 0 ? refs : [latestReleaseCommit()]).map((ref) => buildOf(ref))
const working = buildOf(undefined)
const modules = [await load(working), ...(await Promise.all(baselines.map(load)))]
const names = ['working tree', ...baselines.map(({ label }) => label)]

/**
 * Every class: a label and a function that builds the values one operation canonicalizes, each on
 * its own. Built one class at a time, so that the heap holds one class while it is measured.
 */
function cases() {
  const all = []
  for (const [label, build] of inputClasses)
    for (const [sizeLabel, bytes] of classSizes)
      all.push({
        label: `${label}, ${sizeLabel}`,
        values: () => {
          const document = build(bytes)
          return document === undefined ? [] : [document]
        },
      })
  for (const [label, build] of corpusClasses) all.push({ label, values: build })
  return all.filter(({ label }) => classFilter === undefined || label.includes(classFilter))
}

function cpuMs() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Calls per batch so that one batch of `run` takes about `batchMs`. */
function batchSize(run) {
  for (let count = 1; ; count *= 2) {
    const started = cpuMs()
    for (let i = 0; i < count; i++) run()
    const elapsed = cpuMs() - started
    if (elapsed >= batchMs / 4) return Math.max(1, Math.round((count * batchMs) / elapsed))
  }
}

/**
 * Per function, its median time per call (ms) and, against the first, the median of its per-round
 * ratios `first / it` (the working tree's time over the baseline's).
 */
function measure(functions, roundCount) {
  const counts = functions.map(batchSize)
  const times = functions.map(() => [])
  for (let round = -1; round < roundCount; round++) {
    const order = functions.map((_, index) => index)
    if (round % 2 !== 0) order.reverse()
    for (const index of order) {
      const run = functions[index]
      // Each batch starts on a clean heap: garbage one build leaves is not collected in another's
      // time (with --single-threaded-gc, so that no helper thread sweeps during the next batch).
      globalThis.gc?.()
      const started = cpuMs()
      for (let i = 0; i < counts[index]; i++) run()
      if (round >= 0) times[index].push((cpuMs() - started) / counts[index])
    }
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]
  return times.map((list) => ({
    ms: median(list),
    ratio: median(times[0].map((first, round) => first / list[round])),
  }))
}

const rows = []
let failed = false
console.error(
  `canonical-json, working tree against ${baselines.map(({ label }) => label).join(', ')}; load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
)
for (const { label, values: build } of cases()) {
  const values = build()
  if (values.length === 0) continue
  for (const ascii of [false, true]) {
    const options = { ascii }
    const outputs = modules.map(({ canonicalize }) =>
      values.map((value) => canonicalize(value, options)).join('\n'),
    )
    const functions = modules.map(({ canonicalize }) => () => {
      for (const value of values) canonicalize(value, options)
    })
    let results = measure(functions, rounds)
    let remeasured = false
    if (results.slice(1).some(({ ratio }) => ratio > tolerance)) {
      results = measure(functions, rounds * 2)
      remeasured = true
    }
    const row = {
      label: `${label} (${ascii ? 'ascii' : 'raw'})`,
      ms: results[0].ms,
      against: results.slice(1).map(({ ratio }, index) => ({
        ratio,
        sameOutput: outputs[index + 1] === outputs[0],
      })),
      remeasured,
    }
    const slower = row.against.some(({ ratio, sameOutput }) => ratio > tolerance || !sameOutput)
    failed ||= slower
    rows.push(row)
    console.error(
      `${row.label}: ${row.against.map(({ ratio }) => ratio.toFixed(3)).join(' ')}${remeasured ? ' (measured again)' : ''}${slower ? '  SLOWER' : ''}`,
    )
  }
}

const fixed = (value) => value.toFixed(2)
const lines = [
  `| class (form) | working tree, ms | ${names
    .slice(1)
    .map((name) => `working / ${name}`)
    .join(' | ')} |`,
  `| --- | ---: | ${names
    .slice(1)
    .map(() => '---:')
    .join(' | ')} |`,
  ...rows.map(
    ({ label, ms, against, remeasured }) =>
      `| ${label}${remeasured ? ' †' : ''} | ${ms.toFixed(3)} | ${against
        .map(
          ({ ratio, sameOutput }) =>
            `${fixed(ratio)}${ratio > tolerance ? ' (slower)' : ''}${sameOutput ? '' : ' (different output)'}`,
        )
        .join(' | ')} |`,
  ),
]
const note = `Medians of ${rounds} interleaved rounds of per-round CPU-time ratios (below 1.00: the working tree is faster); † measured again with ${rounds * 2} rounds. Node.js ${process.version}, load average ${loadavg()[0].toFixed(2)} at the end.`
console.log(`${lines.join('\n')}\n\n${note}`)
if (write)
  writeSection(join(root, 'BENCHMARKS.md'), [
    '## Canonical JSON against earlier builds',
    '',
    `Written by \`pnpm bench:check ${refs.join(' ')}\`${classFilter ? ` (classes matching "${classFilter}")` : ''} on ${new Date().toISOString().slice(0, 10)}: the working tree's canonical-json against earlier builds of it, compiled side by side and run in one process (bench/check.mjs).`,
    '',
    ...lines,
    '',
    note,
    '',
  ])
if (failed) {
  console.error(
    `bench:check: a class is more than ${Math.round((tolerance - 1) * 100)} % slower, or its output differs`,
  )
  process.exitCode = 1
}
