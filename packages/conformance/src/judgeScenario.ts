import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { type ActionScope, apiPaths, buildMessage, jobActions } from '@agentpmt-kit/message-builder'
import type { StoreSnapshot } from '@agentpmt-kit/sandbox'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
import type { Exchange } from './recorder.js'
import type { Behaviour, Scenario } from './scenarios.js'

/**
 * What one scenario left behind for judging: the traffic, the server's record at the end and how
 * the client's process ended.
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
}

/**
 * The judgement of one behaviour in one scenario: `not-seen` when nothing in the traffic put it
 * to the test (a failure when the scenario provokes it).
 *
 * @example
 * ```ts
 * import type { Verdict } from '@agentpmt-kit/conformance'
 *
 * const verdict: Verdict = { behaviour: 'retry-after-honoured', status: 'pass', evidence: 'waited 2,004 ms after Retry-After: 2' }
 * ```
 */
export type Verdict = {
  behaviour: Behaviour
  status: 'pass' | 'fail' | 'not-seen'
  evidence: string
}

type Judge = (record: ScenarioRecord, view: TrafficView) => Promise<Omit<Verdict, 'behaviour'>>

type TrafficView = {
  /** Index of each exchange in the traffic. */
  indexed: readonly { exchange: Exchange; index: number }[]
  signed: readonly { exchange: Exchange; index: number }[]
  /** Whether an earlier exchange sent these exact bytes to the same path. */
  isResend(index: number): boolean
  after(index: number, path?: string): { exchange: Exchange; index: number } | undefined
  paths: { complete: string; status: string }
}

