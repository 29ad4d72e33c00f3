#!/usr/bin/env node
// Size budget of every entry point: bundles each package's built entry (dist/, so run after
// `pnpm build`) with esbuild, minified, gzips it, and compares with size-budgets.json.
//
// What is measured is what an application pays for adding the package: its runtime
// `dependencies` (sibling packages, @noble/hashes, hono, ...) are bundled in, while its
// `peerDependencies` (viem, ethers: the application already ships them) and Node.js built-ins
// stay external.
//
// Bundles (size-budgets.json `bundles`) measure what an application ships for one task across
// packages, peers included: the browser signing bundle is our canonical-json, message-builder and
// signer-viem with viem's local account (`viem/accounts`). A bundle also fails when it holds two
// copies (two versions) of a dependency listed in its `oneCopyOf`, such as @noble/hashes from us
// and from viem.
//
// Usage: node scripts/size.mjs [packages/<name> ...]   (default: every package and every bundle;
// with packages, the bundles that resolve from one of them)
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
const budgetFile = JSON.parse(readFileSync(join(root, 'size-budgets.json'), 'utf8'))
const budgets = budgetFile.packages
/** @type {Record<string, { bytes: number, platform?: Platform, resolveFrom: string, source: string, oneCopyOf?: string[] }>} */
const bundleBudgets = budgetFile.bundles ?? {}

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

/** The package folder of each bundled file: `node_modules/<name>` (or `<scope>/<name>`). */
function packagesIn(inputs) {
  const versions = new Map()
  for (const input of inputs) {
    // The last node_modules/ of the path: pnpm's store nests them (.pnpm/<id>/node_modules/<name>).
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input)
    if (!match) continue
    const [, dir, name] = match
    const { version } = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'))
    if (!versions.has(name)) versions.set(name, new Set())
    versions.get(name).add(version)
  }
  return versions
}

// `pnpm quality` checks one package at a time: a bundle goes with the package it resolves from.
for (const [name, bundle] of Object.entries(bundleBudgets)) {
  if (requested.length > 0 && !packageDirs.includes(join(root, bundle.resolveFrom))) continue
  const result = await build({
    stdin: { contents: bundle.source, resolveDir: join(root, bundle.resolveFrom), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: bundle.platform ?? 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  const gzipped = gzipSync(code, { level: 9 }).length
  // Only the dependencies we share with the peers are ours to keep single (viem's own tree may
  // hold two abitypes).
  const duplicates = [...packagesIn(Object.keys(result.metafile.inputs))].filter(
    ([dependency, versions]) => versions.size > 1 && (bundle.oneCopyOf ?? []).includes(dependency),
  )
  const ok = gzipped <= bundle.bytes && duplicates.length === 0
  rows.push([`bundle: ${name}`, '', code.length, gzipped, bundle.bytes, ok ? 'ok' : 'OVER'])
  if (gzipped > bundle.bytes)
    failures.push(`bundle ${name}: ${gzipped} B gzipped, over its budget of ${bundle.bytes} B`)
  for (const [dependency, versions] of duplicates)
    failures.push(
      `bundle ${name}: ${versions.size} copies of ${dependency} (${[...versions].join(', ')}); let the ranges meet`,
    )
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
