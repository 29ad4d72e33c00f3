#!/usr/bin/env node
// Copies the vector files the conformance suite reads (and the vectors' README) from the
// repository's vectors/ into this package's vectors/ (or the folder given), before `pnpm pack`:
// the published `agentpmt conformance run` then needs no --vectors.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { vectorFiles } from '../dist/commands/conformance/cases.js'

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(packageRoot, '..', '..', 'vectors')
const target = process.argv[2] ?? join(packageRoot, 'vectors')
rmSync(target, { recursive: true, force: true })
for (const file of [...vectorFiles, 'README.md']) {
  mkdirSync(dirname(join(target, file)), { recursive: true })
  copyFileSync(join(source, file), join(target, file))
}