const nonceRefusals = new Set([
  'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
  'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
])
const recoverableRefusals = new Set([...nonceRefusals, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'])
// Timers may fire a millisecond early, and the client's clock reads the answer a little later.
const slackMs = 50

const field = (exchange: Exchange, name: string): unknown => exchange.body?.[name]
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
const ok = (evidence: string) => ({ status: 'pass' as const, evidence })
const bad = (evidence: string) => ({ status: 'fail' as const, evidence })
const unseen = (evidence: string) => ({ status: 'not-seen' as const, evidence })

const judges: { readonly [behaviour in Behaviour]: Judge } = {
  async 'session-renewed'(record, view) {
    const issued = record.exchanges
      .filter((exchange) => exchange.path === apiPaths.session && exchange.status === 200)
      .map((exchange) => exchange.answer?.session_nonce)
    for (const { exchange, index } of view.signed) {
      if (!nonceRefusals.has(exchange.errorCode ?? '')) continue
      const next = view.after(index)
      if (next === undefined)
        return bad(`after ${exchange.errorCode} on ${exchange.path} the client sent nothing more`)
      if (field(next.exchange, 'session_nonce') === field(exchange, 'session_nonce'))
        return bad(
          `after ${exchange.errorCode}, the next request (${next.exchange.path}) kept the refused nonce`,
        )
    }
    const renewed = view.signed.filter(
      ({ exchange }) =>
        issued.indexOf(field(exchange, 'session_nonce')) > 0 &&
        typeof exchange.status === 'number' &&
        exchange.status < 300,
    )
    return renewed.length > 0
      ? ok(
          `${issued.length} sessions opened; ${renewed.length} request(s) signed with a later nonce were accepted`,
        )
      : unseen(`${issued.length} session(s) opened; no request needed or used a renewed one`)
  },

  async 'fresh-request-id-after-refusal'(_record, view) {
    let refusals = 0
    for (const { exchange, index } of view.signed) {
      if (!recoverableRefusals.has(exchange.errorCode ?? '') || view.isResend(index)) continue
      refusals += 1
      const next = view.after(index, exchange.path)
      if (next === undefined)
        return bad(
          `gave up on ${exchange.path} after ${exchange.errorCode}, which it can recover from`,
        )
      if (field(next.exchange, 'request_id') === field(exchange, 'request_id'))
        return bad(`retried ${exchange.path} after ${exchange.errorCode} with the same request id`)
      if (field(next.exchange, 'signature') === field(exchange, 'signature'))
        return bad(`retried ${exchange.path} after ${exchange.errorCode} with the same signature`)
    }
    return refusals > 0
      ? ok(`${refusals} refusal(s), each retried with a fresh request id and a new signature`)
      : unseen('no recoverable refusal')
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
        )
      return bad(
        `after the lost response to ${exchange.path} the client sent a new request (request id ${String(field(next.exchange, 'request_id'))}) without reading status`,
      )
    }
    return followed.length > 0
      ? ok(`lost responses: ${followed.join('; ')}`)
      : unseen('no response was lost')
  },

  async 'retry-after-honoured'(_record, view) {
    const waits: string[] = []
    for (const { exchange, index } of view.indexed) {
      if (exchange.retryAfterSeconds === undefined) continue
      if (exchange.status !== 429 && exchange.status !== 503) continue
      const next = view.after(index, exchange.path)
      if (next === undefined)
        return bad(`never sent to ${exchange.path} again after ${exchange.status} (temporary)`)
      const waited = next.exchange.sentAt - exchange.answeredAt
      if (waited < exchange.retryAfterSeconds * 1000 - slackMs)
        return bad(
          `sent to ${exchange.path} again after ${waited} ms; Retry-After asked ${exchange.retryAfterSeconds} s`,
        )
      waits.push(`waited ${waited} ms after Retry-After: ${exchange.retryAfterSeconds}`)
    }
    return waits.length > 0 ? ok(waits.join('; ')) : unseen('no Retry-After')
  },

  async 'work-stopped-before-expiry'(record, view) {
    const completions = view.signed.filter(({ exchange }) => exchange.path === view.paths.complete)
    const reservations = record.state.reservations.filter(
      (reservation) => reservation.wallet.toLowerCase() === record.wallet,
    )
    for (const { exchange } of completions) {
      const reservation = reservations.find(
        (held) => held.reservationId === field(exchange, 'reservation_id'),
      )
      if (reservation === undefined) continue
      const lifetime = reservation.expiresAt - reservation.createdAt
      if (lifetime < record.scenario.workMs)
        return bad(
          `submitted proof for work of ${seconds(record.scenario.workMs)} on a reservation of ${seconds(lifetime)}`,
        )
      if (exchange.sentAt > reservation.expiresAt)
        return bad(
          `sent a completion ${seconds(exchange.sentAt - reservation.expiresAt)} after the reservation expired`,
        )
      if (exchange.sentAt < reservation.createdAt + record.scenario.workMs - slackMs)
        return bad(
          `sent a completion ${seconds(exchange.sentAt - reservation.createdAt)} after reserving, before the work (${seconds(record.scenario.workMs)}) was done`,
        )
    }
    const tooShort = reservations.filter(
      (reservation) => reservation.expiresAt - reservation.createdAt < record.scenario.workMs,
    )
    if (tooShort.length > 0)
      return ok('the work could not finish before the reservation expired: nothing was submitted')
    return completions.length > 0
      ? ok('every completion was sent after the work and before the reservation expired')
      : unseen('no completion and no reservation too short for the work')
  },

  async 'no-doubled-completion'(record, view) {
    const completions = view.signed.filter(({ exchange }) => exchange.path === view.paths.complete)
    const submissions = record.state.submissions.filter(
      (submission) => submission.wallet.toLowerCase() === record.wallet,
    )
    for (const submission of submissions) {
      const held = submissions.filter((other) => other.reservationId === submission.reservationId)
      if (held.length > 1)
        return bad(`the server holds ${held.length} submissions for ${submission.reservationId}`)
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
        )
    }
    return completions.length > 0
      ? ok(`${completions.length} completion request(s), ${submissions.length} recorded`)
      : unseen('no completion was sent')
  },

  async 'envelope-fields-never-hashed'(record, view) {
    for (const { exchange } of view.signed) {
      if (exchange.errorCode !== 'EXTERNAL_SIGNATURE_WALLET_MISMATCH') continue
      if (await signedWithEnvelope(record, exchange))
        return bad(
          `the signature of ${exchange.path} recovers to the wallet only with the envelope fields hashed`,
        )
    }
    return view.signed.length > 0
      ? ok(`${view.signed.length} signed request(s); none hashed an envelope field`)
      : unseen('no signed request')
  },

  async 'truthful-outcome'(record) {
    const verified = record.state.submissions.some(
      (submission) =>
        submission.wallet.toLowerCase() === record.wallet &&
        submission.jobId === record.jobId &&
        submission.verification === 'verified',
    )
    const { code, signal, timedOut } = record.exit
    if (timedOut) return bad('the client did not exit within the time allowed')
    const exited = signal === null ? `exited ${code}` : `was killed by ${signal}`
    if (code === 0 && !verified)
      return bad(`${exited}, but the server holds no verified submission of this wallet`)
    if (code !== 0 && verified) return bad(`${exited}, but the server verified the job`)
    return ok(`${exited}; the server's record: ${verified ? 'verified' : 'not verified'}`)
  },
}

