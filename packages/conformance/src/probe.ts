import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  InvalidResponseError,
  type ReadNote,
  readListAnswer,
  readReserveAnswer,
  readSessionAnswer,
  readStatusAnswer,
  type WorkflowTokenHeader,
} from '@agentpmt-kit/jobs-client'
import {
  apiPaths,
  jobActions,
  type MessageSigner,
  parseTimestamp,
  workflowTokenHeader,
} from '@agentpmt-kit/message-builder'
import { clientDeadline } from './internal/clientDeadline.js'
import { errorBodyFields } from './internal/errorBody.js'
import { asRecord, oneLine } from './internal/json.js'
import { dateHeaderSkew } from './internal/serverClock.js'
import { type Signed, signRequest } from './internal/signRequest.js'
import { createProbe, type Probe, sendRetrying, throwawaySigner } from './internal/wire.js'
import type {
  ClockSkew,
  ProbeCheck,
  ProbeCheckId,
  ProbeExchange,
  ProbePart,
  ProbeReport,
} from './probeTypes.js'

type JsonRecord = Record<string, unknown>

const listPage = { limit: 5, skip: 0 } as const
const mismatchCode = 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'
const replayCode = 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'
const nonceRefusals: ReadonlySet<string> = new Set([
  'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
  'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
])
const errorCheckIds = {
  error_code: 'error-code',
  detail: 'error-detail',
  'details.checklist': 'error-checklist',
} as const

/**
 * Options of {@link probe}.
 *
 * @example
 * ```ts
 * import type { ProbeOptions } from '@agentpmt-kit/conformance'
 *
 * const options: ProbeOptions = { baseUrl: 'http://127.0.0.1:8787', reserve: 'job_share_x' }
 * ```
 */
export type ProbeOptions = {
  /** The server, without a trailing slash: `https://www.agentpmt.com`. */
  baseUrl: string
  /** The wallet that signs; a throwaway key when omitted (probing needs no funded wallet). */
  signer?: MessageSigner | undefined
  /** Also reserve this job and read its status (the only step that changes the server's state). */
  reserve?: string | undefined
  /** Time allowed for each request, in milliseconds (default 15,000). */
  timeoutMs?: number | undefined
  /** Called with each exchange as it completes: a verbose line, a transcript ({@link probeTranscript}). */
  onExchange?: ((exchange: ProbeExchange) => void) | undefined
  /** Called with each message the probe signs, for a person who wants to see it. */
  onSignedMessage?: ((message: string) => void) | undefined
}

/**
 * A safe check of a server speaking the external jobs API: it opens a session, lists five jobs,
 * and sends one list request signed by a throwaway key to read the wallet-mismatch answer; it
 * reserves a job (and reads its status) only with `reserve`. The report names each guaranteed
 * field found or missing, the guesses the client had to make, whether the server agrees on the
 * signed message, and the clock skew. It prints nothing.
 *
 * @throws {ProbeNetworkError} when a request gets no HTTP answer at all.
 *
 * @example
 * ```ts
 * import { probe } from '@agentpmt-kit/conformance'
 *
 * const report = await probe({ baseUrl: 'http://127.0.0.1:8787' })
 * report.verdict // 'compatible', 'compatible-with-guesses' or 'incompatible'
 * ```
 */
export async function probe(options: ProbeOptions): Promise<ProbeReport> {
  const throwaway = options.signer === undefined
  const state = createProbe(
    {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      onExchange: options.onExchange,
    },
    options.signer ?? (await throwawaySigner()),
  )
  state.onSignedMessage = options.onSignedMessage
  return runProbe(state, options.reserve, throwaway)
}

