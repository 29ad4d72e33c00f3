import type { SandboxRandom } from './random.js'

/**
 * A refusal a fault rule can answer in place of the route: the documented signature errors a
 * client must recover from (PROTOCOL section 5: new session, or fresh request id).
 *
 * @example
 * ```ts
 * import type { InjectedRefusal } from '@agentpmt-kit/sandbox'
 *
 * const refusal: InjectedRefusal = 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'
 * ```
 */
export type InjectedRefusal =
  | 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'
  | 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'
  | 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'

/**
 * The routes of the sandbox, as fault rules and statistics name them.
 *
 * @example
 * ```ts
 * import type { RouteName } from '@agentpmt-kit/sandbox'
 *
 * const route: RouteName = 'reserve'
 * ```
 */
export type RouteName =
  | 'session'
  | 'list'
  | 'reserve'
  | 'complete'
  | 'status'
  | 'workflowCreate'
  | 'workflowPublish'
  | 'toolInvoke'
  | 'balance'

/**
 * One fault to inject. On each request to a matching route the rule fires with probability
 * `rate` (drawn from the sandbox's seeded random source), at most `times` times. When it fires:
 * `latencyMs` is waited first; `status` answers 429, 500 or 503 without touching any state (with
 * `Retry-After` on 429 and 503); `refuse` answers that signature refusal (its documented status
 * and body) without touching any state, the request id left unspent; `drop` lets the request run to the end, changing the state, and
 * then closes the connection without an answer: the ambiguous failure a client must survive.
 *
 * @example
 * ```ts
 * import type { FaultRule } from '@agentpmt-kit/sandbox'
 *
 * const flakyReserve: FaultRule = { route: 'reserve', status: 503, rate: 0.3, retryAfterSeconds: 2 }
 * const lostCompletion: FaultRule = { route: 'complete', drop: true, times: 1 }
 * const lostSession: FaultRule = { route: 'reserve', refuse: 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID', times: 1 }
 * ```
 */
export type FaultRule = {
  /** The routes it applies to; all routes when omitted. */
  route?: RouteName | readonly RouteName[] | undefined
  /** Probability in [0, 1] that the rule fires on a request; 1 when omitted. */
  rate?: number | undefined
  /** How many times it may fire; without limit when omitted. */
  times?: number | undefined
  latencyMs?: number | undefined
  status?: 429 | 500 | 503 | undefined
  /** Seconds sent in `Retry-After` with a 429 or 503; 1 when omitted. */
  retryAfterSeconds?: number | undefined
  refuse?: InjectedRefusal | undefined
  drop?: boolean | undefined
}

/**
 * What the faults decide for one request.
 *
 * @example
 * ```ts
 * import type { FaultDecision } from '@agentpmt-kit/sandbox'
 *
 * const none: FaultDecision = { latencyMs: 0, drop: false }
 * ```
 */
export type FaultDecision = {
  latencyMs: number
  drop: boolean
  status?: 429 | 500 | 503 | undefined
  retryAfterSeconds?: number | undefined
  refuse?: InjectedRefusal | undefined
}

/**
 * The fault rules of a running sandbox, which tests may change at any time.
 *
 * @example
 * ```ts
 * import type { FaultController } from '@agentpmt-kit/sandbox'
 *
 * declare const faults: FaultController
 * faults.set([{ route: 'complete', drop: true, times: 1 }])
 * faults.clear()
 * ```
 */
export type FaultController = {
  /** Replaces every rule. */
  set(rules: readonly FaultRule[]): void
  /** Adds one rule. */
  add(rule: FaultRule): void
  clear(): void
  /** Decides the faults of one request to `route` (consumes random draws and `times`). */
  decide(route: RouteName): FaultDecision
}

/**
 * Makes a {@link FaultController}, drawing from `random`.
 *
 * @example
 * ```ts
 * import { createFaults, createRandom } from '@agentpmt-kit/sandbox'
 *
 * const faults = createFaults([{ route: 'list', status: 429 }], createRandom(1))
 * faults.decide('list') // { latencyMs: 0, drop: false, status: 429, retryAfterSeconds: 1 }
 * ```
 */
export function createFaults(
  initial: readonly FaultRule[],
  random: SandboxRandom,
): FaultController {
  let rules: Array<{ rule: FaultRule; fired: number }> = []
  const add = (rule: FaultRule): void => {
    const rate = rule.rate ?? 1
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Fault rate must be in [0, 1], got ${rate}`)
    rules.push({ rule: { ...rule }, fired: 0 })
  }
  const set = (next: readonly FaultRule[]): void => {
    rules = []
    for (const rule of next) add(rule)
  }
  set(initial)
  return {
    set,
    add,
    clear: () => set([]),
    decide(route) {
      const decision: FaultDecision = { latencyMs: 0, drop: false }
      for (const entry of rules) {
        const { rule } = entry
        if (!applies(rule, route)) continue
        if (rule.times !== undefined && entry.fired >= rule.times) continue
        if (random.next() >= (rule.rate ?? 1)) continue
        entry.fired += 1
        decision.latencyMs += rule.latencyMs ?? 0
        if (rule.status !== undefined && decision.status === undefined) {
          decision.status = rule.status
          if (rule.status !== 500) decision.retryAfterSeconds = rule.retryAfterSeconds ?? 1
        }
        if (rule.refuse !== undefined && decision.refuse === undefined)
          decision.refuse = rule.refuse
        if (rule.drop) decision.drop = true
      }
      // An answer in place of the route's: nothing ran, so nothing is dropped.
      if (decision.status !== undefined || decision.refuse !== undefined) decision.drop = false
      return decision
    },
  }
}

function applies(rule: FaultRule, route: RouteName): boolean {
  if (rule.route === undefined) return true
  return typeof rule.route === 'string' ? rule.route === route : rule.route.includes(route)
}
