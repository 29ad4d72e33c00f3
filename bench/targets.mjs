#!/usr/bin/env node
// Issue 24's targets, measured as bench/check.mjs measures builds (bench/children.mjs: each
// contender in processes of its own per class, interleaved rounds, CPU time): canonical-json's raw
// form against every peer bench/run.mjs compares, its ascii form against its raw form, and one
// native scan of the text against raw (the ascii bound on long non-ASCII text is raw plus one
// native scan). Printed, not written.
//
//   node bench/targets.mjs [--class <text>[|<text>...]] [--rounds <n>] [--processes <n>]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { buildOf } from './builds.mjs'
import { interleavedRounds, quantile } from './children.mjs'
import { benchmarkCases } from './documents.mjs'

const args = process.argv.slice(2)
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const classFilter = option('--class')
const rounds = Number(option('--rounds') ?? 8)
const processes = Number(option('--processes') ?? 2)
const peers = [
  'canonicalize',
  'json-canonicalize',
  'json-stable-stringify',
  'safe-stable-stringify',
  'fast-json-stable-stringify',
  'ox',
]
const contenders = [
  { dist: buildOf(undefined).dist, forms: ['raw', 'ascii'] },
  ...peers.map((name) => ({ dist: `peer:${name}`, forms: ['raw'] })),
  { dist: 'peer:native-scan', forms: ['raw'] },
]
const scratch = mkdtempSync(join(tmpdir(), 'bench-targets-'))
const valuesFile = join(scratch, 'values.bin')
const fixed = (value) => value.toFixed(2)
const medianRatio = (a, b) =>
  quantile(
    a.map((time, round) => time / b[round]),
    0.5,
  )

console.log(
  `load average ${fixed(loadavg()[0])}; ${rounds} rounds over ${processes} processes per contender and class\n`,
)
console.log('| class | best peer | raw / best peer | ascii / raw | native scan / raw |')
console.log('| --- | --- | ---: | ---: | ---: |')
for (const { label, values } of benchmarkCases()) {
  if (classFilter !== undefined && !classFilter.split('|').some((part) => label.includes(part)))
    continue
  const built = values()
  if (built === undefined) continue
  writeFileSync(valuesFile, serialize(built))
  const { times } = await interleavedRounds(contenders, {
    valuesFile,
    rounds,
    processes,
    batchMs: 12,
    quick: false,
  })
  const raw = times[0].raw
  const againstPeers = peers.map((name, index) => ({
    name,
    ratio: medianRatio(raw, times[index + 1].raw),
  }))
  // The best peer is the fastest: the one raw's time is the largest multiple of.
  const best = againstPeers.reduce((a, b) => (b.ratio > a.ratio ? b : a))
  const ascii = medianRatio(times[0].ascii, raw)
  const scan = medianRatio(times.at(-1).raw, raw)
  console.log(
    `| ${label} | ${best.name} | ${fixed(best.ratio)}${best.ratio > 1 ? ' (missed)' : ''} | ${fixed(ascii)}${ascii > 1.3 ? ' (over 1.3)' : ''} | ${fixed(scan)} |`,
  )
}
console.log(`\nload average ${fixed(loadavg()[0])} at the end`)
rmSync(scratch, { recursive: true, force: true })
