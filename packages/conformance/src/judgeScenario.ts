import {
  diagnoseSignature,
  payloadHashHypotheses,
  type SignatureMistake,
} from '@agentpmt-kit/error-recovery'
import { type ActionScope, apiPaths, buildMessage, jobActions } from '@agentpmt-kit/message-builder'
import type { SandboxDialect, StoreSnapshot } from '@agentpmt-kit/sandbox'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
import type { Exchange } from './recorder.js'
import { type Behaviour, behaviours, type Scenario } from './scenarios.js'

/**
 * What one scenario left behind for judging: the traffic, the server's record at the end, how
 * the client's process ended and the dialect the sandbox answered in.
 *
 * @example
 * ```ts
 * import type { ScenarioRecord } from '@agentpmt-kit/conformance'
 *
 * declare const record: ScenarioRecord
 * record.exit.timedOut // the client was killed at the scenario's time limit
 * ```
 */
export type ScenarioRecord = {
  scenario: Scenario
  jobId: string
  /** The client's wallet, lower case. */
  wallet: string
  exchanges: readonly Exchange[]
  state: StoreSnapshot
  exit: { code: number | null; signal: string | null; timedOut: boolean }
  /** How the sandbox answered; `default` when omitted. */
  dialect?: readonly SandboxDialect[] | undefined
}

/**
 * The verdict vocabulary, the same in JSON, terminal and docs:
 * - `pass`: put to the test, and the client did it;
 * - `fail`: put to the test, and the client did not; the first cause of a scenario's failure
 *   (at most one per scenario: one fault, one failure);
 * - `not-reached`: the scenario provokes it or it failed too, but only after an earlier failure
 *   (named in `cause`): a consequence, not a second fault;
 * - `inconclusive`: the traffic cannot tell (a refused signature that recovers to the wallet
 *   under no known way of building the message);
 * - `n/a`: nothing in the scenario put it to the test, or it cannot be judged under the dialect
 *   (the evidence says which).
 *
 * @example
 * ```ts
 * import type { VerdictStatus } from '@agentpmt-kit/conformance'
 *
 * const status: VerdictStatus = 'not-reached'
 * ```
 */
export type VerdictStatus = 'pass' | 'fail' | 'not-reached' | 'inconclusive' | 'n/a'

/**
 * The judgement of one behaviour in one scenario, with its evidence from the traffic; a
 * `not-reached` verdict names the failure it follows from in `cause`.
 *
 * @example
 * ```ts
 * import type { Verdict } from '@agentpmt-kit/conformance'
 *
 * const verdict: Verdict = { behaviour: 'retry-after-honoured', status: 'pass', evidence: 'waited 1,004 ms after Retry-After: 1' }
 * ```
 */
export type Verdict = {
  behaviour: Behaviour
  status: VerdictStatus
  evidence: string
  /** For `not-reached`: the behaviour whose failure came first. */
  cause?: Behaviour | undefined
}

/**
 * The refusals the server answered to one endpoint in one scenario (any answer of 400 or more),
 * counted by status and code, with the diagnosis of a refused signature.
 *
 * @example
 * ```ts
 * import type { Refusal } from '@agentpmt-kit/conformance'
 *
 * const refusal: Refusal = { endpoint: 'job_complete', status: 401, errorCode: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH', count: 2, every: true, diagnosis: 'payload hash differs: ...' }
 * ```
 */
export type Refusal = {
  /** The action signed for it (`job_complete`...), `session`, or the path. */
  endpoint: string
  status: number
  errorCode: string | undefined
  count: number
  /** Whether every request to that endpoint was refused. */
  every: boolean
  /** For `EXTERNAL_SIGNATURE_WALLET_MISMATCH`: what the client signed wrong, and the fix. */
  diagnosis?: string | undefined
}

/**
 * The judgement of one scenario: every behaviour's verdict (in {@link behaviours} order) and the
 * refusals the server answered, which name the cause of a job that was not done.
 *
 * @example
 * ```ts
 * import type { ScenarioJudgement } from '@agentpmt-kit/conformance'
 *
 * declare const judgement: ScenarioJudgement
 * judgement.verdicts.filter((verdict) => verdict.status === 'fail')
 * ```
 */
export type ScenarioJudgement = { verdicts: Verdict[]; refusals: Refusal[] }

type Judged = {
  status: 'pass' | 'fail' | 'inconclusive' | 'n/a' | 'untested'
  evidence: string
  /** Where a failure happened: the index of its exchange, or past the end for the exit. */
  at?: number | undefined
}

