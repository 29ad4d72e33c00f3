import type { ClientReport } from '../checkClient.js'
import { type Behaviour, behaviours } from '../scenarios.js'

/**
 * The terminal summary: one line per behaviour, then each failing scenario with its evidence.
 *
 * @example
 * ```ts
 * import type { ClientReport } from '@agentpmt-kit/conformance'
import { describeClientReport } from '@agentpmt-kit/conformance/report'
 *
 * declare const report: ClientReport
 * console.log(describeClientReport(report))
 * ```
 */
export function describeClientReport(report: ClientReport): string {
  const mark = { pass: 'pass', fail: 'FAIL', 'not-seen': 'n/a ' } as const
  const lines = [
    `Client conformance of: ${report.command.join(' ')} (sandbox dialect: ${report.dialect.join(', ')})`,
    '',
    ...(Object.keys(behaviours) as Behaviour[]).map(
      (behaviour) => `  ${mark[report.behaviours[behaviour]]}  ${behaviour}`,
    ),
    '',
    ...report.scenarios.map(
      (result) =>
        `${result.status === 'pass' ? 'pass' : 'FAIL'}  scenario ${result.scenario} (${result.requests} requests, ${(result.durationMs / 1000).toFixed(1)} s)`,
    ),
  ]
  for (const result of report.scenarios.filter((item) => item.status === 'fail')) {
    lines.push('', `Scenario ${result.scenario}: ${result.description}`)
    for (const verdict of result.verdicts.filter((item) => item.status === 'fail'))
      lines.push(`  ${verdict.behaviour}: ${verdict.evidence}`)
    if (result.outputTail !== '')
      lines.push(
        '  client output ends:',
        ...result.outputTail
          .split('\n')
          .slice(-8)
          .map((l) => `    ${l}`),
      )
  }
  const failed = Object.values(report.behaviours).filter((status) => status === 'fail').length
  lines.push(
    '',
    report.verdict === 'pass'
      ? `Every scenario passed (${report.scenarios.length}).`
      : `${failed} behaviour(s) failed.`,
  )
  return lines.join('\n')
}