/**
 * Judges every behaviour on the record of one scenario. A behaviour the scenario provokes and
 * that was not seen fails: the client never got to the point the scenario tests.
 *
 * @example
 * ```ts
 * import { judgeScenario, type ScenarioRecord } from '@agentpmt-kit/conformance'
 *
 * declare const record: ScenarioRecord
 * const verdicts = await judgeScenario(record)
 * verdicts.filter((verdict) => verdict.status === 'fail')
 * ```
 */
export async function judgeScenario(record: ScenarioRecord): Promise<Verdict[]> {
  const view = trafficView(record)
  const verdicts: Verdict[] = []
  for (const behaviour of Object.keys(judges) as Behaviour[]) {
    const verdict = { behaviour, ...(await judges[behaviour](record, view)) }
    if (verdict.status === 'not-seen' && record.scenario.provokes.includes(behaviour))
      verdicts.push({
        behaviour,
        status: 'fail',
        evidence: `the scenario provokes it, but it never happened (${verdict.evidence})`,
      })
    else verdicts.push(verdict)
  }
  return verdicts
}

function trafficView(record: ScenarioRecord): TrafficView {
  const indexed = record.exchanges.map((exchange, index) => ({ exchange, index }))
  return {
    indexed,
    signed: indexed.filter(({ exchange }) => typeof field(exchange, 'signature') === 'string'),
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
    paths: { complete: apiPaths.complete(record.jobId), status: apiPaths.status(record.jobId) },
  }
}

/** Whether the request's signature recovers to its wallet when its envelope fields are hashed too. */
async function signedWithEnvelope(record: ScenarioRecord, exchange: Exchange): Promise<boolean> {
  const scope = scopeOf(record.jobId, exchange.path)
  const body = exchange.body
  if (scope === undefined || body === undefined) return false
  const { signature, ...hashedWithEnvelope } = body
  for (const ascii of [false, true]) {
    try {
      const message = buildMessage({
        wallet: String(body.wallet_address),
        session: String(body.session_nonce),
        request: String(body.request_id),
        scope,
        payloadHash: canonicalHash(hashedWithEnvelope, { ascii }),
      })
      const signer = await recoverMessageSigner({ message, signature: String(signature) })
      if (signer === record.wallet) return true
    } catch {
      // Not even well-formed under this hypothesis: it is not the mistake.
    }
  }
  return false
}

function scopeOf(jobId: string, path: string): ActionScope | undefined {
  if (path === apiPaths.list) return { action: jobActions.list }
  for (const step of ['reserve', 'complete', 'status'] as const)
    if (path === apiPaths[step](jobId)) return { action: jobActions[step], product: jobId }
  return undefined
}
