#!/usr/bin/env node
// Copies the vector files the conformance suite reads (and the vectors' README) from the
// repository's vectors/ into this package's vectors/ (or the folder given), before `pnpm pack`:
// the published `agentpmt conformance run` then needs no --vectors. `--remove` (postpack) deletes
// the copy again, so that a checkout never reads a stale copy instead of the repository's vectors/.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { vectorFiles } from '../dist/commands/conformance/cases.js'

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(packageRoot, '..', '..', 'vectors')
const remove = process.argv[2] === '--remove'
const target = (remove ? undefined : process.argv[2]) ?? join(packageRoot, 'vectors')
rmSync(target, { recursive: true, force: true })
if (!remove)
  for (const file of [...vectorFiles, 'README.md']) {
    mkdirSync(dirname(join(target, file)), { recursive: true })
    copyFileSync(join(source, file), join(target, file))
  }
