#!/usr/bin/env node
// Instructions per call of canonical-json builds, counted by valgrind's callgrind: a measure the
// machine's load does not move (timings on a shared 2-core machine move by tens of percent).
//
//   node bench/instructions.mjs [ref ...] [--class <text>] [--calls <n>] [--warm <n>]
//
// For the working tree and each ref (bench/builds.mjs), for each class whose label contains
// <text> (default: the corpus classes and the ~50 KB documents) and each form, node runs under
// callgrind twice: `warm` operations, then `warm + calls`. The difference of the two totals over
// `calls` is what one operation costs once warm, start-up and the first compilations cancelled.
// Node runs with --single-threaded (no background compiler or GC threads) and --expose-gc (a full
// GC before counting stops, so neither run leaves garbage unpaid for).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildOf, latestReleaseCommit } from './builds.mjs'
import { benchmarkCases, corpusClasses } from './documents.mjs'

const args = process.argv.slice(2)
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)

if (args[0] === '--child') {
  // node bench/instructions.mjs --child <dist> <label> <ascii> <operations>
  const [, dist, label, ascii, operations] = args
  const { canonicalize } = await import(pathToFileURL(join(dist, 'index.js')).href)
  const values = benchmarkCases()
    .find((entry) => entry.label === label)
    .values()
  const options = { ascii: ascii === 'true' }
  for (let i = 0; i < Number(operations); i++)
    for (const value of values) canonicalize(value, options)
  globalThis.gc()
} else {
  const classFilter = option('--class')
  const calls = Number(option('--calls') ?? 4)
  const warm = Number(option('--warm') ?? 2)
  const refs = args.filter(
    (arg, index) =>
      !arg.startsWith('--') && !['--class', '--calls', '--warm'].includes(args[index - 1]),
  )
  const builds = [
    buildOf(undefined),
    ...(refs.length > 0 ? refs : [latestReleaseCommit()]).map(buildOf),
  ]
  const selected = benchmarkCases().filter(({ label, values }) =>
    classFilter === undefined
      ? corpusClasses.some(([name]) => name === label) || label.endsWith('~50 KB')
      : label.includes(classFilter) && values() !== undefined,
  )
  const scratch = mkdtempSync(join(tmpdir(), 'callgrind-'))
  const self = fileURLToPath(import.meta.url)
  /** Total instructions (Ir) of one run of the child under callgrind. */
  const count = (dist, label, ascii, operations) => {
    const out = join(scratch, 'callgrind.out')
    execFileSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--smc-check=all-non-file',
        `--callgrind-out-file=${out}`,
        process.execPath,
        '--single-threaded',
        '--expose-gc',
        self,
        '--child',
        dist,
        label,
        String(ascii),
        String(operations),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const totals = /^(?:summary|totals): (\d+)/m.exec(readFileSync(out, 'utf8'))
    rmSync(out)
    return Number(totals[1])
  }
  const header = ['class (form)', ...builds.map(({ label }) => `${label}, M instr/op`)]
  console.log(`| ${header.join(' | ')} |\n| --- | ${builds.map(() => '---:').join(' | ')} |`)
  for (const { label } of selected)
    for (const ascii of [false, true]) {
      const perOperation = builds.map(
        ({ dist }) =>
          (count(dist, label, ascii, warm + calls) - count(dist, label, ascii, warm)) / calls / 1e6,
      )
      const cells = perOperation.map((value, index) =>
        index === 0
          ? value.toFixed(2)
          : `${value.toFixed(2)} (working ${(perOperation[0] / value).toFixed(2)}x)`,
      )
      console.log(`| ${label} (${ascii ? 'ascii' : 'raw'}) | ${cells.join(' | ')} |`)
    }
  rmSync(scratch, { recursive: true, force: true })
}
