#!/usr/bin/env node
// `pnpm bench`, second part: the jobs-client fault matrix at full size (FAULT_MATRIX_RUNS runs
// of client.run() per fault rate through a fault proxy in front of the sandbox), its figures
// written as a section of BENCHMARKS.md. CI runs the same test at 200 runs per rate.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeSection } from './section.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const runs = process.env.FAULT_MATRIX_RUNS ?? '1000'
const folder = mkdtempSync(join(tmpdir(), 'fault-matrix-'))
const report = join(folder, 'report.jsonl')
const started = Date.now()
const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', 'packages/jobs-client/src/faultMatrix.test.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FAULT_MATRIX_RUNS: runs, FAULT_MATRIX_REPORT: report },
  },
)
const seconds = ((Date.now() - started) / 1000).toFixed(0)
const rows = readFileSync(report, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))
  .sort((a, b) => a.rate - b.rate)
rmSync(folder, { recursive: true, force: true })

const sum = (record) => Object.values(record ?? {}).reduce((total, count) => total + count, 0)
const section = [
  '## Fault matrix',
  '',
  `\`client.run()\` of ${runs} social-share jobs per fault rate, 8 clients at once, through`,
  '`createFaultProxy` in front of the in-process sandbox (lost before and after the server handled',
  'the request, answers later than the timeout, 500, 502, 503, 429 with `Retry-After`), checked',
  `against the sandbox's record (${seconds} s in all; \`packages/jobs-client/src/faultMatrix.test.ts\`).`,
  '',
  '| fault rate | runs | verified | other outcomes | threw | faults injected | doubled submissions | outcome differs from record | left to lapse | adopted | resubmitted |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((row) => {
    const others = Object.entries(row.outcomes)
      .filter(([outcome]) => outcome !== 'verified')
      .map(([outcome, count]) => `${outcome} ${count}`)
    return `| ${row.rate * 100} % | ${row.runs} | ${row.outcomes.verified ?? 0} | ${others.join(', ') || '0'} | ${row.threw} | ${sum(row.faults)} | ${row.doubled} | ${row.mismatched.length} | ${row.lapsed.length} | ${row.recoveries.adopt ?? 0} | ${row.recoveries.resubmit ?? 0} |`
  }),
  '',
]
writeSection(join(root, 'BENCHMARKS.md'), section)
console.error(
  `wrote the fault matrix to BENCHMARKS.md (${result.status === 0 ? 'passed' : 'FAILED'})`,
)
process.exit(result.status ?? 1)
