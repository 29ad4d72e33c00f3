import type { WorkflowTokenHeader } from '@agentpmt-kit/jobs-client'

/**
 * Which answer a check or a guess is about.
 *
 * @example
 * ```ts
 * import type { ProbePart } from '@agentpmt-kit/conformance'
 *
 * const part: ProbePart = 'reserve'
 * ```
 */
export type ProbePart =
  | 'session'
  | 'list'
  | 'error'
  | 'mismatch'
  | 'reserve'
  | 'workflow'
  | 'status'
  | 'clock'

/**
 * The id of one probe check (see {@link probeCheckIds}).
 *
 * @example
 * ```ts
 * import type { ProbeCheckId } from '@agentpmt-kit/conformance'
 *
 * const id: ProbeCheckId = 'reserve-deadline'
 * ```
 */
export type ProbeCheckId =
  | 'session-nonce'
  | 'list-jobs'
  | 'error-code'
  | 'error-detail'
  | 'error-checklist'
  | 'mismatch-status'
  | 'mismatch-expected-message'
  | 'mismatch-message-agrees'
  | 'mismatch-path-candidates'
  | 'mismatch-payload-hash'
  | 'mismatch-hash-agrees'
  | 'reserve-readable'
  | 'reserve-instructions'
  | 'reserve-link-or-token'
  | 'reserve-deadline'
  | 'status-verification'

/**
 * Every probe check id, in the order a probe with `reserve` makes them. `reserve-deadline` is
 * judged by the client itself: the answer (or, without `reserve`, a 30-minute reservation in the
 * form of the session's expiry) read by `createJobsClient` on this server's clock.
 * `mismatch-path-candidates` only reports: the candidates concern tool invokes, not job endpoints.
 *
 * @example
 * ```ts
 * import { probeCheckIds } from '@agentpmt-kit/conformance'
 *
 * probeCheckIds.includes('reserve-deadline') // true
 * ```
 */
export const probeCheckIds: readonly ProbeCheckId[] = [
  'session-nonce',
  'list-jobs',
  'error-code',
  'error-detail',
  'error-checklist',
  'mismatch-status',
  'mismatch-expected-message',
  'mismatch-message-agrees',
  'mismatch-path-candidates',
  'mismatch-payload-hash',
  'mismatch-hash-agrees',
  'reserve-readable',
  'reserve-instructions',
  'reserve-link-or-token',
  'reserve-deadline',
  'status-verification',
]

/**
 * One part of an answer the guides guarantee (PROTOCOL section 6), as the probe found it.
 * `missing` and `differs` make the server incompatible (the client's loop would fail);
 * `guessed` is absent but the client falls back (see the guesses); `not-applicable` is a field
 * that does not apply to this answer (no submission yet); `not-checked` is one the probe could
 * not reach (the server refused the reservation).
 *
 * @example
 * ```ts
 * import type { ProbeCheck } from '@agentpmt-kit/conformance'
 *
 * const check: ProbeCheck = { id: 'session-nonce', part: 'session', field: 'session_nonce', status: 'found', detail: 'a string of 30 characters' }
 * ```
 */
export type ProbeCheck = {
  id: ProbeCheckId
  part: ProbePart
  field: string
  status: 'found' | 'missing' | 'differs' | 'guessed' | 'not-applicable' | 'not-checked'
  detail: string
}

/**
 * A guess the client had to make where the guides leave the answer open, and the fallback it
 * used: the jobs-client readers' notes, and the probe's own for answers that are not JSON.
 *
 * @example
 * ```ts
 * import type { ProbeGuess } from '@agentpmt-kit/conformance'
 *
 * const guess: ProbeGuess = { part: 'list', field: 'total', guess: 'none: pages are read until a short one' }
 * ```
 */
export type ProbeGuess = { part: ProbePart; field: string; guess: string }

