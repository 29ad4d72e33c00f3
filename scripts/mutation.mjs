#!/usr/bin/env node
// Mutation testing (StrykerJS with its vitest runner): mutates each package of mutation/targets.mjs,
// runs that package's own tests against every mutant, and writes the scores into QUALITY.md.
//
// Each run is incremental (mutation/.cache/, gitignored): a mutant whose code and covering tests
// did not change keeps its earlier result. mutation/scores.json keeps the last result of every
// package, so running one package rewrites its row and leaves the others'. A surviving mutant is
// either killed by a new test or explained in mutation/equivalent.json (why no test can tell it
// from the original); QUALITY.md lists every survivor with its explanation or as unexplained.
//
// Usage: node scripts/mutation.mjs [package ...]   (default: every target, in the order of targets.mjs)
//        node scripts/mutation.mjs --report         (rewrite QUALITY.md from mutation/scores.json)
//        node scripts/mutation.mjs --retest [package ...]
//          (test every undetected mutant again: Stryker's incremental mode reuses the result of a
//          static mutant, one in code run at import, even when new tests were added since)
//        node scripts/mutation.mjs message-builder -- --mutate 'packages/message-builder/src/rules.ts'
//          (options after -- go to `stryker run`: here a part of the package; QUALITY.md names the
//          files each row covers)
// Environment: FC_NUM_RUNS (property runs per fast-check property, default 20 here).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { targets } from '../mutation/targets.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const scoresFile = join(root, 'mutation/scores.json')
const equivalentFile = join(root, 'mutation/equivalent.json')
const qualityFile = join(root, 'QUALITY.md')
/** Packages whose score must reach this, survivors explained; the others are reported only. */
const strictTargets = { 'canonical-json': 90, 'message-builder': 90 }
const undetected = ['Survived', 'NoCoverage']

const separator = process.argv.indexOf('--')
const args = separator < 0 ? process.argv.slice(2) : process.argv.slice(2, separator)
const strykerArgs = separator < 0 ? [] : process.argv.slice(separator + 1)
const reportOnly = args.includes('--report')
const retest = args.includes('--retest')
const requested = args.filter((arg) => !arg.startsWith('--'))
const unknown = requested.filter((name) => !(name in targets))
if (unknown.length > 0) {
  console.error(`unknown package ${unknown.join(', ')}; known: ${Object.keys(targets).join(', ')}`)
  process.exit(2)
}

const scores = readJson(scoresFile, {})
if (!reportOnly) {
  for (const name of requested.length > 0 ? requested : Object.keys(targets)) {
    console.log(`\n== mutation testing ${name}`)
    if (retest) forgetUndetected(join(root, `mutation/.cache/${name}.incremental.json`))
    const run = spawnSync(
      'npx',
      ['stryker', 'run', 'mutation/stryker.config.mjs', ...strykerArgs],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          MUTATION_TARGET: name,
          FC_NUM_RUNS: process.env.FC_NUM_RUNS ?? '20',
        },
      },
    )
    if (run.status !== 0) {
      console.error(
        `stryker failed for ${name} (exit ${run.status}); QUALITY.md keeps its last row`,
      )
      process.exitCode = 1
      continue
    }
    // Read again before writing: another package may have finished meanwhile (runs in parallel).
    Object.assign(scores, readJson(scoresFile, {}), {
      [name]: summarize(
        name,
        readJson(join(root, `mutation/.cache/${name}.report.json`)),
        strykerArgs.includes('--mutate') || strykerArgs.includes('-m'),
      ),
    })
    writeFileSync(scoresFile, `${JSON.stringify(scores, null, 2)}\n`)
    spawnSync('npx', ['biome', 'format', '--write', scoresFile], { cwd: root, stdio: 'ignore' })
  }
}