type Judge = (record: ScenarioRecord, view: TrafficView) => Promise<Judged>

type Indexed = { exchange: Exchange; index: number }

type TrafficView = {
  indexed: readonly Indexed[]
  signed: readonly Indexed[]
  /** Whether an earlier exchange sent these exact bytes to the same path. */
  isResend(index: number): boolean
  after(index: number, path?: string): Indexed | undefined
  /** The next signed request after `index` that the client sent knowing its answer. */
  nextSigned(index: number): Indexed | undefined
  /** The next request to `path` after `index` that the client sent knowing its answer. */
  decidedAfter(index: number, path: string): Indexed | undefined
  paths: { complete: string; status: string }
  /** The message a refused request's signature recovers to the wallet under, with its mistakes. */
  signedMessage(exchange: Exchange): Promise<SignedMessage | undefined>
  refusals: readonly Refusal[]
  /** Past the last exchange: where the outcome is judged. */
  end: number
}

type SignedMessage = { message: string; mistakes: readonly SignatureMistake[] }

const nonceRefusals = new Set([
  'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
  'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
])
const recoverableRefusals = new Set([...nonceRefusals, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'])
const walletMismatch = 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'
/** Dialects that tell no reservation expiry: no client can know when its work must stop. */
const dialectsWithoutReservationExpiry: readonly SandboxDialect[] = ['minimal']
/** The simplest payload hypotheses tried on a refused signature (each costs an ecrecover). */
const maxHypotheses = 120
// Timers may fire a millisecond early, and the client's clock reads the answer a little later.
const slackMs = 50

const field = (exchange: Exchange, name: string): unknown => exchange.body?.[name]
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
const ok = (evidence: string): Judged => ({ status: 'pass', evidence })
const bad = (evidence: string, at: number): Judged => ({ status: 'fail', evidence, at })
const untested = (evidence: string): Judged => ({ status: 'untested', evidence })
const walletOf = (record: ScenarioRecord, item: { wallet: string }) =>
  item.wallet.toLowerCase() === record.wallet
/** Said of a client that stopped sending: it may have been killed rather than have given up. */
const killed = (record: ScenarioRecord): string =>
  record.exit.timedOut ? ' (it was killed at the time limit)' : ''
const isTemporary = (exchange: Exchange) => exchange.status === 429 || exchange.status === 503

const judges: { readonly [behaviour in Behaviour]: Judge } = {
  async 'session-renewed'(record, view) {
    const issued = record.exchanges
      .filter((exchange) => exchange.path === apiPaths.session && exchange.status === 200)
      .map((exchange) => exchange.answer?.session_nonce)
    let afterRefusal = 0
    for (const { exchange, index } of view.signed) {
      if (!nonceRefusals.has(exchange.errorCode ?? '')) continue
      const next = view.nextSigned(index)
      if (next === undefined)
        return bad(
          `after ${exchange.errorCode} on ${exchange.path} the client signed nothing more${killed(record)}`,
          index,
        )
      const nonce = field(next.exchange, 'session_nonce')
      if (nonce === field(exchange, 'session_nonce'))
        return bad(
          `after ${exchange.errorCode}, the next request (${next.exchange.path}) kept the refused nonce`,
          next.index,
        )
      if (issued.indexOf(nonce) > issued.indexOf(field(exchange, 'session_nonce')))
        afterRefusal += 1
    }
    const renewed = view.signed.filter(
      ({ exchange }) =>
        issued.indexOf(field(exchange, 'session_nonce')) > 0 &&
        typeof exchange.status === 'number' &&
        exchange.status < 300,
    )
    if (afterRefusal > 0)
      return ok(
        `${issued.length} sessions opened; after each nonce refusal the next request was signed with a new nonce`,
      )
    return renewed.length > 0
      ? ok(
          `${issued.length} sessions opened; ${renewed.length} request(s) signed with a later nonce were accepted`,
        )
      : untested(`${issued.length} session(s) opened; no request needed or used a renewed one`)
  },

  async 'fresh-request-id-after-refusal'(record, view) {
    let refusals = 0
    for (const { exchange, index } of view.signed) {
      const code = exchange.errorCode ?? ''
      const refused = recoverableRefusals.has(code) || isTemporary(exchange)
      if (!refused || view.isResend(index)) continue
      const what = recoverableRefusals.has(code) ? code : `${String(exchange.status)} (temporary)`
      refusals += 1
      const next = view.decidedAfter(index, exchange.path)
      if (next === undefined)
        return bad(
          `gave up on ${exchange.path} after ${what}, which it can recover from${killed(record)}`,
          index,
        )
      if (field(next.exchange, 'request_id') === field(exchange, 'request_id'))
        return bad(
          `retried ${exchange.path} after ${what} with the same request id (${String(field(exchange, 'request_id'))}); a refused id is spent`,
          next.index,
        )
      if (field(next.exchange, 'signature') === field(exchange, 'signature'))
        return bad(`retried ${exchange.path} after ${what} with the same signature`, next.index)
    }
    return refusals > 0
      ? ok(`${refusals} refusal(s), each retried with a fresh request id and a new signature`)
      : untested('no recoverable refusal of a signed request')
  },

  async 'same-request-on-transport-retry'(_record, view) {
    const followed: string[] = []
    for (const { exchange, index } of view.signed) {
      if (exchange.status !== 'dropped') continue
      const next = view.after(index, exchange.path)
      const statusRead = view.after(index, view.paths.status)
      if (next?.exchange.text === exchange.text) {
        followed.push(`${exchange.path}: re-sent the identical request`)
        continue
      }
      if (statusRead !== undefined && (next === undefined || statusRead.index <= next.index)) {
        followed.push(`${exchange.path}: read status first`)
        continue
      }
      if (next === undefined)
        return bad(
          `after the lost response to ${exchange.path} the client neither re-sent it nor read status`,
          index,
        )
      return bad(
        `after the lost response to ${exchange.path} the client sent a new request (request id ${String(field(next.exchange, 'request_id'))}) without reading status`,
        next.index,
      )
    }
    return followed.length > 0
      ? ok(`lost responses: ${followed.join('; ')}`)
      : untested('no response was lost')
  },

  async 'retry-after-honoured'(_record, view) {
    const waits: string[] = []
    for (const { exchange, index } of view.indexed) {
      if (exchange.retryAfterSeconds === undefined || !isTemporary(exchange)) continue
      const next = view.after(index, exchange.path)
      if (next === undefined)
        return bad(
          `never sent to ${exchange.path} again after ${exchange.status} (temporary)`,
          index,
        )
      const waited = next.exchange.sentAt - exchange.answeredAt
      if (waited < exchange.retryAfterSeconds * 1000 - slackMs)
        return bad(
          `sent to ${exchange.path} again after ${waited} ms; Retry-After asked ${exchange.retryAfterSeconds} s`,
          next.index,
        )
      waits.push(`waited ${waited} ms after Retry-After: ${exchange.retryAfterSeconds}`)
    }
    return waits.length > 0 ? ok(waits.join('; ')) : untested('no Retry-After')
  },

  async 'work-stopped-before-expiry'(record, view) {
    const silent = (record.dialect ?? []).find((dialect) =>
      dialectsWithoutReservationExpiry.includes(dialect),
    )
    if (silent !== undefined)
      return {
        status: 'n/a',
        evidence: `the ${silent} dialect tells no reservation expiry: no client can know when to stop`,
      }
    const completions = view.signed.filter(({ exchange }) => exchange.path === view.paths.complete)
    const reservations = record.state.reservations.filter((held) => walletOf(record, held))
    for (const { exchange, index } of completions) {
      const reservation = reservations.find(
        (held) => held.reservationId === field(exchange, 'reservation_id'),
      )
      if (reservation === undefined) continue
      const lifetime = reservation.expiresAt - reservation.createdAt
      if (lifetime < record.scenario.workMs)
        return bad(
          `submitted proof for work of ${seconds(record.scenario.workMs)} on a reservation of ${seconds(lifetime)}`,
          index,
        )
      if (exchange.sentAt > reservation.expiresAt)
        return bad(
          `sent a completion ${seconds(exchange.sentAt - reservation.expiresAt)} after the reservation expired`,
          index,
        )
      if (exchange.sentAt < reservation.createdAt + record.scenario.workMs - slackMs)
        return bad(
          `sent a completion ${seconds(exchange.sentAt - reservation.createdAt)} after reserving, before the work (${seconds(record.scenario.workMs)}) was done`,
          index,
        )
    }
    const tooShort = reservations.filter(
      (reservation) => reservation.expiresAt - reservation.createdAt < record.scenario.workMs,
    )
    if (tooShort.length > 0)
      return ok('the work could not finish before the reservation expired: nothing was submitted')
    return completions.length > 0
      ? ok('every completion was sent after the work and before the reservation expired')
      : untested('no completion and no reservation too short for the work')
  },

  async 'no-doubled-completion'(record, view) {
    const completions = view.signed.filter(({ exchange }) => exchange.path === view.paths.complete)
    const submissions = record.state.submissions.filter((held) => walletOf(record, held))
    for (const submission of submissions) {
      const forIt = completions.filter(
        ({ exchange }) => field(exchange, 'reservation_id') === submission.reservationId,
      )
      const sentBefore = new Set(
        forIt
          .filter(({ exchange }) => exchange.sentAt <= submission.submittedAt)
          .map(({ exchange }) => field(exchange, 'request_id')),
      )
      const doubled = forIt.find(
        ({ exchange }) =>
          exchange.sentAt > submission.submittedAt &&
          !sentBefore.has(field(exchange, 'request_id')),
      )
      if (doubled !== undefined)
        return bad(
          `sent a new completion (request id ${String(field(doubled.exchange, 'request_id'))}) after the server had recorded one for ${submission.reservationId}`,
          doubled.index,
        )
      const held = submissions.filter((other) => other.reservationId === submission.reservationId)
      if (held.length > 1)
        return bad(
          `the server holds ${held.length} submissions for ${submission.reservationId}`,
          view.end,
        )
    }
    return completions.length > 0
      ? ok(`${completions.length} completion request(s), ${submissions.length} recorded`)
      : untested('no completion was sent')
  },

  async 'envelope-fields-never-hashed'(_record, view) {
    const refused = view.signed.filter(({ exchange }) => exchange.errorCode === walletMismatch)
    if (refused.length === 0)
      return view.signed.length > 0
        ? ok(`${view.signed.length} signed request(s), all accepted by the server's own check`)
        : untested('no signed request')
    let unrecovered = 0
    const recovered: string[] = []
    for (const { exchange, index } of refused) {
      const signed = await view.signedMessage(exchange)
      if (signed === undefined) unrecovered += 1
      else if (signed.mistakes.includes('envelope-fields-hashed'))
        return bad(
          `the signature of ${exchange.path} recovers to the wallet only with the envelope fields hashed`,
          index,
        )
      else recovered.push(signed.mistakes.join(' + ') || 'canonical')
    }
    if (unrecovered > 0)
      return {
        status: 'inconclusive',
        evidence: `${unrecovered} of ${refused.length} refused signature(s) recover to the wallet under none of the ${maxHypotheses} simplest ways of building the message: what was hashed cannot be told`,
      }
    return ok(
      `${refused.length} refused signature(s), each recovered without the envelope hashed (${[...new Set(recovered)].join('; ')})`,
    )
  },

  async 'job-done'(record, view) {
    const expected = record.scenario.outcome
    const actual = jobOutcome(record)
    if (actual === expected) return ok(`the job ended ${actual}, as the scenario scripts`)
    const cause = view.refusals.length > 0 ? `; ${describeRefusals(view.refusals)}` : ''
    const last = record.exchanges.at(-1)
    const stopped =
      cause === '' && last !== undefined
        ? `; the server refused nothing, the client's last request was ${last.path}`
        : ''
    return bad(
      `job-not-done: the job ${actual === 'lapsed' ? 'was reserved and nothing was submitted' : actual === 'not reserved' ? 'was never reserved' : `ended ${actual}`}, where the scenario expects ${expected}${cause}${stopped}`,
      view.end,
    )
  },

  async 'truthful-outcome'(record, view) {
    const verified = jobOutcome(record) === 'verified'
    const { code, signal, timedOut } = record.exit
    if (timedOut) return bad('the client did not exit within the time allowed', view.end + 2)
    const exited = signal === null ? `exited ${code}` : `was killed by ${signal}`
    if (code === 0 && !verified)
      return bad(
        `${exited}, but the server holds no verified submission of this wallet`,
        view.end + 2,
      )
    if (code !== 0 && verified)
      return bad(`${exited}, but the server verified the job`, view.end + 2)
    return ok(`${exited}; the server's record: ${verified ? 'verified' : 'not verified'}`)
  },
}

/**
 * Judges every behaviour on the record of one scenario and attributes a failure to its first
 * cause: the failure that happened first in the traffic (ties in {@link behaviours} order; the
 * job's outcome, then the exit, come last) fails, every later one is `not-reached` with that
 * cause. A behaviour the scenario provokes that never happened fails, unless an earlier failure
 * explains it.
 *
 * @example
 * ```ts
 * import { judgeScenario, type ScenarioRecord } from '@agentpmt-kit/conformance'
 *
 * declare const record: ScenarioRecord
 * const { verdicts, refusals } = await judgeScenario(record)
 * verdicts.filter((verdict) => verdict.status === 'fail')
 * ```
 */
export async function judgeScenario(record: ScenarioRecord): Promise<ScenarioJudgement> {
  const view = await trafficView(record)
  const order = Object.keys(behaviours) as Behaviour[]
  const judged = new Map<Behaviour, Judged>()
  for (const behaviour of order) {
    const verdict = await judges[behaviour](record, view)
    judged.set(
      behaviour,
      verdict.status === 'untested' && record.scenario.provokes.includes(behaviour)
        ? bad(`the scenario provokes it, but it never happened (${verdict.evidence})`, view.end + 1)
        : verdict,
    )
  }
  const failures = order
    .filter((behaviour) => judged.get(behaviour)?.status === 'fail')
    .sort((a, b) => (judged.get(a)?.at ?? 0) - (judged.get(b)?.at ?? 0))
  const [cause] = failures
  const verdicts = order.map((behaviour): Verdict => {
    const { status, evidence } = judged.get(behaviour)!
    if (status === 'untested')
      return { behaviour, status: 'n/a', evidence: `not put to the test here: ${evidence}` }
    if (status !== 'fail' || behaviour === cause) return { behaviour, status, evidence }
    return {
      behaviour,
      status: 'not-reached',
      evidence: `a consequence of ${cause} failing first: ${evidence}`,
      cause,
    }
  })
  return { verdicts, refusals: [...view.refusals] }
}

/** How the job ended for this wallet: the last submission's verification, else lapsed or not reserved. */
function jobOutcome(record: ScenarioRecord): string {
  const submitted = record.state.submissions.filter(
    (held) => walletOf(record, held) && held.jobId === record.jobId,
  )
  const last = submitted.at(-1)
  if (last !== undefined) return last.verification
  return record.state.reservations.some((held) => walletOf(record, held))
    ? 'lapsed'
    : 'not reserved'
}

/**
 * The refusals in a sentence each, e.g. `every job_complete was refused (2 × 401
 * EXTERNAL_SIGNATURE_WALLET_MISMATCH): payload hash differs: ...`.
 *
 * @example
 * ```ts
 * import { describeRefusals, type ScenarioJudgement } from '@agentpmt-kit/conformance'
 *
 * declare const judgement: ScenarioJudgement
 * console.log(describeRefusals(judgement.refusals))
 * ```
 */
export function describeRefusals(refusals: readonly Refusal[]): string {
  return refusals
    .map((refusal) => {
      const what = `${refusal.count} × ${refusal.status} ${refusal.errorCode ?? '(no error_code)'}`
      const head = refusal.every
        ? `every ${refusal.endpoint} was refused (${what})`
        : `${refusal.endpoint} refused ${what}`
      return refusal.diagnosis === undefined ? head : `${head}: ${refusal.diagnosis}`
    })
    .join('; ')
}

async function trafficView(record: ScenarioRecord): Promise<TrafficView> {
  const indexed = record.exchanges.map((exchange, index) => ({ exchange, index }))
  const signed = indexed.filter(({ exchange }) => typeof field(exchange, 'signature') === 'string')
  const recovered = new Map<Exchange, Promise<SignedMessage | undefined>>()
  const signedMessage = (exchange: Exchange) => {
    let found = recovered.get(exchange)
    if (found === undefined) {
      found = recoverSignedMessage(record, exchange)
      recovered.set(exchange, found)
    }
    return found
  }
  return {
    indexed,
    signed,
    isResend: (index) =>
      indexed
        .slice(0, index)
        .some(
          ({ exchange }) =>
            exchange.path === indexed[index]?.exchange.path &&
            exchange.text === indexed[index]?.exchange.text,
        ),
    after: (index, path) =>
      indexed.find(
        (item) => item.index > index && (path === undefined || item.exchange.path === path),
      ),
    // A copy of the refused request sent before its answer was in flight, not a decision.
    nextSigned: (index) =>
      signed.find((item) => item.index > index && !inFlightCopy(indexed[index]!, item)),
    decidedAfter: (index, path) =>
      indexed.find(
        (item) =>
          item.index > index && item.exchange.path === path && !inFlightCopy(indexed[index]!, item),
      ),
    paths: { complete: apiPaths.complete(record.jobId), status: apiPaths.status(record.jobId) },
    signedMessage,
    refusals: await refusalsOf(record, indexed, signedMessage),
    end: indexed.length,
  }
}

function inFlightCopy(refused: Indexed, later: Indexed): boolean {
  return (
    later.exchange.text === refused.exchange.text &&
    later.exchange.sentAt < refused.exchange.answeredAt
  )
}

async function refusalsOf(
  record: ScenarioRecord,
  indexed: readonly Indexed[],
  signedMessage: (exchange: Exchange) => Promise<SignedMessage | undefined>,
): Promise<Refusal[]> {
  const groups = new Map<string, { refusal: Refusal; first: Exchange }>()
  for (const { exchange } of indexed) {
    if (typeof exchange.status !== 'number' || exchange.status < 400) continue
    const key = `${exchange.path} ${exchange.status} ${exchange.errorCode}`
    const group = groups.get(key)
    if (group !== undefined) {
      group.refusal.count += 1
      continue
    }
    groups.set(key, {
      first: exchange,
      refusal: {
        endpoint: endpointName(record.jobId, exchange.path),
        status: exchange.status,
        errorCode: exchange.errorCode,
        count: 1,
        every: false,
      },
    })
  }
  const refusals: Refusal[] = []
  for (const { refusal, first } of groups.values()) {
    const sent = indexed.filter(({ exchange }) => exchange.path === first.path).length
    refusal.every = refusal.count === sent
    if (first.errorCode === walletMismatch) refusal.diagnosis = await diagnose(first, signedMessage)
    refusals.push(refusal)
  }
  return refusals
}

/** What the client signed wrong in a refused request, from the message its signature recovers under. */
async function diagnose(
  exchange: Exchange,
  signedMessage: (exchange: Exchange) => Promise<SignedMessage | undefined>,
): Promise<string> {
  const signed = await signedMessage(exchange)
  if (signed === undefined)
    return `the signature recovers to the wallet under none of the ${maxHypotheses} simplest ways of building the message (another key, or a line other than payload: differs)`
  const diagnosis = diagnoseSignature({
    message: signed.message,
    sent: exchange.body,
    error: exchange.answer ?? {},
  })
  const problems = [...new Set(diagnosis.problems.map((problem) => problem.kind))]
  const [finding, ...others] = diagnosis.findings
  const encoder =
    finding?.encoder === undefined ? '' : ` (${finding.language} ${finding.encoder} default)`
  // The explanation's first sentence names the way of writing that reproduces the hash.
  const how = finding?.explanation.split('. ')[0]
  const found =
    finding === undefined
      ? ''
      : `: ${how}${encoder}. Fix: ${finding.fix}${others.length > 0 ? ` (or, by another encoder: ${others.map((other) => other.mistake).join(', ')})` : ''}`
  return `${problems.join(', ').replaceAll('-', ' ')}${found}`
}

/**
 * The message a refused request's signature recovers to the wallet under: its own lines with
 * each payload hash a client may have signed (canonical first, then known mistakes).
 */
async function recoverSignedMessage(
  record: ScenarioRecord,
  exchange: Exchange,
): Promise<SignedMessage | undefined> {
  const scope = scopeOf(record.jobId, exchange.path)
  const body = exchange.body
  if (scope === undefined || body === undefined || typeof body.signature !== 'string') return
  const hypotheses = payloadHashHypotheses(body).slice(0, maxHypotheses)
  for (const [tried, { hash, mistakes }] of hypotheses.entries()) {
    // Recovering is CPU work: let the other scenarios' sandboxes answer in between.
    if (tried % 8 === 7) await new Promise((resolve) => setImmediate(resolve))
    try {
      const message = buildMessage({
        wallet: String(body.wallet_address),
        session: String(body.session_nonce),
        request: String(body.request_id),
        scope,
        payloadHash: hash,
      })
      const signer = await recoverMessageSigner({ message, signature: body.signature })
      if (signer === record.wallet) return { message, mistakes }
    } catch {
      // Not even well-formed under this hypothesis: it is not what was signed.
    }
  }
  return undefined
}

function scopeOf(jobId: string, path: string): ActionScope | undefined {
  if (path === apiPaths.list) return { action: jobActions.list }
  for (const step of ['reserve', 'complete', 'status'] as const)
    if (path === apiPaths[step](jobId)) return { action: jobActions[step], product: jobId }
  return undefined
}

function endpointName(jobId: string, path: string): string {
  if (path === apiPaths.session) return 'session'
  return scopeOf(jobId, path)?.action ?? path
}
