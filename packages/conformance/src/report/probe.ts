import { oneLine } from '../internal/json.js'
import type { ProbeCheck, ProbeReport, ProbeVerdict } from '../probeTypes.js'
import { describeSkew } from './skew.js'

const statusLabels: Record<ProbeCheck['status'], string> = {
  found: 'ok',
  missing: 'MISSING',
  differs: 'DIFFERS',
  guessed: 'guess',
  'not-applicable': 'n/a',
  'not-checked': 'skipped',
}

const verdictLines: Record<ProbeVerdict, string> = {
  compatible: 'compatible',
  'compatible-with-guesses': 'compatible with guesses',
  incompatible: 'incompatible: a guaranteed field is missing or disagrees',
}

/**
 * The terminal summary of a probe: each guaranteed field, the guesses, retries, the clock, the
 * reservation made (and the header its workflow token is taken in, a guess) and the verdict.
 *
 * @example
 * ```ts
 * import type { ProbeReport } from '@agentpmt-kit/conformance'
 * import { describeProbeReport } from '@agentpmt-kit/conformance/report'
 *
 * declare const report: ProbeReport
 * console.log(describeProbeReport(report))
 * ```
 */
export function describeProbeReport(report: ProbeReport): string {
  const lines = [
    `Probe of ${report.baseUrl}`,
    report.throwawayWallet
      ? `wallet ${report.wallet}: a throwaway key (no key was given; probing needs no funded wallet)`
      : `wallet ${report.wallet}`,
    '',
    'Guaranteed fields',
  ]
  const fieldWidth = Math.max(...report.checks.map((check) => check.field.length), 10)
  for (const check of report.checks)
    lines.push(
      `  ${statusLabels[check.status].padEnd(8)} ${check.part.padEnd(9)} ${check.field.padEnd(fieldWidth)}  ${oneLine(check.detail)}`,
    )
  lines.push('', 'Guesses the client made (and the fallback it used)')
  if (report.guesses.length === 0) lines.push('  none')
  for (const guess of report.guesses)
    lines.push(`  ${guess.part.padEnd(9)} ${guess.field}: ${guess.guess}`)
  if (report.retries.length > 0) {
    lines.push('', 'Retried')
    for (const retry of report.retries)
      lines.push(
        `  ${retry.step.padEnd(9)} HTTP ${retry.status} (${retry.contentType ?? 'no content-type'}), again after ${retry.delayMs} ms`,
      )
  }
  lines.push('', 'Clock')
  const skews = [
    ['Date header', report.clockSkew.dateHeader],
    ['session expires_at - expires_in', report.clockSkew.sessionExpiry],
    ['reservation expires_at - expires_in', report.clockSkew.reservationExpiry],
  ] as const
  for (const [source, skew] of skews)
    if (skew !== null) lines.push(`  ${source}: ${describeSkew(skew)}`)
  if (skews.every(([, skew]) => skew === null))
    lines.push('  no Date header and no expiry given both ways')
  const deadline = report.checks.find((check) => check.id === 'reserve-deadline')
  if (deadline !== undefined)
    lines.push(`  what the client does with a deadline: ${deadline.detail}`)
  if (report.reservation !== null) {
    const reservation = report.reservation
    lines.push(
      '',
      `Reserved ${reservation.jobId}: reservation ${reservation.reservationId}, until ${reservationUntil(reservation)}`,
    )
    const token = reservation.workflowToken
    if (token !== null)
      lines.push(
        `Workflow token header: ${token.header ?? 'neither X-Job-Workflow-Token nor Authorization'} (a guess: ${token.guess})`,
      )
    lines.push('The job is held by this wallet: complete it or let the reservation expire.')
  }
  if (report.stopped !== null) lines.push('', `Stopped: ${report.stopped}`)
  lines.push('', `Verdict: ${verdictLines[report.verdict]}`)
  return lines.join('\n')
}

function reservationUntil(reservation: NonNullable<ProbeReport['reservation']>): string {
  if (reservation.expiresAt === null) return 'the server says (no expiry given)'
  if (reservation.expiresAtHere === null) return `${reservation.expiresAt} (server's clock)`
  return `${reservation.expiresAtHere} by this machine's clock (${reservation.expiresAt} by the server's)`
}
