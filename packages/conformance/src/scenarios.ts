import type { SandboxAppOptions } from '@agentpmt-kit/sandbox'

/**
 * A behaviour `agentpmt conformance client` judges from the traffic of a client under test, in
 * the order a failure is attributed when two happen at the same point (see {@link behaviours}).
 *
 * @example
 * ```ts
 * import type { Behaviour } from '@agentpmt-kit/conformance'
 *
 * const behaviour: Behaviour = 'retry-after-honoured'
 * ```
 */
export type Behaviour =
  | 'session-renewed'
  | 'fresh-request-id-after-refusal'
  | 'same-request-on-transport-retry'
  | 'retry-after-honoured'
  | 'work-stopped-before-expiry'
  | 'no-doubled-completion'
  | 'envelope-fields-never-hashed'
  | 'job-done'
  | 'truthful-outcome'

/**
 * What each {@link Behaviour} asks of a client, in one sentence (the report's legend).
 *
 * @example
 * ```ts
 * import { behaviours } from '@agentpmt-kit/conformance'
 *
 * behaviours['session-renewed'] // 'After its session expired or was refused, ...'
 * ```
 */
export const behaviours: { readonly [name in Behaviour]: string } = {
  'session-renewed':
    'After its session expired or was refused, the client opened a new one and signed its next request with the new nonce.',
  'fresh-request-id-after-refusal':
    'After a refusal it can recover from (nonce invalid or expired, replay, 429 or 503), the client retried with a fresh request id and a new signature.',
  'same-request-on-transport-retry':
    'After a lost response, the client re-sent the identical request (same request id and signature) or read status before sending anything new.',
  'retry-after-honoured':
    'After a 429 or 503 with Retry-After, the client waited at least that long before sending to that endpoint again.',
  'work-stopped-before-expiry':
    'The client never submitted proof after its reservation expired, nor before its work was done: work that cannot finish in time is stopped.',
  'no-doubled-completion':
    'The client never sent a new completion (another request id) for a reservation the server had already recorded one for.',
  'envelope-fields-never-hashed':
    'Every refused signature recovers to the wallet without wallet_address, session_nonce, request_id or signature in the hash.',
  'job-done':
    'The job ended as the scenario scripts it (verified for most; rejected, needs_human, or lapsed where the scenario says); else job-not-done, whatever the exit code.',
  'truthful-outcome':
    'The exit code matched the server’s record: 0 exactly when the job was verified.',
}

/**
 * How a scenario's job must end on the honest sandbox: its verification status, or `lapsed` (the
 * job was reserved and nothing was submitted: the reservation ran out).
 *
 * @example
 * ```ts
 * import type { ScenarioOutcome } from '@agentpmt-kit/conformance'
 *
 * const outcome: ScenarioOutcome = 'needs_human'
 * ```
 */
export type ScenarioOutcome = 'verified' | 'rejected' | 'needs_human' | 'lapsed'

/**
 * One scripted situation served by the sandbox: how the sandbox is set up (lifetimes, faults,
 * how verification ends), how long the client's work takes, the behaviours it is built to
 * provoke (those must be seen, or the scenario fails) and how the job must end.
 *
 * @example
 * ```ts
 * import type { Scenario } from '@agentpmt-kit/conformance'
 *
 * const scenario: Scenario = { name: 'baseline', description: 'Nothing goes wrong.', sandbox: {}, workMs: 200, provokes: ['job-done'], outcome: 'verified' }
 * ```
 */
export type Scenario = {
  name: string
  description: string
  sandbox: Pick<
    SandboxAppOptions,
    'sessionTtlMs' | 'reservationTtlMs' | 'faults' | 'verificationOutcome'
  >
  /** How long the client's work takes (`AGENTPMT_WORK_MS`). */
  workMs: number
  provokes: readonly Behaviour[]
  /** How the job must end (`job-done`); the exit code is 0 only for `verified`. */
  outcome: ScenarioOutcome
}

const always: readonly Behaviour[] = ['job-done', 'truthful-outcome']

/**
 * The scenarios, in the order they are reported. Lifetimes are seconds, so that a client passes
 * them all in about seven seconds (they run side by side); a client must therefore read the
 * deadlines the server gives.
 *
 * @example
 * ```ts
 * import { scenarios } from '@agentpmt-kit/conformance'
 *
 * scenarios.map((scenario) => scenario.name) // ['baseline', 'session-expires-mid-loop', ...]
 * ```
 */
export const scenarios: readonly Scenario[] = [
  {
    name: 'baseline',
    description: 'Nothing goes wrong: reserve, work, complete, wait for verification.',
    sandbox: {},
    workMs: 200,
    provokes: ['envelope-fields-never-hashed', 'no-doubled-completion', ...always],
    outcome: 'verified',
  },
  {
    name: 'session-expires-mid-loop',
    // Long enough that a client on a loaded machine uses its session before it expires.
    description: 'Sessions live 5 s; the work takes 6 s, so the session expires during it.',
    sandbox: { sessionTtlMs: 5_000 },
    workMs: 6_000,
    provokes: ['session-renewed', ...always],
    outcome: 'verified',
  },
  {
    name: 'refused-signature',
    description:
      'The first reserve is refused as a replay (409) and the first completion for an unknown session nonce (401).',
    sandbox: {
      faults: [
        { route: 'reserve', refuse: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY', times: 1 },
        { route: 'complete', refuse: 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID', times: 1 },
      ],
    },
    workMs: 200,
    provokes: ['fresh-request-id-after-refusal', 'session-renewed', ...always],
    outcome: 'verified',
  },
  {
    name: 'service-unavailable',
    // Two seconds: a client that retries at once stays far below it even on a busy machine.
    description: 'The first reserve is answered 503 with Retry-After: 2.',
    sandbox: { faults: [{ route: 'reserve', status: 503, retryAfterSeconds: 2, times: 1 }] },
    workMs: 200,
    provokes: ['retry-after-honoured', 'fresh-request-id-after-refusal', ...always],
    outcome: 'verified',
  },
  {
    name: 'reservation-expires-during-work',
    description:
      'Reservations last 1.5 s; the work takes 3 s, so it cannot finish in time: the reservation must lapse.',
    sandbox: { reservationTtlMs: 1_500 },
    workMs: 3_000,
    provokes: ['work-stopped-before-expiry', ...always],
    outcome: 'lapsed',
  },
  {
    name: 'response-lost-after-completion',
    description:
      'The server records the first completion, then the connection closes before the answer.',
    sandbox: { faults: [{ route: 'complete', drop: true, times: 1 }] },
    workMs: 200,
    provokes: ['same-request-on-transport-retry', 'no-doubled-completion', ...always],
    outcome: 'verified',
  },
  {
    name: 'verification-rejected',
    description:
      'Verification ends rejected: a truthful client exits non-zero (0 is for verified only).',
    sandbox: { verificationOutcome: 'rejected' },
    workMs: 200,
    provokes: always,
    outcome: 'rejected',
  },
  {
    name: 'verification-needs-human',
    description:
      'Verification ends needs_human (a person decides later): a truthful client exits non-zero.',
    sandbox: { verificationOutcome: 'needs_human' },
    workMs: 200,
    provokes: always,
    outcome: 'needs_human',
  },
]
