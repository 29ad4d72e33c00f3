#!/usr/bin/env node
// Every declaration exported from a package's entry points (the `@agentpmt-kit/source` file of each subpath in
// package.json `exports`, else src/index.ts), and every member of an exported namespace, must carry a TSDoc comment with an @example. typedoc's `notDocumented` validation
// catches a missing comment but not a missing example; this catches both, with file and line.
//
// Usage: node scripts/check-tsdoc.mjs [packages/<name> ...]   (default: every package)
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * @param {string} packageDir
 * @param {ts.Program} program one program over every package's entries (the packages share
 *   tsconfig.base.json; one program reads each source once instead of once per package using it)
 */
function checkPackage(packageDir, program) {
  const entries = entryFiles(packageDir)
  const missing = entries.filter((entry) => !existsSync(entry))
  if (missing.length > 0)
    return missing.map((entry) => `${relative(root, entry)}: entry point missing`)
  const checker = program.getTypeChecker()
  const sourceDir = join(packageDir, 'src')
  const problems = []
  const seen = new Set()

  /**
   * @param {ts.Symbol} exported
   * @param {string} name
   * @param {readonly ts.JSDoc[]} enclosingDocs a namespace's own TSDoc, which documents the
   *   members declared in it (`canonicalize.Options`) when they carry none of their own
   */
  const check = (exported, name, enclosingDocs = []) => {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    if (seen.has(symbol)) return
    seen.add(symbol)
    const declarations = (symbol.declarations ?? []).filter((declaration) =>
      declaration.getSourceFile().fileName.startsWith(sourceDir),
    )
    if (declarations.length === 0) return // re-exported from another package: checked there
    // The declaration that carries the documentation: the value (function, class, const) when
    // there is one, a namespace merged with it only documents its own members.
    const primary =
      declarations.find((declaration) => !ts.isModuleDeclaration(declaration)) ?? declarations[0]
    const where = `${relative(root, primary.getSourceFile().fileName)}:${
      primary.getSourceFile().getLineAndCharacterOfPosition(primary.getStart()).line + 1
    }`
    const ownDocs = documentationOf(primary)
    const docs = ownDocs.length > 0 ? ownDocs : enclosingDocs
    if (docs.length === 0) problems.push(`${where} ${name}: no TSDoc comment`)
    else if (!docs.some(hasExample)) problems.push(`${where} ${name}: TSDoc has no @example`)
    for (const declaration of declarations) {
      if (!ts.isModuleDeclaration(declaration)) continue
      const namespace = checker.getSymbolAtLocation(declaration.name)
      for (const member of namespace ? checker.getExportsOfModule(namespace) : [])
        check(member, `${name}.${member.name}`, documentationOf(declaration))
    }
  }
  for (const entry of entries) {
    const source = program.getSourceFile(entry)
    const moduleSymbol = source && checker.getSymbolAtLocation(source)
    if (!moduleSymbol) continue // `export {}`: nothing public yet
    for (const exported of checker.getExportsOfModule(moduleSymbol)) check(exported, exported.name)
  }
  return problems
}

/** The source file of every subpath export (its `source` condition); src/index.ts without one. */
function entryFiles(packageDir) {
  const manifestFile = join(packageDir, 'package.json')
  const exports = existsSync(manifestFile)
    ? JSON.parse(readFileSync(manifestFile, 'utf8')).exports
    : undefined
  const sources = Object.values(typeof exports === 'object' && exports !== null ? exports : {})
    .map((target) =>
      typeof target === 'object' && target !== null ? target['@agentpmt-kit/source'] : undefined,
    )
    .filter((source) => typeof source === 'string')
  const files = sources.length > 0 ? sources : ['./src/index.ts']
  return [...new Set(files.map((file) => join(packageDir, file)))]
}

/** The JSDoc blocks of a declaration; a variable's sit on its statement. @param {ts.Node} node */
function documentationOf(node) {
  const target =
    ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent)
      ? node.parent.parent
      : node
  return ts.getJSDocCommentsAndTags(target).filter(ts.isJSDoc)
}

/** @param {ts.JSDoc} doc */
function hasExample(doc) {
  return (doc.tags ?? []).some((tag) => tag.tagName.text === 'example')
}

const requested = process.argv.slice(2)
const packageDirs = requested.length
  ? requested.map((dir) => resolve(dir))
  : readdirSync(join(root, 'packages'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, 'packages', entry.name))

const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
)
const program = ts.createProgram(
  packageDirs.flatMap((packageDir) => entryFiles(packageDir).filter((entry) => existsSync(entry))),
  { ...config?.options, noEmit: true },
)
let failed = 0
for (const packageDir of packageDirs) {
  const problems = checkPackage(packageDir, program)
  failed += problems.length
  for (const problem of problems) console.error(problem)
}
if (failed > 0) {
  console.error(`check-tsdoc: ${failed} export(s) without a TSDoc @example`)
  process.exit(1)
}
console.log(`check-tsdoc: every export of ${packageDirs.length} package(s) has a TSDoc @example`)