async function runProbe(
  probe: Probe,
  reserveJob: string | undefined,
  throwaway: boolean,
): Promise<ProbeReport> {
  const check = (
    id: ProbeCheckId,
    part: ProbePart,
    field: string,
    status: ProbeCheck['status'],
    detail: string,
  ): void => {
    probe.checks.push({ id, part, field, status, detail })
  }
  const noted = (part: ProbePart, notes: readonly ReadNote[]): void => {
    for (const note of notes) probe.guesses.push({ part, ...note })
  }
  const report: ProbeReport = {
    baseUrl: probe.baseUrl,
    wallet: probe.wallet,
    throwawayWallet: throwaway,
    verdict: 'compatible',
    checks: probe.checks,
    guesses: probe.guesses,
    agreement: { payloadHash: null, message: null },
    clockSkew: { dateHeader: null, sessionExpiry: null, reservationExpiry: null },
    retries: probe.retries,
    reservation: null,
    exchanges: [],
    stopped: null,
  }
  const finish = (): ProbeReport => {
    report.exchanges = probe.exchanges.map((exchange) => ({
      step: exchange.step,
      path: exchange.path,
      status: exchange.status,
      durationMs: exchange.receivedAt - exchange.sentAt,
    }))
    report.clockSkew.dateHeader = dateHeaderSkew(probe.exchanges)
    report.verdict = probe.checks.some(
      (item) => item.status === 'missing' || item.status === 'differs',
    )
      ? 'incompatible'
      : probe.guesses.length > 0 || probe.checks.some((item) => item.status === 'guessed')
        ? 'compatible-with-guesses'
        : 'compatible'
    return report
  }

  // 1. The session (unsigned).
  const openSession = (): Promise<ProbeExchange> =>
    sendRetrying(probe, 'session', 'session', apiPaths.session, async () =>
      canonicalize({ wallet_address: probe.wallet }),
    )
  const session = await openSession()
  if (!isSuccess(session)) {
    check('session-nonce', 'session', 'session_nonce', 'missing', `HTTP ${describeAnswer(session)}`)
    report.stopped = 'No session: no signed request could be made.'
    return finish()
  }
  noteContentType(probe, 'session', session)
  let nonce: string
  try {
    const read = readSessionAnswer(bodyOf(session), {
      sentAt: session.sentAt,
      path: apiPaths.session,
    })
    nonce = read.value.session_nonce
    check(
      'session-nonce',
      'session',
      'session_nonce',
      'found',
      `a string of ${nonce.length} characters`,
    )
    noted('session', read.notes)
    report.clockSkew.sessionExpiry = expirySkew(asRecord(session.json), session)
  } catch (error) {
    if (!(error instanceof InvalidResponseError)) throw error
    check(
      'session-nonce',
      'session',
      error.field,
      'missing',
      `${error.expected}; ${error.details ?? ''}`.trim(),
    )
    report.stopped = 'No session nonce: no signed request could be made.'
    return finish()
  }

  /**
   * A signed request, recovered as the client recovers from the documented refusals: a nonce
   * refusal opens a new session, a replay takes a fresh request id (at most twice).
   */
  const signedSend = async (
    step: string,
    part: ProbePart,
    path: string,
    build: (nonce: string) => Promise<string>,
  ): Promise<ProbeExchange> => {
    for (let recoveries = 0; ; recoveries++) {
      const answer = await sendRetrying(probe, step, part, path, () => build(nonce))
      const code = asRecord(answer.json)?.error_code
      const renew = answer.status === 401 && typeof code === 'string' && nonceRefusals.has(code)
      const replay = answer.status === 409 && code === replayCode
      if (recoveries === 2 || !(renew || replay)) return answer
      probe.retries.push({
        step,
        status: answer.status,
        contentType: answer.headers.get('content-type'),
        delayMs: 0,
      })
      if (renew) {
        const renewed = asRecord((await openSession()).json)?.session_nonce
        if (typeof renewed === 'string' && renewed !== '') nonce = renewed
      }
    }
  }

  // 2. One signed list call.
  const list = await signedSend('list', 'list', apiPaths.list, async (current) => {
    const signed = await signedBody(
      probe,
      probe.signer,
      current,
      jobActions.list,
      undefined,
      listPage,
    )
    return signed.body
  })
  if (!isSuccess(list))
    check('list-jobs', 'list', 'jobs[].job_id', 'missing', `HTTP ${describeAnswer(list)}`)
  else {
    noteContentType(probe, 'list', list)
    try {
      const read = readListAnswer(bodyOf(list), { path: apiPaths.list })
      const total = read.value.total === undefined ? '' : ` of ${read.value.total}`
      check(
        'list-jobs',
        'list',
        'jobs[].job_id',
        'found',
        `${read.value.jobs.length}${total} jobs, each with an id`,
      )
      noted('list', read.notes)
    } catch (error) {
      if (!(error instanceof InvalidResponseError)) throw error
      check('list-jobs', 'list', error.field, 'missing', `must be ${error.expected}`)
    }
  }

  // 3. The same list call signed by a throwaway key for the real wallet: a wallet mismatch.
  const stranger = await throwawaySigner()
  let sentMessage = ''
  const mismatch = await signedSend('mismatch', 'mismatch', apiPaths.list, async (current) => {
    const signed = await signedBody(probe, stranger, current, jobActions.list, undefined, listPage)
    sentMessage = signed.message
    return signed.body
  })
  checkMismatch(probe, mismatch, sentMessage, report)

  // 4. With --reserve only: reserve the job, then read its status.
  let reserved: { jobId: string; body: unknown } | undefined
  if (reserveJob !== undefined) {
    const jobId = reserveJob
    const path = apiPaths.reserve(jobId)
    const reserve = await signedSend('reserve', 'reserve', path, async (current) => {
      const signed = await signedBody(probe, probe.signer, current, jobActions.reserve, jobId, {})
      return signed.body
    })
    if (!isSuccess(reserve)) {
      const reason = `the server did not reserve the job (HTTP ${describeAnswer(reserve)})`
      // A job taken by another wallet is refused rightly; a signed request refused again after
      // the client's recovery (new session, fresh request id) is one no client can make.
      const code = asRecord(reserve.json)?.error_code
      const signatureRefused = typeof code === 'string' && code.startsWith('EXTERNAL_SIGNATURE_')
      check(
        'reserve-readable',
        'reserve',
        'reservation_id',
        signatureRefused ? 'missing' : 'not-checked',
        signatureRefused ? `${reason}, again after recovering as the client does` : reason,
      )
      check('reserve-instructions', 'reserve', 'instructions', 'not-checked', reason)
      check(
        'reserve-link-or-token',
        'reserve',
        'tracked link or workflow token',
        'not-checked',
        reason,
      )
      check('reserve-deadline', 'reserve', 'expiry', 'not-checked', reason)
      if (reserve.status >= 400) checkErrorBody(probe, 'reserve', reserve)
    } else {
      noteContentType(probe, 'reserve', reserve)
      try {
        const read = readReserveAnswer(bodyOf(reserve), {
          sentAt: reserve.sentAt,
          jobId,
          path,
        })
        noted('reserve', read.notes)
        checkReservation(probe, read.value, read.notes)
        const token = read.value.workflowAccess?.access_token
        reserved = { jobId, body: bodyOf(reserve) }
        const top = asRecord(reserve.json)
        report.clockSkew.reservationExpiry =
          expirySkew(top, reserve) ?? expirySkew(asRecord(top?.reservation), reserve)
        report.reservation = {
          jobId: read.value.job_id,
          reservationId: read.value.reservation_id,
          expiresAt:
            read.value.expiresAtMs === undefined
              ? null
              : new Date(read.value.expiresAtMs).toISOString(),
          expiresAtHere: null,
          jobKind: read.value.jobKind ?? null,
          trackedUrl: read.value.trackedUrl ?? null,
          hasWorkflowToken: token !== undefined,
          workflowToken: null,
        }
        if (token !== undefined)
          report.reservation.workflowToken = await probeWorkflowToken(probe, jobId, token)
      } catch (error) {
        if (!(error instanceof InvalidResponseError)) throw error
        const id = /social_share|tracking_links/.test(error.field)
          ? 'reserve-link-or-token'
          : 'reserve-readable'
        check(id, 'reserve', error.field, 'missing', `must be ${error.expected}`)
      }
    }

    const statusPath = apiPaths.status(jobId)
    const status = await signedSend('status', 'status', statusPath, async (current) => {
      const signed = await signedBody(probe, probe.signer, current, jobActions.status, jobId, {})
      return signed.body
    })
    const field = 'submission.verification.status'
    if (!isSuccess(status))
      check('status-verification', 'status', field, 'missing', `HTTP ${describeAnswer(status)}`)
    else {
      noteContentType(probe, 'status', status)
      try {
        const read = readStatusAnswer(bodyOf(status), { jobId, path: statusPath })
        noted('status', read.notes)
        const submission = read.value.submission
        if (submission === undefined)
          check(
            'status-verification',
            'status',
            field,
            'not-applicable',
            'no submission for this job yet',
          )
        else check('status-verification', 'status', field, 'found', submission.verification.status)
      } catch (error) {
        if (!(error instanceof InvalidResponseError)) throw error
        check('status-verification', 'status', error.field, 'missing', `must be ${error.expected}`)
      }
    }
  }

  // 5. The deadline as the job loop's client reads it on this server's clock.
  if (reserveJob === undefined || reserved !== undefined) {
    const deadline = await clientDeadline({
      signer: probe.signer,
      session,
      reserve: reserved,
      skew: dateHeaderSkew(probe.exchanges) ?? report.clockSkew.sessionExpiry,
      sendsDate: probe.exchanges.some((exchange) => exchange.headers.has('date')),
    })
    check(
      'reserve-deadline',
      reserved === undefined ? 'clock' : 'reserve',
      'expiry',
      deadline.status,
      deadline.detail,
    )
    if (report.reservation !== null && deadline.deadlineHere !== undefined)
      report.reservation.expiresAtHere = new Date(deadline.deadlineHere).toISOString()
  }
  return finish()
}

