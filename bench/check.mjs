#!/usr/bin/env node
// `pnpm bench:check [ref ...]`: canonical-json's working tree against earlier builds, on every
// input class of bench/documents.mjs. A benchmark, not a test: run it before every speed change and
// paste its table into the change's note.
//
// Each ref (default: the latest changeset release, the last commit that wrote the package's
// CHANGELOG.md) and the working tree's sources are compiled side by side (bench/builds.mjs).
// On every class, each build runs in child processes of its own (three, one after another, the
// rounds spread over them) that load that build and that class alone (bench/check-child.mjs, the values generated once here and passed as a
// `v8.serialize` file) and warms both forms up. Builds that shared one process, with every class
// run one after another, measured each other and the classes before: V8's state (inline caches
// gone megamorphic on earlier classes, optimized code thrown away when a garbage collection freed
// a map it embeds, recompilation waiting for a busy core) moved rows by up to 10x, differently
// from run to run (bench/notes.md). The children's batches, timed by CPU time (on a shared machine
// wall time counts the waits for a core), run in interleaved rounds: two batches of each form per
// build and round, the builds in the order A B B A (reversed every other round), the forms in an
// order that alternates too, alike for every build in a round; only one child runs at a time. A
// round keeps each build's faster batch.
// Per round, the working tree's time is divided by each baseline's; the verdict is the median of
// those ratios, shown with their quartiles. A row more than 5 % slower is measured again with
// twice the rounds (fresh children), and the second measurement decides. Exit code 1 when any row
// is still more than 5 % slower or any output differs.
//
//   node bench/check.mjs [ref ...] [--quick] [--class <text>[|<text>...]] [--rounds <n>] [--write]
//
// --write puts the table into BENCHMARKS.md as its own section (bench/section.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { buildOf, latestReleaseCommit, root } from './builds.mjs'
import { interleavedRounds, quantile } from './children.mjs'
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
const rounds = Number(option('--rounds') ?? (quick ? 5 : 12))
/** Processes of each build per class, the rounds spread over them (see {@link measure}). */
const processesPerBuild = quick ? 1 : 3
/** CPU time of one batch; a round runs two per build and form (see {@link measure}). */
const batchMs = quick ? 5 : 12

const baselines = (refs.length > 0 ? refs : [latestReleaseCommit()]).map((ref) => buildOf(ref))
const builds = [buildOf(undefined), ...baselines]
const names = builds.map(({ label }) => label)
const forms = ['raw', 'ascii']

const scratch = mkdtempSync(join(tmpdir(), 'bench-check-'))
const valuesFile = join(scratch, 'values.bin')

/**
 * `roundCount` interleaved rounds of every build on the values in `valuesFile`
 * (bench/children.mjs): per form, the working tree's median time per operation and, against each
 * baseline, the median and quartiles of the per-round ratios (working tree / baseline) and
 * whether the outputs are the same.
 */
async function measure(roundCount) {
  const { times, digests } = await interleavedRounds(
    builds.map(({ dist }) => ({ dist, forms })),
    { valuesFile, rounds: roundCount, processes: processesPerBuild, batchMs, quick },
  )
  return forms.map((form) => ({
    form,
    ms: quantile(times[0][form], 0.5),
    against: baselines.map((_, b) => {
      const ratios = times[0][form].map((working, round) => working / times[b + 1][form][round])
      const [working] = digests[0][form]
      const theirs = digests[b + 1][form]
      return {
        ratio: quantile(ratios, 0.5),
        low: quantile(ratios, 0.25),
        high: quantile(ratios, 0.75),
        sameOutput: digests[0][form].size === 1 && theirs.size === 1 && theirs.has(working),
      }
    }),
  }))
}

const slowerThanAllowed = ({ against }) =>
  against.some(({ ratio, sameOutput }) => ratio > tolerance || !sameOutput)

const started = Date.now()
const loadAtStart = loadavg()[0]
console.error(
  `canonical-json, working tree against ${baselines.map(({ label }) => label).join(', ')}; ${rounds} rounds over ${processesPerBuild} processes per build and class; load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
)
const rows = []
for (const { label, values } of benchmarkCases()) {
  if (classFilter !== undefined && !classFilter.split('|').some((part) => label.includes(part)))
    continue
  const built = values()
  if (built === undefined) continue
  writeFileSync(valuesFile, serialize(built))
  let results = await measure(rounds)
  if (results.some(slowerThanAllowed)) {
    const again = await measure(rounds * 2)
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
const note = `Medians of ${rounds} interleaved rounds of per-round CPU-time ratios, working tree / build (below 1.00: the working tree is faster), with the quartiles of those ratios; each build in ${processesPerBuild} processes of its own per class, the rounds spread over them, each round the faster of two batches per build; † measured again with ${rounds * 2} rounds. Node.js ${process.version}, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end, ${minutes} min.`
console.log(`${lines.join('\n')}\n\n${note}`)
if (write)
  writeSection(join(root, 'BENCHMARKS.md'), [
    '## Canonical JSON against earlier builds',
    '',
    `Written by \`pnpm bench:check ${refs.join(' ')}\`${classFilter ? ` (classes matching "${classFilter}")` : ''} on ${new Date().toISOString().slice(0, 10)}: the working tree's canonical-json against earlier builds of it, compiled side by side, each in processes of its own per class (bench/check.mjs).`,
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
