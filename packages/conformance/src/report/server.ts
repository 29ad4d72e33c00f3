import type { ServerCheck, ServerReport } from '../checkServer.js'
import { describeSkew } from './skew.js'

const labels: Record<ServerCheck['status'], string> = {
  pass: 'ok  ',
  fail: 'FAIL',
  skip: 'skip',
  'not-offered': 'n/o ',
}

/**
 * The terminal summary of a server check: the groups checked, one line per check, how time was
 * read (the server's own clock), then the verdict.
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
    `Groups: ${report.groups.join(', ')} (jobs: what the jobs guides promise; credits and tools only when asked, 404 there = not offered)`,
    '',
  ]
  for (const check of report.checks)
    lines.push(
      `  ${labels[check.status]} ${check.id.padEnd(26)} ${
        check.status === 'skip' || check.status === 'not-offered'
          ? check.detail
          : `expected ${check.expected}, got ${check.actual}${check.status === 'fail' ? ` (${check.detail})` : ''}`
      }`,
    )
  const { serverClock, sessionLifetimeMs, sessionLifetimeSource } = report.time
  lines.push(
    '',
    "Time (the server's own clock; timestamps without an offset read as UTC)",
    `  Date header: ${serverClock === null ? 'none: the server clock is unknown' : describeSkew(serverClock)}`,
  )
  if (sessionLifetimeSource !== null)
    lines.push(
      `  session: ${sessionLifetimeMs === null ? 'lifetime unknown' : `lasts ${Math.round(sessionLifetimeMs / 1000)} s`} (${sessionLifetimeSource})`,
    )
  const count = (status: ServerCheck['status']) =>
    report.checks.filter((check) => check.status === status).length
  const notOffered = count('not-offered')
  lines.push(
    '',
    `Verdict: ${report.verdict.toUpperCase()} (${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped${notOffered > 0 ? `, ${notOffered} not offered` : ''})`,
  )
  return lines.join('\n')
}