/**
 * Which header the server takes the workflow token in, learned as the client learns it: a
 * publish of a workflow that does not exist (nothing can change) sent through the client's
 * exchange, in `X-Job-Workflow-Token`, then after a 401 in `Authorization`. Any other answer
 * means the token was found. A guess either way; a guess of the client's (listed with the others)
 * when it had to fall back to `Authorization`.
 */
async function probeWorkflowToken(
  probe: Probe,
  jobId: string,
  token: string,
): Promise<{ header: WorkflowTokenHeader | null; guess: string }> {
  const path = apiPaths.workflowPublish(jobId, `probe-no-such-workflow-${crypto.randomUUID()}`)
  const answer = await sendRetrying(probe, 'workflow', 'workflow', path, async () => '{}', {
    token,
  })
  const answers = probe.exchanges
    .filter((exchange) => exchange.step === 'workflow')
    .map((exchange) => `${exchange.status} to ${exchange.workflowTokenHeader}`)
    .join(', ')
  const why = `the server answered ${answers} for a publish of a workflow that does not exist`
  const header = answer.workflowTokenHeader ?? null
  if (answer.status === 401 || header === null) return { header: null, guess: why }
  if (header !== workflowTokenHeader)
    probe.guesses.push({
      part: 'workflow',
      field: 'workflow token header',
      guess: `${header}: Bearer <token> (${why})`,
    })
  return { header, guess: why }
}

