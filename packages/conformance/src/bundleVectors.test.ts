import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadCases } from './cases.js'

const packageRoot = fileURLToPath(new URL('../', import.meta.url))

test('the vectors the published package ships are the repository’s, digest for digest', () => {
  const target = join(mkdtempSync(join(tmpdir(), 'agentpmt-vectors-')), 'vectors')
  const copied = spawnSync(process.execPath, [
    join(packageRoot, 'scripts', 'bundle-vectors.mjs'),
    target,
  ])
  expect(copied.status, copied.stderr.toString()).toBe(0)
  const shipped = loadCases({ vectorsDir: target })
  const repository = loadCases()
  expect(shipped.digest).toBe(repository.digest)
  expect(shipped.cases.length).toBe(repository.cases.length)
  expect(readFileSync(join(target, 'README.md'), 'utf8')).toBe(
    readFileSync(join(packageRoot, '..', '..', 'vectors', 'README.md'), 'utf8'),
  )
  const packed = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    files: string[]
    scripts: Record<string, string>
  }
  expect(packed.files).toContain('vectors')
  expect(packed.scripts.prepack).toBe('node scripts/bundle-vectors.mjs')
  // The copy lives only while packing: a checkout reads the repository's vectors, never a stale copy.
  expect(packed.scripts.postpack).toBe('node scripts/bundle-vectors.mjs --remove')
  const removed = spawnSync(process.execPath, [
    join(packageRoot, 'scripts', 'bundle-vectors.mjs'),
    '--remove',
  ])
  expect(removed.status).toBe(0)
  expect(existsSync(join(packageRoot, 'vectors'))).toBe(false)
}, 60_000)
