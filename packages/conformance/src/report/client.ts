import type { ClientReport } from '../checkClient.js'
import { describeRefusals, type VerdictStatus } from '../judgeScenario.js'
import { type Behaviour, behaviours } from '../scenarios.js'

const width = Math.max(...(['not-reached', 'inconclusive'] as const).map((word) => word.length))
/** The JSON's words, FAIL in capitals so that it stands out. */
const shown = (status: VerdictStatus): string => (status === 'fail' ? 'FAIL' : status).padEnd(width)

/**
 * The terminal summary in the JSON's vocabulary (`pass`, `FAIL`, `not-reached`, `inconclusive`,
 * `n/a`): one line per behaviour (with the reason when it was not judged), one per scenario,
 * then each failing scenario with its first cause, its consequences, the refusals the server
 * answered and the end of the client's output.
 *
 * @example
 * ```ts
 * import type { ClientReport } from '@agentpmt-kit/conformance'
 * import { describeClientReport } from '@agentpmt-kit/conformance/report'
 *
 * declare const report: ClientReport
 * console.log(describeClientReport(report))
 * ```
 */
export function describeClientReport(report: ClientReport): string {
  const lines = [
    `Client conformance of: ${report.command.join(' ')} (sandbox dialect: ${report.dialect.join(', ')})`,
    '',
    ...(Object.keys(behaviours) as Behaviour[]).map((behaviour) => {
      const status = report.behaviours[behaviour]
      const label = behaviour === 'job-done' && status === 'fail' ? 'job-not-done' : behaviour
      return `  ${shown(status)}  ${label}${status === 'n/a' || status === 'inconclusive' ? ` (${reasonOf(report, behaviour, status)})` : ''}`
    }),
    '',
    ...report.scenarios.map(
      (result) =>
        `${shown(result.status)}  scenario ${result.scenario} (job must end ${result.outcome}; ${result.requests} requests, ${(result.durationMs / 1000).toFixed(1)} s)`,
    ),
  ]
  for (const result of report.scenarios.filter((item) => item.status === 'fail')) {
    lines.push('', `Scenario ${result.scenario}: ${result.description}`)
    const listed = result.verdicts.filter(
      (item) => item.status === 'fail' || item.status === 'not-reached',
    )
    for (const verdict of listed)
      lines.push(`  ${shown(verdict.status)}  ${verdict.behaviour}: ${verdict.evidence}`)
    const refusals = describeRefusals(result.refusals)
    // job-not-done already names them as its cause.
    if (refusals !== '' && !listed.some((verdict) => verdict.evidence.includes(refusals)))
      lines.push(`  server refusals: ${refusals}`)
    if (result.outputTail !== '')
      lines.push(
        '  client output ends:',
        ...result.outputTail
          .split('\n')
          .slice(-8)
          .map((line) => `    ${line}`),
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

/** Why a behaviour was not judged: the evidence of the first scenario that gave it that status. */
function reasonOf(report: ClientReport, behaviour: Behaviour, status: VerdictStatus): string {
  const verdict = report.scenarios
    .flatMap((result) => result.verdicts)
    .find((item) => item.behaviour === behaviour && item.status === status)
  return verdict?.evidence ?? 'no scenario run puts it to the test'
}
