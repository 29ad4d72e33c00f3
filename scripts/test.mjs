#!/usr/bin/env node
// `pnpm test`: every check of the repository, in two stages. First, side by side: lint |
// typecheck (one program over every package) | the vector checkers, then the TSDoc and
// import-circle checks | the packages' build and the docs site's build (from the sources), then
// quality (publint, attw, size) beside the docs site test (it runs snippets against the built
// packages). None of these parts has a deadline of seconds.
// Then the vitest run (its output shown live), alone: its end-to-end scenarios give sessions and
// reservations lifetimes of seconds, and anything beside them on two cores makes them miss those
// (measured: the docs checks beside the tests, even at a lower CPU priority, saved 10 s of 600 and
// starved a five-second session in CI). Exits 1 when any part failed, with a table of each part's
// time.
//
// Usage: node scripts/test.mjs
import { spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** What each part ran, its exit code and how long it took, in the order they ended. */
const results = []

/**
 * Runs `pnpm run <script>` and resolves with its exit code. Its output goes to this process's
 * output as it comes when `live`, else it is kept and printed in one piece when the script ends
 * (so that parts running side by side do not interleave their lines).
 */
function runScript(script, { live = false } = {}) {
  const started = performance.now()
  const child = spawn('pnpm', ['run', script], {
    cwd: root,
    stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  })
  const output = []
  child.stdout?.on('data', (chunk) => output.push(chunk))
  child.stderr?.on('data', (chunk) => output.push(chunk))
  return new Promise((resolvePromise) => {
    const finish = (code) => {
      const seconds = (performance.now() - started) / 1000
      results.push({ script, code, seconds })
      if (!live) process.stdout.write(Buffer.concat(output))
      console.log(
        `\n[test] ${script}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s\n`,
      )
      resolvePromise(code)
    }
    child.on('error', (error) => {
      output.push(Buffer.from(`${error.message}\n`))
      finish(1)
    })
    child.on('close', (code, signal) => finish(code ?? (signal ? 1 : 0)))
  })
}

/** Runs scripts one after the other, stopping at the first that fails; resolves with its code. */
async function inOrder(scripts, options) {
  for (const script of scripts) {
    const code = await runScript(script, options)
    if (code !== 0) return code
  }
  return 0
}

const started = performance.now()
const passed = (codes) => codes.every((code) => code === 0)

/**
 * Builds the packages beside the docs site (which reads the sources), then runs what reads both
 * builds side by side; resolves with a failing code if any.
 */
async function buildsThenChecks() {
  const builds = await Promise.all([runScript('build'), runScript('docs:build')])
  const failed = builds.find((code) => code !== 0)
  if (failed !== undefined) return failed
  const codes = await Promise.all([runScript('quality'), runScript('docs:test')])
  return codes.find((code) => code !== 0) ?? 0
}

const firstStage = await Promise.all([
  runScript('lint'),
  runScript('typecheck'),
  inOrder(['vectors:check', 'tsdoc:check', 'circles:check']),
  buildsThenChecks(),
])
const secondStage = passed(firstStage) ? [await runScript('test:unit', { live: true })] : []

console.log('[test] part             time  result')
for (const { script, code, seconds } of results)
  console.log(
    `[test] ${script.padEnd(15)} ${seconds.toFixed(0).padStart(4)} s  ${code === 0 ? 'passed' : 'FAILED'}`,
  )
const total = (performance.now() - started) / 1000
const ok = passed(firstStage) && passed(secondStage)
console.log(`[test] all parts ${ok ? 'passed' : 'did not pass'} in ${total.toFixed(0)} s`)
process.exitCode = ok ? 0 : 1
