import type { SandboxAppOptions } from '@agentpmt-kit/sandbox'

/**
 * A behaviour `agentpmt conformance client` judges from the traffic of a client under test.
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
    'After its session expired or was refused, the client opened a new one and signed with its nonce.',
  'fresh-request-id-after-refusal':
    'After a signature refusal it can recover from (nonce invalid or expired, replay), the client retried with a fresh request id and a new signature.',
  'same-request-on-transport-retry':
    'After a lost response, the client re-sent the identical request (same request id and signature) or read status before sending anything new.',
  'retry-after-honoured':
    'After a 429 or 503 with Retry-After, the client waited at least that long before sending to that endpoint again.',
  'work-stopped-before-expiry':
    'The client never submitted proof after its reservation expired, nor before its work was done: work that cannot finish in time is stopped.',
  'no-doubled-completion':
    'The client never sent a new completion (another request id) for a reservation the server had already recorded one for.',
  'envelope-fields-never-hashed':
    'The payload hash never included wallet_address, session_nonce, request_id or signature.',
  'truthful-outcome':
    'The exit code matched the server’s record: 0 exactly when the job was verified.',
}

/**
 * One scripted situation served by the sandbox: how the sandbox is set up (lifetimes, faults),
 * how long the client's work takes, and the behaviours it is built to provoke (those must be
 * seen, or the scenario fails).
 *
 * @example
 * ```ts
 * import type { Scenario } from '@agentpmt-kit/conformance'
 *
 * const scenario: Scenario = { name: 'baseline', description: 'Nothing goes wrong.', sandbox: {}, workMs: 200, provokes: ['truthful-outcome'] }
 * ```
 */
export type Scenario = {
  name: string
  description: string
  sandbox: Pick<SandboxAppOptions, 'sessionTtlMs' | 'reservationTtlMs' | 'faults'>
  /** How long the client's work takes (`AGENTPMT_WORK_MS`). */
  workMs: number
  provokes: readonly Behaviour[]
}

/**
 * The scenarios, in the order they run. Lifetimes are seconds so that the suite takes about
 * fifteen seconds per client; a client must therefore read the deadlines the server gives.
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
    provokes: ['envelope-fields-never-hashed', 'no-doubled-completion', 'truthful-outcome'],
  },
  {
    name: 'session-expires-mid-loop',
    description: 'Sessions live 1.5 s; the work takes 2.5 s, so the session expires during it.',
    sandbox: { sessionTtlMs: 1_500 },
    workMs: 2_500,
    provokes: ['session-renewed', 'truthful-outcome'],
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
    provokes: ['fresh-request-id-after-refusal', 'session-renewed', 'truthful-outcome'],
  },
  {
    name: 'service-unavailable',
    description: 'The first reserve is answered 503 with Retry-After: 2.',
    sandbox: { faults: [{ route: 'reserve', status: 503, retryAfterSeconds: 2, times: 1 }] },
    workMs: 200,
    provokes: ['retry-after-honoured', 'truthful-outcome'],
  },
  {
    name: 'reservation-expires-during-work',
    description: 'Reservations last 3 s; the work takes 6 s, so it cannot finish in time.',
    sandbox: { reservationTtlMs: 3_000 },
    workMs: 6_000,
    provokes: ['work-stopped-before-expiry', 'truthful-outcome'],
  },
  {
    name: 'response-lost-after-completion',
    description:
      'The server records the first completion, then the connection closes before the answer.',
    sandbox: { faults: [{ route: 'complete', drop: true, times: 1 }] },
    workMs: 200,
    provokes: ['same-request-on-transport-retry', 'no-doubled-completion', 'truthful-outcome'],
  },
]