const equivalents = readJson(equivalentFile, [])
writeFileSync(qualityFile, render(scores, equivalents))
for (const [name, score] of Object.entries(scores)) {
  const { unexplained, percent } = judge(name, score, equivalents)
  const floor = strictTargets[name]
  const verdict =
    floor === undefined
      ? ''
      : percent < floor
        ? ` (below the ${floor} % target)`
        : unexplained.length > 0
          ? ' (survivors to kill or explain)'
          : ' (ok)'
  console.log(
    `${name}: ${percent.toFixed(1)} %, ${unexplained.length} unexplained survivor(s)${verdict}`,
  )
}

/** Drops the undetected mutants from an incremental report, so that the next run tests them. */
function forgetUndetected(file) {
  const report = readJson(file, null)
  if (report === null) return
  for (const entry of Object.values(report.files))
    entry.mutants = entry.mutants.filter((mutant) => !undetected.includes(mutant.status))
  writeFileSync(file, JSON.stringify(report))
}

/**
 * The counts and the undetected mutants of one Stryker JSON report. A whole-package run also names
 * the package's files Stryker found nothing to mutate in (types and re-exports only).
 */
function summarize(name, report, partial) {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, errors: 0 }
  const survivors = []
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n')
    for (const mutant of mutants) {
      if (mutant.status in counts) counts[mutant.status] += 1
      else counts.errors += 1
      if (!undetected.includes(mutant.status)) continue
      survivors.push({
        file,
        line: mutant.location.start.line,
        status: mutant.status,
        mutator: mutant.mutatorName,
        original: sourceAt(lines, mutant.location),
        replacement: mutant.replacement ?? '',
      })
    }
  }
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
  const files = Object.keys(report.files).sort()
  const withoutMutants = partial
    ? []
    : sourceFiles(name)
        .filter((file) => !files.includes(file))
        .sort()
  return { date: new Date().toISOString().slice(0, 10), files, withoutMutants, counts, survivors }
}

/** The text between a Stryker location's start and end (lines and columns 1-based). */
function sourceAt(lines, { start, end }) {
  const picked = lines.slice(start.line - 1, end.line)
  picked[picked.length - 1] = picked[picked.length - 1].slice(0, end.column - 1)
  picked[0] = picked[0].slice(start.column - 1)
  return picked.join('\n')
}

/** The score of one package and its survivors that no equivalence explains. */
function judge(name, score, equivalents) {
  const { Killed, Timeout, Survived, NoCoverage } = score.counts
  const valid = Killed + Timeout + Survived + NoCoverage
  const percent = valid === 0 ? 100 : (100 * (Killed + Timeout)) / valid
  const unexplained = score.survivors.filter(
    (mutant) => explanationOf(name, mutant, equivalents) === undefined,
  )
  return { percent, unexplained, valid }
}

/** The equivalence that explains a survivor: same package, file, mutated text and replacement. */
function explanationOf(name, mutant, equivalents) {
  return equivalents.find(
    (entry) =>
      entry.package === name &&
      entry.file === mutant.file &&
      entry.original === mutant.original &&
      entry.replacement === mutant.replacement,
  )
}

