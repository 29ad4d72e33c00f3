// Writes one `## ...` section of BENCHMARKS.md, in place of its earlier run (or at the end):
// bench/run.mjs writes the file, then each further bench script replaces its own section.
import { readFileSync, writeFileSync } from 'node:fs'

/**
 * @param {string} path BENCHMARKS.md
 * @param {string[]} lines the section, its `## Title` first
 */
export function writeSection(path, lines) {
  const [title] = lines
  const current = readFileSync(path, 'utf8')
  const start = current.indexOf(title)
  const kept =
    start === -1
      ? current
      : current.slice(0, start) +
        current.slice(current.indexOf('\n## ', start + 1) + 1 || current.length)
  writeFileSync(path, `${kept.trimEnd()}\n\n${lines.join('\n')}`)
}
