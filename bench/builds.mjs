// Builds of @agentpmt-kit/canonical-json side by side: the working tree's sources and any git ref,
// each compiled with tsc into its own directory under the system's temp dir (outside the working
// tree: tsc treats files under node_modules as libraries; reused while the ref's commit or the
// sources are the same), for bench/check.mjs and bench/instructions.mjs to import in one process.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const packageDir = 'packages/canonical-json'
const cacheDir = join(tmpdir(), 'agentpmt-canonical-json-builds')
/** What a build needs from a tree: the package's sources and manifest, and the base tsconfig. */
const buildPaths = [
  `${packageDir}/src`,
  `${packageDir}/package.json`,
  `${packageDir}/tsconfig.build.json`,
  'tsconfig.base.json',
]

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()

/** The commit of the latest changeset release: the last commit that wrote the package's CHANGELOG. */
export function latestReleaseCommit() {
  const commit = git('log', '-1', '--format=%H', '--', `${packageDir}/CHANGELOG.md`)
  if (!commit) throw new Error(`no commit wrote ${packageDir}/CHANGELOG.md: give a ref`)
  return commit
}

/** Compiles the package in `tree` (a copy holding {@link buildPaths}) and returns its entry. */
function compile(tree) {
  const dir = join(tree, packageDir)
  // The package's own dependencies (@noble/hashes) and types, from the working tree's install.
  const modules = join(dir, 'node_modules')
  if (!existsSync(modules)) symlinkSync(join(root, packageDir, 'node_modules'), modules)
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const typeRoots = join(root, 'node_modules/@types')
  execFileSync(
    process.execPath,
    [tsc, '-p', join(dir, 'tsconfig.build.json'), '--typeRoots', typeRoots],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  return join(dir, 'dist')
}

/** Every file under `dir`, relative, sorted: what the working tree's build key hashes. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

/**
 * A build of `ref` (a commit, tag or branch), or of the working tree's sources when `ref` is
 * undefined: `{ label, commit, dist }`, compiled once and reused.
 */
export function buildOf(ref) {
  if (ref === undefined) {
    const hash = createHash('sha256')
    for (const path of buildPaths) {
      const absolute = join(root, path)
      const files = path.endsWith('src')
        ? filesUnder(absolute).map((file) => join(path, file))
        : [path]
      for (const file of files) hash.update(file).update(readFileSync(join(root, file)))
    }
    const key = `working-${hash.digest('hex').slice(0, 16)}`
    const tree = join(cacheDir, key)
    if (!existsSync(join(tree, packageDir, 'dist/index.js'))) {
      rmSync(tree, { recursive: true, force: true })
      for (const path of buildPaths) cpSync(join(root, path), join(tree, path), { recursive: true })
      compile(tree)
    }
    return { label: 'working tree', commit: key, dist: join(tree, packageDir, 'dist') }
  }
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`)
  const tree = join(cacheDir, commit)
  if (!existsSync(join(tree, packageDir, 'dist/index.js'))) {
    rmSync(tree, { recursive: true, force: true })
    mkdirSync(tree, { recursive: true })
    const archive = execFileSync('git', ['archive', commit, ...buildPaths], { cwd: root })
    execFileSync('tar', ['-x', '-C', tree], { input: archive })
    compile(tree)
  }
  return { label: `${ref} (${commit.slice(0, 7)})`, commit, dist: join(tree, packageDir, 'dist') }
}

/** The build's public module (`canonicalize`, `toAscii`, ...). */
export async function load(build) {
  return import(pathToFileURL(join(build.dist, 'index.js')).href)
}
