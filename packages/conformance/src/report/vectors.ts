import type { Capability } from '../cases.js'
import { contrast, markInvisible, visible } from '../internal/visible.js'
import type { CaseResult, RunReport } from '../runVectors.js'

/** Failing cases whose expected and actual values the terminal shows (the rest: reason only). */
const shownDifferences = 10
/** Fields shown per failing case. */
const shownMismatches = 3

/**
 * The terminal summary of a run: one line per capability (pass, fail, skipped, errors), the checks
 * that failed, then each case that did not pass with its reason, at most `limit` of them; the
 * first ten show the expected against the actual value of each field that differs, with invisible
 * characters written as `\uXXXX` (U+2028, controls, zero-width, no-break spaces) and strings
 * quoted so that trailing spaces show.
 *
 * @example
 * ```ts
 * import { describeRun } from '@agentpmt-kit/conformance/report'
 *
 * declare const report: Parameters<typeof describeRun>[0]
 * console.log(describeRun(report))
 * ```
 */
export function describeRun(report: RunReport, { limit = 40 }: { limit?: number } = {}): string {
  const implementation = report.implementation
  const lines = [
    `Conformance of ${implementation ? `${implementation.name} ${implementation.version} (${implementation.language})` : report.command.join(' ')}`,
    `vectors ${report.vectors.dir} (sha256 ${report.vectors.digest.slice(0, 16)}), protocol ${report.protocol}`,
    '',
  ]
  if (report.startError !== null) {
    lines.push(`Could not start: ${report.startError}`, '', 'Verdict: FAIL')
    return lines.join('\n')
  }
  lines.push(
    `  ${'capability'.padEnd(13)} ${'pass'.padStart(5)} ${'fail'.padStart(5)} ${'skip'.padStart(5)} ${'error'.padStart(6)}`,
  )
  for (const [capability, counts] of Object.entries(report.capabilities)) {
    if (!counts.declared) {
      lines.push(
        `  ${capability.padEnd(13)} not declared${counts.unsupported ? `: ${counts.unsupported}` : ''}`,
      )
      continue
    }
    if (counts.total === 0) {
      lines.push(`  ${capability.padEnd(13)} not run (--only)`)
      continue
    }
    // Every case skipped proves nothing: no ✓ for it.
    const mark = counts.fail + counts.error > 0 ? '✗' : counts.pass === 0 ? '-' : '✓'
    lines.push(
      `${mark} ${capability.padEnd(13)} ${String(counts.pass).padStart(5)} ${String(counts.fail).padStart(5)} ${String(counts.skip).padStart(5)} ${String(counts.error).padStart(6)}`,
    )
  }
  const failedChecks = report.checks.filter((check) => check.status === 'fail')
  if (failedChecks.length > 0) {
    lines.push('', 'Failed checks')
    for (const check of failedChecks) lines.push(`✗ ${check.id}: ${check.detail}`)
  }
  const bad = report.cases.filter((item) => item.status === 'fail' || item.status === 'error')
  if (bad.length > 0) {
    lines.push('', 'Not passed')
    bad.slice(0, limit).forEach((item, index) => {
      lines.push(
        `  ${item.status === 'error' ? `ERROR (${item.problem})` : 'FAIL'} ${item.id}: ${item.reason ?? ''}`,
      )
      if (index < shownDifferences) lines.push(...differenceLines(item))
    })
    if (bad.length > limit)
      lines.push(`  … and ${bad.length - limit} more (--json or --html for all)`)
  }
  const skipped = report.cases.filter((item) => item.status === 'skip')
  if (skipped.length > 0) {
    const reasons = new Map<string, number>()
    for (const item of skipped)
      reasons.set(item.reason ?? '', (reasons.get(item.reason ?? '') ?? 0) + 1)
    lines.push('', 'Skipped')
    for (const [reason, count] of reasons) lines.push(`  ${count} × ${reason}`)
  }
  if (report.restarts > 0)
    lines.push(
      '',
      `The implementation was restarted ${report.restarts} time${report.restarts === 1 ? '' : 's'}.`,
    )
  lines.push(
    '',
    `Verdict: ${report.verdict === 'pass' ? 'PASS' : 'FAIL'} (${report.cases.length} cases in ${(report.durationMs / 1000).toFixed(1)} s)`,
  )
  return lines.join('\n')
}

/** Expected against actual for each field of a failed case; what an errored case wrote. */
function differenceLines(item: CaseResult): string[] {
  if (item.status === 'error')
    return item.actual === undefined ? [] : [`      got ${contrast(visible(item.actual), '')[0]}`]
  return (item.mismatches ?? [])
    .slice(0, shownMismatches)
    .flatMap(({ field, expected, actual }) => {
      const [want, got] = contrast(visible(expected), visible(actual))
      const indent = ' '.repeat(field.length)
      return [`      ${field} expected ${want}`, `      ${indent} actual   ${got}`]
    })
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => escapes[char] ?? char)
const shown = (value: unknown): string =>
  escapeHtml(value === undefined ? '(nothing)' : markInvisible(JSON.stringify(value, null, 2)))