/** A function that records one check of `part` on the probe. */
function checksOf(
  probe: Probe,
  part: ProbePart,
): (id: ProbeCheckId, field: string, status: ProbeCheck['status'], detail: string) => void {
  return (id, field, status, detail) => {
    probe.checks.push({ id, part, field, status, detail })
  }
}

/** The checks of the wallet-mismatch answer: its error body, its code, and its details. */
function checkMismatch(
  probe: Probe,
  answer: ProbeExchange,
  sentMessage: string,
  report: ProbeReport,
): void {
  const check = checksOf(probe, 'mismatch')
  if (answer.status >= 200 && answer.status < 300) {
    check(
      'mismatch-status',
      'status 401 EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      'missing',
      `HTTP ${answer.status}: the server accepted a request signed by another key`,
    )
    return
  }
  const body = checkErrorBody(probe, 'mismatch', answer)
  const code = body?.error_code
  if (answer.status === 401 && code === mismatchCode)
    check('mismatch-status', `status 401 ${mismatchCode}`, 'found', `HTTP 401 ${mismatchCode}`)
  else
    check(
      'mismatch-status',
      `status 401 ${mismatchCode}`,
      'missing',
      `HTTP ${describeAnswer(answer)}`,
    )
  const details = asRecord(body?.details)

  const expectedMessage = details?.expected_message
  if (typeof expectedMessage === 'string') {
    const differingLines = differingLinesOf(expectedMessage, sentMessage)
    report.agreement.message = { equal: differingLines.length === 0, differingLines }
    check(
      'mismatch-expected-message',
      'details.expected_message',
      'found',
      `${expectedMessage.split('\n').length} lines`,
    )
    check(
      'mismatch-message-agrees',
      'details.expected_message agrees with our message',
      differingLines.length === 0 ? 'found' : 'differs',
      differingLines.length === 0
        ? 'the server builds the same message as this client'
        : `lines that differ: ${differingLines.join(', ')}`,
    )
  } else
    check('mismatch-expected-message', 'details.expected_message', 'missing', 'must be a string')

  const candidates = details?.accepted_path_candidates
  if (Array.isArray(candidates))
    check(
      'mismatch-path-candidates',
      'details.accepted_path_candidates',
      'found',
      `${candidates.length} paths`,
    )
  // A job endpoint signs `action:` and `product:` lines, not a path: the candidates describe
  // the `path:` line of a tool invoke (PROTOCOL section 2), so a job mismatch may leave them out.
  else
    check(
      'mismatch-path-candidates',
      'details.accepted_path_candidates',
      'not-applicable',
      'absent: they concern the path: line of tool invokes; a job endpoint signs action and product',
    )

  const raw = sha256Hex(canonicalize(listPage))
  const ascii = sha256Hex(canonicalize(listPage, { ascii: true }))
  const serverHash = details?.expected_payload_hash
  if (typeof serverHash === 'string') {
    const hash = serverHash.toLowerCase()
    const matches =
      hash === raw && hash === ascii
        ? 'both'
        : hash === raw
          ? 'raw'
          : hash === ascii
            ? 'ascii'
            : null
    report.agreement.payloadHash = { server: serverHash, raw, ascii, matches }
    check('mismatch-payload-hash', 'details.expected_payload_hash', 'found', serverHash)
    check(
      'mismatch-hash-agrees',
      'details.expected_payload_hash agrees with our hash',
      matches === null ? 'differs' : 'found',
      matches === null
        ? `ours is ${raw} (raw) or ${ascii} (ascii) for ${canonicalize(listPage)}`
        : `equals ours for ${canonicalize(listPage)} (${matches === 'both' ? 'raw and ascii forms alike' : `${matches} form`})`,
    )
  } else {
    report.agreement.payloadHash = { server: null, raw, ascii, matches: null }
    check('mismatch-payload-hash', 'details.expected_payload_hash', 'missing', 'must be a string')
  }
}