function render(unordered, equivalents) {
  const scores = Object.fromEntries(
    Object.keys(targets)
      .filter((name) => name in unordered)
      .map((name) => [name, unordered[name]]),
  )
  const rows = Object.entries(scores).map(([name, score]) => {
    const { percent, unexplained, valid } = judge(name, score, equivalents)
    const { Killed, Timeout, Survived, NoCoverage } = score.counts
    const explained = score.survivors.length - unexplained.length
    const floor = strictTargets[name] === undefined ? 'reported' : `≥ ${strictTargets[name]} %`
    const scope = `${score.files.length + (score.withoutMutants ?? []).length} of ${sourceFiles(name).length}`
    return `| ${name} | ${scope} | ${valid} | ${Killed} | ${Timeout} | ${Survived} | ${NoCoverage} | ${explained} | **${percent.toFixed(1)} %** | ${floor} | ${score.date} |`
  })
  const sections = Object.entries(scores).map(([name, score]) => {
    const short = (files) =>
      files.map((file) => `\`${file.replace(/^packages\/[^/]+\/src\//, '')}\``).join(', ')
    const empty = score.withoutMutants ?? []
    const left = sourceFiles(name).filter(
      (file) => !score.files.includes(file) && !empty.includes(file),
    )
    const mutated = [
      `Mutated files: ${short(score.files)}.`,
      ...(empty.length > 0 ? [`Nothing to mutate (types and re-exports): ${short(empty)}.`] : []),
      ...(left.length > 0
        ? [`**Not measured** (the last run covered part of the package): ${short(left)}.`]
        : []),
    ].join(' ')
    if (score.survivors.length === 0) return `### ${name}\n\n${mutated} Every mutant is detected.\n`
    const items = score.survivors.map((mutant) => {
      const where = `\`${mutant.file}:${mutant.line}\` ${mutant.mutator} (${mutant.status === 'NoCoverage' ? 'no coverage' : 'survived'}): ${code(mutant.original)} → ${code(mutant.replacement)}`
      const entry = explanationOf(name, mutant, equivalents)
      return `- ${where}\n  ${entry === undefined ? '**Not explained yet.**' : `Equivalent: ${entry.reason}`}`
    })
    const list = items.join('\n')
    const body =
      strictTargets[name] === undefined
        ? `<details><summary>${score.survivors.length} undetected mutants</summary>\n\n${list}\n\n</details>`
        : list
    return `### ${name}\n\n${mutated}\n\n${body}\n`
  })
  return `# Quality

Our tests judge whether we may ship, so they are judged too: [StrykerJS](https://stryker-mutator.io)
changes the code of a package one small edit at a time (a mutant: \`<\` for \`<=\`, a condition
forced to \`true\`, a string emptied) and runs that package's own tests against each. A mutant the
tests fail on is **killed** (or **timed out**: it looped); one they pass is **survived**; one no
test even runs is **no coverage**. The score is killed and timed out over all four.

\`pnpm mutation\` (\`node scripts/mutation.mjs [package ...]\`) runs it and rewrites this file; it is
too slow for \`pnpm test\`. Packages, mutated files and their tests are in
[\`mutation/targets.mjs\`](mutation/targets.mjs). canonical-json and message-builder must reach 90 %,
and each of their surviving mutants is either killed by a new test or explained below as
equivalent (no test can tell it from the original), from
[\`mutation/equivalent.json\`](mutation/equivalent.json). The conformance judges (\`cases.ts\`,
\`judgeScenario.ts\`, \`checkClient.ts\`, \`checkServer.ts\`) are reported; their mutants are judged by
the package's in-process tests only (its check-can-fail suites start real clients, adapters and
servers: minutes for each mutant).

A row covers the files its section below names (\`files mutated\`: of the package's files that
\`mutation/targets.mjs\` lets Stryker mutate); a run on part of a package
(\`node scripts/mutation.mjs <package> -- --mutate <files>\`) replaces its row.

## Mutation scores

| package | files mutated | mutants | killed | timed out | survived | no coverage | equivalent | score | target | run |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
${rows.join('\n')}

## Undetected mutants

${sections.join('\n')}`
}

/** The files a full run of a package mutates: its `mutate` globs, tests and fuzz files left out. */
function sourceFiles(name) {
  const [first] = targets[name].mutate
  if (!first.includes('*')) return targets[name].mutate
  const dir = first.slice(0, first.indexOf('*'))
  return readdirSync(join(root, dir), { recursive: true })
    .filter((file) => file.endsWith('.ts') && !/\.(test|fuzz|d)\.ts$/.test(file))
    .map((file) => join(dir, file))
}

/** Inline code that survives backticks and newlines inside the snippet, shortened past 80 characters. */
function code(text) {
  const flat = text.replace(/\s+/g, ' ').trim()
  const short = flat.length > 80 ? `${flat.slice(0, 77)}...` : flat
  if (short === '') return '(empty)'
  const fence = short.includes('`') ? '``' : '`'
  return `${fence}${fence === '``' ? ' ' : ''}${short}${fence === '``' ? ' ' : ''}${fence}`
}

function readJson(file, fallback) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    if (fallback !== undefined && error.code === 'ENOENT') return fallback
    throw error
  }
}
