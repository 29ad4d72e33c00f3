#!/usr/bin/env node
// Package quality of built packages: `publint --strict`, `attw --pack --profile esm-only` and the
// size budget (scripts/size.mjs). Run after `pnpm build`.
//
// attw profile: every package is ESM only ("type": "module", exports without a `require`
// condition), so `esm-only` ignores the two resolutions that cannot load ESM synchronously
// (node10 and node16 from CommonJS) and still fails on anything wrong under node16 ESM and
// bundlers.
//
// Usage: node scripts/quality.mjs [packages/<name> ...]   (default: every package; inside a
// package directory, as a turbo task, the package itself)
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

const requested = process.argv.slice(2)
const insidePackage = resolve(process.cwd(), '..') === join(root, 'packages')
const packageDirs = requested.length
  ? requested.map((dir) => resolve(dir))
  : insidePackage
    ? [process.cwd()]
    : readdirSync(join(root, 'packages'), { withFileTypes: true })
        .filter(
          (entry) =>
            entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')),
        )
        .map((entry) => join(root, 'packages', entry.name))

const failed = []
for (const packageDir of packageDirs) {
  const name = basename(packageDir)
  const checks = [
    ['publint', bin('publint'), ['--strict']],
    ['attw', bin('attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
    ['size', process.execPath, [join(root, 'scripts', 'size.mjs'), packageDir]],
  ]
  for (const [check, command, args] of checks) {
    const run = spawnSync(command, args, {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, npm_config_loglevel: 'error' },
    })
    const ok = run.status === 0
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} ${check}`)
    if (!ok) {
      failed.push(`${name} ${check}`)
      process.stdout.write(run.stdout)
      process.stderr.write(run.stderr)
    }
  }
}
if (failed.length > 0) {
  console.error(`quality: ${failed.length} check(s) failed: ${failed.join(', ')}`)
  process.exit(1)
}