/** The guaranteed parts of an error body (`error_code`, `detail`, `details.checklist`). */
function checkErrorBody(probe: Probe, step: string, answer: ProbeExchange): JsonRecord | undefined {
  const { body, fields } = errorBodyFields(answer)
  for (const { field, found, detail } of fields)
    probe.checks.push({
      id: errorCheckIds[field],
      part: 'error',
      field,
      status: found ? 'found' : 'missing',
      detail: `${step}: ${detail}`,
    })
  return body
}

type ReserveValue = ReturnType<typeof readReserveAnswer>['value']

function checkReservation(probe: Probe, value: ReserveValue, notes: readonly ReadNote[]): void {
  const check = checksOf(probe, 'reserve')
  check('reserve-readable', 'reservation_id', 'found', value.reservation_id)
  const instructionsNote = notes.find((note) => note.field === 'instructions')
  if (value.instructions !== undefined)
    check(
      'reserve-instructions',
      'instructions',
      'found',
      `from ${instructionsNote?.guess ?? 'instructions'}`,
    )
  else
    check(
      'reserve-instructions',
      'instructions',
      'missing',
      'none found (instructions, job_instructions, ...)',
    )
  const token = value.workflowAccess?.access_token
  if (value.trackedUrl !== undefined)
    check('reserve-link-or-token', 'job.social_share.tracking_links[0]', 'found', value.trackedUrl)
  else if (token !== undefined)
    check(
      'reserve-link-or-token',
      'workflow_access.access_token',
      'found',
      `a token of ${token.length} characters`,
    )
  else
    check(
      'reserve-link-or-token',
      'tracked link or workflow token',
      'missing',
      'neither job.social_share.tracking_links[0] nor workflow_access.access_token',
    )
}

