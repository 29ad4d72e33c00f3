#!/usr/bin/env node
// Size budget of every entry point: bundles each package's built entry (dist/, so run after
// `pnpm build`) with esbuild, minified, gzips it, and compares with size-budgets.json.
//
// What is measured is what an application pays for adding the package: its runtime
// `dependencies` (sibling packages, @noble/hashes, hono, ...) are bundled in, while its
// `peerDependencies` (viem, ethers: the application already ships them) and Node.js built-ins
// stay external.
//
// Usage: node scripts/size.mjs [packages/<name> ...]   (default: every package)
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// An entry's budget is its gzipped bytes, or `{ "bytes": n, "platform": "node" }` for an entry whose
// platform differs from its package's (jobs-client's `./file-journal` is Node only).
/** @typedef {'browser' | 'node'} Platform */
/** @type {Record<string, { platform?: Platform, entries: Record<string, number | { bytes: number, platform?: Platform }> }>} */
const budgets = JSON.parse(readFileSync(join(root, 'size-budgets.json'), 'utf8')).packages

const requested = process.argv.slice(2)
const packageDirs = requested.length
  ? requested.map((dir) => resolve(dir))
  : readdirSync(join(root, 'packages'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, 'packages', entry.name))

const rows = []
const failures = []
for (const packageDir of packageDirs) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const budget = budgets[manifest.name]
  if (!budget) {
    failures.push(`${manifest.name}: no budget in size-budgets.json`)
    continue
  }
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './package.json') continue
    const file = typeof target === 'string' ? target : (target.default ?? target.import)
    const entryFile = join(packageDir, file)
    if (!existsSync(entryFile)) {
      failures.push(`${manifest.name} ${subpath}: ${file} is missing; run pnpm build first`)
      continue
    }
    const entryBudget = budget.entries[subpath]
    if (entryBudget === undefined) {
      failures.push(`${manifest.name} ${subpath}: no budget for this entry point`)
      continue
    }
    const limit = typeof entryBudget === 'number' ? entryBudget : entryBudget.bytes
    const platform =
      (typeof entryBudget === 'number' ? undefined : entryBudget.platform) ??
      budget.platform ??
      'browser'
    const result = await build({
      entryPoints: [entryFile],
      bundle: true,
      minify: true,
      format: 'esm',
      platform,
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      external: [
        ...Object.keys(manifest.peerDependencies ?? {}).flatMap((name) => [name, `${name}/*`]),
        ...builtinModules.flatMap((name) => [name, `node:${name}`]),
      ],
    })
    const code = result.outputFiles[0].contents
    const gzipped = gzipSync(code, { level: 9 }).length
    const ok = gzipped <= limit
    rows.push([manifest.name, subpath, code.length, gzipped, limit, ok ? 'ok' : 'OVER'])
    if (!ok)
      failures.push(
        `${manifest.name} ${subpath}: ${gzipped} B gzipped, over its budget of ${limit} B`,
      )
  }
}

const header = ['package', 'entry', 'minified B', 'gzip B', 'budget B', '']
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
)
for (const row of [header, ...rows])
  console.log(row.map((cell, column) => String(cell).padEnd(widths[column])).join('  '))
if (failures.length > 0) {
  for (const failure of failures) console.error(`size: ${failure}`)
  process.exit(1)
}
