#!/usr/bin/env node
// `pnpm bench:check [ref ...]`: canonical-json's working tree against earlier builds, on every
// input class of bench/documents.mjs. A benchmark, not a test: run it before every speed change and
// paste its table into the change's note.
//
// Each ref (default: the latest changeset release, the last commit that wrote the package's
// CHANGELOG.md) and the working tree's sources are compiled side by side (bench/builds.mjs).
// Every measurement runs in a fresh child process that loads one build and one class's values
// (bench/check-child.mjs, the values generated once here and passed as a `v8.serialize` file): warmed up on that class alone, then timed by CPU time in batches (on a
// shared machine wall time counts the waits for a core). Builds sharing one process measured each
// other: V8's state (inline caches gone megamorphic on the classes before, optimized code thrown
// away by a garbage collection that freed a map it embeds, recompilation waiting for a busy core)
// decided rows by up to 10x, and decided them differently from run to run (bench/notes.md).
// On every class, the builds run in interleaved rounds: each round starts one child per build, in
// an order that alternates from round to round, and the order of the two forms (raw, ascii)
// alternates too, alike for every build in a round. Per round, the working tree's time is divided
// by each baseline's; the verdict is the median of those ratios, shown with their quartiles. A
// row more than 5 % slower is measured again with twice the rounds, and the second measurement
// decides. Exit code 1 when any row is still more than 5 % slower or any output differs.
//
//   node bench/check.mjs [ref ...] [--quick] [--class <text>] [--rounds <n>] [--write]
//
// --write puts the table into BENCHMARKS.md as its own section (bench/section.mjs).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { buildOf, latestReleaseCommit, root } from './builds.mjs'
import { benchmarkCases } from './documents.mjs'
import { writeSection } from './section.mjs'

const args = process.argv.slice(2)
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const quick = args.includes('--quick')
const write = args.includes('--write')
const classFilter = option('--class')
const refs = args.filter(
  (arg, index) => !arg.startsWith('--') && !['--class', '--rounds'].includes(args[index - 1]),
)
const tolerance = 1.05
const rounds = Number(option('--rounds') ?? (quick ? 3 : 7))

const baselines = (refs.length > 0 ? refs : [latestReleaseCommit()]).map((ref) => buildOf(ref))
const builds = [buildOf(undefined), ...baselines]
const names = builds.map(({ label }) => label)
const child = join(root, 'bench/check-child.mjs')
const forms = ['raw', 'ascii']

const scratch = mkdtempSync(join(tmpdir(), 'bench-check-'))
const valuesFile = join(scratch, 'values.bin')

/** One child's measurement of `build` on the values in `valuesFile`: per form, `{ ms, digest }`. */
function measureOnce(build, formOrder) {
  const output = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--single-threaded-gc',
      child,
      build.dist,
      valuesFile,
      formOrder.join(','),
      ...(quick ? ['--quick'] : []),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  )
  return JSON.parse(output)
}

const quantile = (list, q) => {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

/**
 * `roundCount` interleaved rounds of every build on the values in `valuesFile`: per form, the
 * working tree's median time per operation and, against each baseline, the median and quartiles
 * of the per-round ratios (working tree / baseline) and whether every output was the same.
 */
function measure(roundCount) {
  const times = forms.map(() => builds.map(() => []))
  const digests = forms.map(() => builds.map(() => new Set()))
  for (let round = 0; round < roundCount; round++) {
    const order = builds.map((_, index) => index)
    if (round % 2 === 1) order.reverse()
    const formOrder = Math.floor(round / 2) % 2 === 0 ? forms : [...forms].reverse()
    for (const index of order) {
      const result = measureOnce(builds[index], formOrder)
      forms.forEach((form, f) => {
        times[f][index].push(result[form].ms)
        digests[f][index].add(result[form].digest)
      })
    }
  }
  return forms.map((form, f) => ({
    form,
    ms: quantile(times[f][0], 0.5),
    against: baselines.map((_, b) => {
      const ratios = times[f][0].map((working, round) => working / times[f][b + 1][round])
      const [first] = digests[f][0]
      return {
        ratio: quantile(ratios, 0.5),
        low: quantile(ratios, 0.25),
        high: quantile(ratios, 0.75),
        sameOutput:
          digests[f][b + 1].size === 1 && digests[f][0].size === 1 && digests[f][b + 1].has(first),
      }
    }),
  }))
}

const slowerThanAllowed = ({ against }) =>
  against.some(({ ratio, sameOutput }) => ratio > tolerance || !sameOutput)

const started = Date.now()
const loadAtStart = loadavg()[0]
console.error(
  `canonical-json, working tree against ${baselines.map(({ label }) => label).join(', ')}; ${rounds} rounds, one child process per build, class and round; load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
)
const rows = []
for (const { label, values } of benchmarkCases()) {
  if (classFilter !== undefined && !label.includes(classFilter)) continue
  const built = values()
  if (built === undefined) continue
  writeFileSync(valuesFile, serialize(built))
  let results = measure(rounds)
  if (results.some(slowerThanAllowed)) {
    const again = measure(rounds * 2)
    // The second measurement decides the rows that failed; the others keep the first.
    results = results.map((first, f) =>
      slowerThanAllowed(first) ? { ...again[f], again: true } : first,
    )
  }
  for (const result of results) {
    const row = { label: `${label} (${result.form})`, ...result }
    rows.push(row)
    console.error(
      `${row.label}: ${row.against.map(({ ratio, low, high }) => `${ratio.toFixed(3)} (${low.toFixed(2)}-${high.toFixed(2)})`).join(' ')}${row.again ? ' (measured again)' : ''}${slowerThanAllowed(row) ? '  SLOWER' : ''}`,
    )
  }
}
rmSync(scratch, { recursive: true, force: true })
const failed = rows.some(slowerThanAllowed)

const fixed = (value) => value.toFixed(2)
const lines = [
  `| class (form) | working tree, ms | ${names
    .slice(1)
    .map((name) => `working / ${name} (quartiles)`)
    .join(' | ')} |`,
  `| --- | ---: | ${names
    .slice(1)
    .map(() => '---:')
    .join(' | ')} |`,
  ...rows.map(
    ({ label, ms, against, again }) =>
      `| ${label}${again ? ' †' : ''} | ${ms.toFixed(3)} | ${against
        .map(
          ({ ratio, low, high, sameOutput }) =>
            `${fixed(ratio)} (${fixed(low)}-${fixed(high)})${ratio > tolerance ? ' (slower)' : ''}${sameOutput ? '' : ' (different output)'}`,
        )
        .join(' | ')} |`,
  ),
]
const minutes = Math.round((Date.now() - started) / 60_000)
const note = `Medians of ${rounds} interleaved rounds of per-round CPU-time ratios, working tree / build (below 1.00: the working tree is faster), with the quartiles of those ratios; each build measured in a fresh process per class and round; † measured again with ${rounds * 2} rounds. Node.js ${process.version}, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end, ${minutes} min.`
console.log(`${lines.join('\n')}\n\n${note}`)
if (write)
  writeSection(join(root, 'BENCHMARKS.md'), [
    '## Canonical JSON against earlier builds',
    '',
    `Written by \`pnpm bench:check ${refs.join(' ')}\`${classFilter ? ` (classes matching "${classFilter}")` : ''} on ${new Date().toISOString().slice(0, 10)}: the working tree's canonical-json against earlier builds of it, compiled side by side, each measured in its own child process per class and round (bench/check.mjs).`,
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