/** A success answer parsed as JSON is read as it is; one that is not JSON, as its text. */
function bodyOf(answer: ProbeExchange): unknown {
  return answer.json === undefined ? answer.text : answer.json
}

function isSuccess(answer: ProbeExchange): boolean {
  return answer.status >= 200 && answer.status < 300
}

/** A JSON answer under another content type works, but only because the client guesses. */
function noteContentType(probe: Probe, part: ProbePart, answer: ProbeExchange): void {
  const type = answer.headers.get('content-type')
  if (answer.json !== undefined && !/\bjson\b/i.test(type ?? ''))
    probe.guesses.push({
      part,
      field: 'content-type',
      guess: `${type ?? 'none'}: the body is read as JSON all the same`,
    })
}

/** `401 EXTERNAL_...: detail`, `301 to https://...`, or `503 (text/html)`. */
function describeAnswer(answer: ProbeExchange): string {
  const body = asRecord(answer.json)
  const location = answer.headers.get('location')
  if (answer.status >= 300 && answer.status < 400 && location)
    return `${answer.status}, a redirect to ${location} (not followed)`
  if (typeof body?.error_code === 'string') {
    const detail = typeof body.detail === 'string' ? `: ${oneLine(body.detail)}` : ''
    return `${answer.status} ${body.error_code}${detail}`
  }
  return `${answer.status} (${answer.headers.get('content-type') ?? 'no content-type'})`
}

/** One signed job request, signed as the client signs it; its message goes to `onSignedMessage`. */
async function signedBody(
  probe: Probe,
  signer: MessageSigner,
  session: string,
  action: (typeof jobActions)[keyof typeof jobActions],
  product: string | undefined,
  payload: Readonly<Record<string, unknown>>,
): Promise<Signed> {
  const signed = await signRequest(probe.wallet, session, {
    signer,
    scope: { action, product },
    payload,
  })
  probe.onSignedMessage?.(signed.message)
  return signed
}

/**
 * The skew from an answer that gives a deadline both ways: `expires_at` (or `reserved_until`)
 * minus `expires_in` is the server's time when it answered.
 */
function expirySkew(record: JsonRecord | undefined, answer: ProbeExchange): ClockSkew | null {
  const expiresIn = record?.expires_in
  const at = record?.expires_at ?? record?.reserved_until
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || typeof at !== 'string')
    return null
  const parsed = parseTimestamp(at)
  if (parsed === undefined) return null
  const serverNow = parsed - expiresIn * 1000
  const rounding = Number.isInteger(expiresIn) ? 1000 : 0
  return {
    skewMs: Math.round(serverNow - (answer.sentAt + answer.receivedAt) / 2),
    plusMinusMs: Math.round((answer.receivedAt - answer.sentAt) / 2 + rounding),
  }
}

/** The lines of `expected` that differ from `sent`, named by their place (`4 (request)`). */
function differingLinesOf(expected: string, sent: string): string[] {
  const names = ['prefix', 'wallet', 'session', 'request', 'scope', 'scope', 'payload']
  const left = expected.split('\n')
  const right = sent.split('\n')
  const differing: string[] = []
  for (let index = 0; index < Math.max(left.length, right.length); index++)
    if (left[index] !== right[index]) differing.push(`${index + 1} (${names[index] ?? 'extra'})`)
  return differing
}