/**
 * One self-contained HTML page of a run: a summary, then a table per capability with every case;
 * a case that did not pass shows its input, and the expected and actual outputs side by side.
 *
 * @example
 * ```ts
 * import { htmlReport } from '@agentpmt-kit/conformance/report'
 *
 * declare const report: Parameters<typeof htmlReport>[0]
 * const page = htmlReport(report)
 * ```
 */
export function htmlReport(report: RunReport): string {
  const implementation = report.implementation
  const title = `Conformance: ${implementation ? `${implementation.name} ${implementation.version}` : report.command.join(' ')}`
  const summaryRows = Object.entries(report.capabilities)
    .map(([capability, counts]) => {
      const state = !counts.declared
        ? 'undeclared'
        : counts.fail + counts.error > 0
          ? 'fail'
          : 'pass'
      return `<tr class="${state}"><td><a href="#${capability}">${capability}</a></td><td>${counts.declared ? 'yes' : `no${counts.unsupported ? `: ${escapeHtml(counts.unsupported)}` : ''}`}</td><td>${counts.pass}</td><td>${counts.fail}</td><td>${counts.skip}</td><td>${counts.error}</td></tr>`
    })
    .join('\n')
  const sections = (Object.keys(report.capabilities) as Capability[])
    .filter((capability) => report.capabilities[capability].declared)
    .map((capability) => {
      const rows = report.cases
        .filter((item) => item.capability === capability)
        .map(caseRow)
        .join('\n')
      return `<section id="${capability}"><h2>${capability}</h2>
<table class="cases"><thead><tr><th>case</th><th>status</th><th>details</th></tr></thead><tbody>
${rows}
</tbody></table></section>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:1200px}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
tr.pass td:nth-child(2),td.status-pass{color:#11631f}tr.fail td:first-child,td.status-fail,td.status-error{color:#a40e26;font-weight:600}
td.status-skip{color:#8a6100}tr.undeclared{color:#777}
.verdict-pass{color:#11631f}.verdict-fail{color:#a40e26}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.side pre{margin:0}
pre{background:#f6f8fa;padding:.4rem;overflow:auto;max-height:20rem;white-space:pre-wrap;word-break:break-all;font-size:12px}
details summary{cursor:pointer;color:#555}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="verdict verdict-${report.verdict}" id="verdict">Verdict: <strong>${report.verdict.toUpperCase()}</strong>: ${report.cases.length} cases in ${(report.durationMs / 1000).toFixed(1)} s, ${report.restarts} restarts.</p>
${report.startError === null ? '' : `<p class="start-error verdict-fail">Could not start: ${escapeHtml(report.startError)}</p>`}
<p>Command <code>${escapeHtml(report.command.join(' '))}</code>; ${implementation ? `${escapeHtml(implementation.language)} implementation` : 'no implementation answered'}.
Vectors: <code>${escapeHtml(report.vectors.dir)}</code>, sha256 <code>${report.vectors.digest}</code>; protocol version ${report.protocol}; run ${escapeHtml(report.startedAt)}.</p>
<table class="summary"><thead><tr><th>capability</th><th>declared</th><th>pass</th><th>fail</th><th>skipped</th><th>errors</th></tr></thead><tbody>
${summaryRows}
</tbody></table>
<table class="checks"><thead><tr><th>check</th><th>status</th><th>detail</th></tr></thead><tbody>
${report.checks.map((check) => `<tr class="check" data-status="${check.status}"><td><code>${check.id}</code></td><td class="status-${check.status === 'n/a' ? 'skip' : check.status}">${check.status}</td><td>${escapeHtml(check.detail)}</td></tr>`).join('\n')}
</tbody></table>
${sections}
</body></html>
`
}

function caseRow(item: CaseResult): string {
  const details =
    item.status === 'pass'
      ? `<span>${escapeHtml(item.description ?? '')}</span>`
      : `<p class="reason">${escapeHtml(item.reason ?? '')}</p>${item.status === 'skip' ? '' : `<div class="side"><div><strong>expected</strong><pre class="expected">${shown(item.expected)}</pre></div><div><strong>actual</strong><pre class="actual">${shown(item.actual)}</pre></div></div><details><summary>input</summary><pre>${shown(item.input)}</pre></details>`}`
  return `<tr class="case ${item.status}" data-status="${item.status}" data-id="${escapeHtml(item.id)}"><td><code>${escapeHtml(item.id)}</code>${item.tags && item.tags.length > 0 ? `<br><small>${escapeHtml(item.tags.join(' '))}</small>` : ''}</td><td class="status-${item.status}">${item.status}${item.problem ? ` (${item.problem})` : ''}</td><td>${details}</td></tr>`
}
