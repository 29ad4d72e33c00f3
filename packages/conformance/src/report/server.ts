import type { ServerCheck, ServerReport } from '../checkServer.js'

/**
 * The terminal summary of a server check: one line per check, then the verdict.
 *
 * @example
 * ```ts
 * import type { ServerReport } from '@agentpmt-kit/conformance'
 * import { describeServerReport } from '@agentpmt-kit/conformance/report'
 *
 * declare const report: ServerReport
 * console.log(describeServerReport(report))
 * ```
 */
export function describeServerReport(report: ServerReport): string {
  const lines = [
    `Conformance of the server ${report.baseUrl} (wallet ${report.wallet}, a throwaway key)`,
    '',
  ]
  const labels = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' }
  for (const check of report.checks)
    lines.push(
      `  ${labels[check.status]} ${check.id.padEnd(26)} ${check.status === 'skip' ? check.detail : `expected ${check.expected}, got ${check.actual}${check.status === 'fail' ? ` (${check.detail})` : ''}`}`,
    )
  const count = (status: ServerCheck['status']) =>
    report.checks.filter((check) => check.status === status).length
  lines.push(
    '',
    `Verdict: ${report.verdict.toUpperCase()} (${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped)`,
  )
  return lines.join('\n')
}
