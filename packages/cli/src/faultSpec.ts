import type { FaultRule, InjectedRefusal, RouteName } from '@agentpmt-kit/sandbox'
import { InvalidArgumentError } from 'commander'

const routes: readonly RouteName[] = [
  'session',
  'list',
  'reserve',
  'complete',
  'status',
  'workflowCreate',
  'workflowPublish',
  'toolInvoke',
  'balance',
]

const refusals: { readonly [name: string]: InjectedRefusal } = {
  'nonce-invalid': 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
  'nonce-expired': 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
  replay: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
}

/**
 * Reads one `--faults` rule of `agentpmt sandbox`: comma-separated `key=value` pairs,
 * `route=<route>[+<route>...]`, `status=429|500|503`, `refuse=nonce-invalid|nonce-expired|replay`,
 * `drop`, `latency=<ms>`, `rate=<0..1>`,
 * `times=<n>`, `retry-after=<seconds>`. Routes: session, list, reserve, complete, status,
 * workflowCreate, workflowPublish, toolInvoke, balance (all when omitted).
 *
 * @example
 * ```ts
 * import { parseFaultRule } from './faultSpec.js'
 *
 * parseFaultRule('route=reserve,status=500,times=1') // { route: ['reserve'], status: 500, times: 1 }
 * ```
 */
export function parseFaultRule(spec: string): FaultRule {
  const rule: FaultRule = {}
  for (const part of spec.split(',')) {
    const [key = '', value] = part.split('=', 2).map((text) => text.trim())
    switch (key) {
      case 'route': {
        const names = (value ?? '').split('+')
        const unknown = names.find((name) => !routes.includes(name as RouteName))
        if (unknown !== undefined)
          throw new InvalidArgumentError(
            `unknown route "${unknown}"; routes: ${routes.join(', ')}.`,
          )
        rule.route = names as RouteName[]
        break
      }
      case 'status':
        if (value !== '429' && value !== '500' && value !== '503')
          throw new InvalidArgumentError('status must be 429, 500 or 503.')
        rule.status = Number(value) as 429 | 500 | 503
        break
      case 'refuse': {
        const refusal = refusals[value ?? '']
        if (refusal === undefined)
          throw new InvalidArgumentError(`refuse must be ${Object.keys(refusals).join(', ')}.`)
        rule.refuse = refusal
        break
      }
      case 'drop':
        rule.drop = true
        break
      case 'latency':
        rule.latencyMs = number(key, value, 0)
        break
      case 'rate': {
        const rate = number(key, value, 0)
        if (rate > 1) throw new InvalidArgumentError('rate must be between 0 and 1.')
        rule.rate = rate
        break
      }
      case 'times':
        rule.times = number(key, value, 1)
        break
      case 'retry-after':
        rule.retryAfterSeconds = number(key, value, 0)
        break
      default:
        throw new InvalidArgumentError(
          `unknown fault key "${key}"; use route, status, refuse, drop, latency, rate, times, retry-after.`,
        )
    }
  }
  if (
    rule.status === undefined &&
    rule.refuse === undefined &&
    !rule.drop &&
    rule.latencyMs === undefined
  )
    throw new InvalidArgumentError('a fault needs status=..., refuse=..., drop or latency=...')
  return rule
}

function number(key: string, value: string | undefined, min: number): number {
  const number = Number(value)
  if (value === undefined || value === '' || !Number.isFinite(number) || number < min)
    throw new InvalidArgumentError(`${key} must be a number of at least ${min}.`)
  return number
}

/**
 * Commander's collector for a repeatable or variadic `--faults` option.
 *
 * @example
 * ```ts
 * import { collectFaultRules } from './faultSpec.js'
 *
 * collectFaultRules('route=list,latency=200', []) // [{ route: ['list'], latencyMs: 200 }]
 * ```
 */
export function collectFaultRules(spec: string, rules: readonly FaultRule[] = []): FaultRule[] {
  return [...rules, parseFaultRule(spec)]
}
