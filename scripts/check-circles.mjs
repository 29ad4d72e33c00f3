#!/usr/bin/env node
// Fails when a package's sources import in a circle (type imports count: ARCHITECTURE.md). Reads
// every import and re-export of a relative module in packages/*/src (tests, fuzz and bench files
// and test helpers left out) and prints each circle it finds.
//
// Usage: node scripts/check-circles.mjs
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const isSource = (file) => file.endsWith('.ts') && !/\.(test|fuzz|bench|test-d)\.ts$/.test(file)

/** The relative modules a file imports or re-exports, as paths of .ts files. */
function importsOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest)
  const targets = []
  for (const statement of source.statements) {
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined
    if (specifier?.startsWith('.'))
      targets.push(normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts'))))
  }
  return targets
}

const circles = []
for (const name of readdirSync(join(root, 'packages'))) {
  const sourceDir = join(root, 'packages', name, 'src')
  const graph = new Map()
  for (const entry of readdirSync(sourceDir, { recursive: true })) {
    const file = join(sourceDir, entry)
    if (isSource(file) && !entry.split('/').includes('test')) graph.set(file, importsOf(file))
  }
  const state = new Map()
  const stack = []
  const visit = (file) => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue
      if (state.get(next) === 'open')
        circles.push(
          stack
            .slice(stack.indexOf(next))
            .concat(next)
            .map((f) => relative(root, f)),
        )
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of graph.keys()) if (!state.has(file)) visit(file)
}
for (const circle of circles) console.error(`import circle: ${circle.join(' -> ')}`)
if (circles.length > 0) process.exit(1)
console.log('check-circles: no import circle in any package')
