#!/usr/bin/env node
// Copies the repository's vectors (every JSON file and every README, not the generators) into this
// package's vectors/ (or the folder given), before `pnpm pack`: the published suite then needs no
// vectorsDir. `--remove` (postpack) deletes the copy again, so that a checkout never reads a stale
// copy instead of the repository's vectors/.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(packageRoot, '..', '..', 'vectors')
const remove = process.argv[2] === '--remove'
const target = (remove ? undefined : process.argv[2]) ?? join(packageRoot, 'vectors')
rmSync(target, { recursive: true, force: true })
if (!remove)
  for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/(\.json|README\.md)$/.test(entry.name)) continue
    const file = relative(source, join(entry.parentPath ?? entry.path, entry.name))
    mkdirSync(dirname(join(target, file)), { recursive: true })
    copyFileSync(join(source, file), join(target, file))
  }