/**
 * The probe's conclusion, meant to agree with what the job loop (`createJobsClient().run()`)
 * does on this server: `incompatible` when a guaranteed field is missing, the server's mismatch
 * details disagree with the message it accepts, or the client would give a reservation up at
 * once on this server's clock; `compatible-with-guesses` when the client had to guess;
 * `compatible` otherwise.
 *
 * @example
 * ```ts
 * import type { ProbeVerdict } from '@agentpmt-kit/conformance'
 *
 * const verdict: ProbeVerdict = 'compatible-with-guesses'
 * ```
 */
export type ProbeVerdict = 'compatible' | 'compatible-with-guesses' | 'incompatible'

/**
 * An estimate of how far the server's clock is ahead of this machine's (negative: behind), with
 * its uncertainty, both in milliseconds.
 *
 * @example
 * ```ts
 * import type { ClockSkew } from '@agentpmt-kit/conformance'
 *
 * const skew: ClockSkew = { skewMs: -1200, plusMinusMs: 510 }
 * ```
 */
export type ClockSkew = { skewMs: number; plusMinusMs: number }

/**
 * The report of {@link probe} (what `agentpmt probe --json` prints).
 *
 * @example
 * ```ts
 * import type { ProbeReport } from '@agentpmt-kit/conformance'
 *
 * declare const report: ProbeReport
 * report.checks.filter((check) => check.status === 'missing')
 * ```
 */
export type ProbeReport = {
  baseUrl: string
  wallet: string
  /** `true` when `AGENTPMT_PRIVATE_KEY` was not set and a throwaway wallet was used. */
  throwawayWallet: boolean
  verdict: ProbeVerdict
  checks: ProbeCheck[]
  guesses: ProbeGuess[]
  agreement: {
    /** The server's `details.expected_payload_hash` against ours for `{limit:5,skip:0}`. */
    payloadHash: {
      server: string | null
      raw: string
      ascii: string
      matches: 'raw' | 'ascii' | 'both' | null
    } | null
    /** The server's `details.expected_message` against the message built here. */
    message: { equal: boolean; differingLines: string[] } | null
  }
  clockSkew: {
    /** From the `Date` headers (one-second resolution). */
    dateHeader: ClockSkew | null
    /** From the session's `expires_at` minus `expires_in`, when both are given. */
    sessionExpiry: ClockSkew | null
    /** The same from the reserve answer, with `--reserve`. */
    reservationExpiry: ClockSkew | null
  }
  /**
   * Answers that were retried: transient ones (429, 502-504) after their delay, and the
   * documented signature refusals recovered from as the client does (a new session for a nonce
   * refusal, a fresh request id for a replay), at once.
   */
  retries: Array<{ step: string; status: number; contentType: string | null; delayMs: number }>
  reservation: {
    jobId: string
    reservationId: string
    /** The deadline on the server's clock, as it gave it. */
    expiresAt: string | null
    /** The same deadline on this machine's clock, as the client reads it. */
    expiresAtHere: string | null
    jobKind: string | null
    trackedUrl: string | null
    hasWorkflowToken: boolean
    /**
     * Which header the server takes the workflow token in, learned from a publish of a workflow
     * that does not exist (nothing can change): sent as the client sends it, in
     * `X-Job-Workflow-Token`, then after a 401 in `Authorization`. `header` is `null` when the
     * server refused both. A guess: `guess` says what it rests on. `null` without a workflow token.
     */
    workflowToken: { header: WorkflowTokenHeader | null; guess: string } | null
  } | null
  /** Every request, in order: its step, path, HTTP status and time. */
  exchanges: Array<{ step: string; path: string; status: number; durationMs: number }>
  /** Why the probe stopped early, or `null`. */
  stopped: string | null
}

/**
 * One request of a probe or a server check and its answer, as sent and received (a transcript
 * redacts it).
 *
 * @example
 * ```ts
 * import type { ProbeExchange } from '@agentpmt-kit/conformance'
 *
 * declare const exchange: ProbeExchange
 * exchange.status // 200
 * ```
 */
export type ProbeExchange = {
  step: string
  path: string
  requestBody: string
  status: number
  headers: Headers
  text: string
  json: unknown
  sentAt: number
  receivedAt: number
  /** The header the workflow token went in, for a workflow request. */
  workflowTokenHeader?: WorkflowTokenHeader | undefined
}
