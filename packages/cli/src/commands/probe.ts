import { constants } from 'node:fs'
import { access, stat, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { BaseError, canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import type { ReadNote } from '@agentpmt-kit/jobs-client'
import {
  apiPaths,
  buildMessage,
  jobActions,
  type MessageSigner,
} from '@agentpmt-kit/message-builder'
import { type Command, InvalidArgumentError } from 'commander'
import type { Context } from '../context.js'
import { ExitError } from '../exit.js'
import { InputError } from '../input.js'
import { keyPatternOf, privateKeyVariable, signerFromEnv } from '../key.js'
import { outputFor } from '../output.js'
import { parseDuration } from '../parse.js'
import { chooseBaseUrl, type JobsCommonOptions, withJobsOptions } from './jobs/client.js'

/** Which answer a check or a guess is about. */
export type ProbePart = 'session' | 'list' | 'error' | 'mismatch' | 'reserve' | 'status'

/**
 * One part of an answer the guides guarantee (PROTOCOL section 6), as the probe found it.
 * `missing` and `differs` make the server incompatible; `not-applicable` is a field that does
 * not apply to this answer (no submission yet); `not-checked` is one the probe could not reach
 * (the server refused the reservation).
 *
 * @example
 * ```ts
 * import type { ProbeCheck } from './probe.js'
 *
 * const check: ProbeCheck = { part: 'session', field: 'session_nonce', status: 'found', detail: 'a string of 30 characters' }
 * ```
 */
export type ProbeCheck = {
  part: ProbePart
  field: string
  status: 'found' | 'missing' | 'differs' | 'not-applicable' | 'not-checked'
  detail: string
}

/**
 * A guess the client had to make where the guides leave the answer open, and the fallback it
 * used: the jobs-client readers' notes, and the probe's own for answers that are not JSON.
 *
 * @example
 * ```ts
 * import type { ProbeGuess } from './probe.js'
 *
 * const guess: ProbeGuess = { part: 'list', field: 'total', guess: 'none: pages are read until a short one' }
 * ```
 */
export type ProbeGuess = { part: ProbePart; field: string; guess: string }

/**
 * The probe's conclusion: `incompatible` when a guaranteed field is missing (or the server's
 * mismatch details disagree with the message it accepts), `compatible-with-guesses` when the
 * client had to guess, `compatible` otherwise.
 *
 * @example
 * ```ts
 * import type { ProbeVerdict } from './probe.js'
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
 * import type { ClockSkew } from './probe.js'
 *
 * const skew: ClockSkew = { skewMs: -1200, plusMinusMs: 510 }
 * ```
 */
export type ClockSkew = { skewMs: number; plusMinusMs: number }

/**
 * What `agentpmt probe --json` prints.
 *
 * @example
 * ```ts
 * import type { ProbeReport } from './probe.js'
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
  /** Transient answers (429, 502-504) that were retried. */
  retries: Array<{ step: string; status: number; contentType: string | null; delayMs: number }>
  reservation: {
    jobId: string
    reservationId: string
    expiresAt: string | null
    jobKind: string | null
    trackedUrl: string | null
    hasWorkflowToken: boolean
  } | null
  /** Every request, in order: its step, path, HTTP status and time. */
  exchanges: Array<{ step: string; path: string; status: number; durationMs: number }>
  /** Why the probe stopped early, or `null`. */
  stopped: string | null
}

type ProbeOptions = JobsCommonOptions & { reserve?: string; save?: string; timeout: number }

/** One request and its answer, as sent and received (the transcript redacts it). */
export type Exchange = {
  step: string
  path: string
  requestBody: string
  status: number
  headers: Headers
  text: string
  json: unknown
  sentAt: number
  receivedAt: number
}

type JsonRecord = Record<string, unknown>

const listPage = { limit: 5, skip: 0 } as const
const transientStatuses = new Set([429, 502, 503, 504])
const maxAttempts = 3
const maxRetryDelayMs = 30_000
const maxAnswerBytes = 2_000_000
const mismatchCode = 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'

/**
 * `agentpmt probe [--base-url URL] [--reserve JOB] [--save FILE]`: a safe check of a server
 * speaking the external jobs API. It opens a session, lists five jobs, and sends one list
 * request signed by a throwaway key to read the wallet-mismatch answer; it reserves a job (and
 * reads its status) only with `--reserve`. It reports each guaranteed field found or missing,
 * the guesses the client had to make, whether the server agrees on the signed message, and the
 * clock skew. Exits 0 when compatible (with or without guesses), 1 when not.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { probeCommand } from './probe.js'
 *
 * declare const context: Parameters<typeof probeCommand>[1]
 * probeCommand(new Command('agentpmt'), context)
 * ```
 */
export function probeCommand(program: Command, context: Context): Command {
  return withJobsOptions(
    program
      .command('probe')
      .description(
        'Check that a server answers as the jobs API guarantees (reserves only with --reserve).',
      )
      .option('--reserve <jobId>', 'also reserve this job and read its status', jobIdOption)
      .option('--save <file>', 'write a redacted transcript of every request and answer')
      .option('--timeout <duration>', 'time allowed for each request', parseDuration, 15_000),
  )
    .addHelpText(
      'after',
      [
        '',
        `The wallet is the key in ${privateKeyVariable}, or a throwaway one when it is not set:`,
        'probing needs no funded wallet. Nothing is reserved unless --reserve is given.',
        '',
        'Examples:',
        '  agentpmt probe --base-url http://127.0.0.1:8787',
        '  agentpmt probe --base-url https://staging.example.com --reserve job_share_x --save probe.json',
      ].join('\n'),
    )
    .action(async (options: ProbeOptions) => {
      // Checked first: a transcript that cannot be written would make a reservation for nothing.
      if (options.save !== undefined) await checkWritable(options.save)
      const { signer, throwaway } = await walletOf(context)
      const probe = createProbe(
        context,
        {
          baseUrl: chooseBaseUrl(context, options).url,
          timeoutMs: options.timeout,
          verbose: options.verbose === true,
        },
        signer,
      )
      let report: ProbeReport
      try {
        report = await runProbe(probe, options, throwaway)
      } finally {
        if (options.save !== undefined && probe.exchanges.length > 0)
          await saveTranscript(context, options, probe)
      }
      outputFor(context, options).result(report, () => describeReport(report))
      if (report.verdict === 'incompatible')
        throw new ExitError(1, 'The server is not compatible with the jobs API.')
    })
}

function jobIdOption(value: string): string {
  try {
    apiPaths.reserve(value)
  } catch {
    throw new InvalidArgumentError('must be a job id (a non-empty path segment).')
  }
  return value
}

/** The wallet of `AGENTPMT_PRIVATE_KEY`, or a throwaway one when the variable is not set. */
async function walletOf(context: Context): Promise<{ signer: MessageSigner; throwaway: boolean }> {
  if (context.env[privateKeyVariable]?.trim())
    return { signer: await signerFromEnv(context.env), throwaway: false }
  return { signer: await throwawaySigner(), throwaway: true }
}

export async function throwawaySigner(): Promise<MessageSigner> {
  const [{ createViemSigner }, { generatePrivateKey, privateKeyToAccount }] = await Promise.all([
    import('@agentpmt-kit/signer-viem'),
    import('viem/accounts'),
  ])
  return createViemSigner(privateKeyToAccount(generatePrivateKey()))
}

/** The state of one probe run: what it sent and received, what it found. */
export type Probe = {
  context: Context
  baseUrl: string
  timeoutMs: number
  verbose: boolean
  signer: MessageSigner
  wallet: string
  exchanges: Exchange[]
  checks: ProbeCheck[]
  guesses: ProbeGuess[]
  retries: ProbeReport['retries']
}

/** A probe of `baseUrl` that has sent nothing yet; `agentpmt conformance server` makes one too. */
export function createProbe(
  context: Context,
  target: { baseUrl: string; timeoutMs: number; verbose: boolean },
  signer: MessageSigner,
): Probe {
  return {
    context,
    ...target,
    signer,
    wallet: signer.address.toLowerCase(),
    exchanges: [],
    checks: [],
    guesses: [],
    retries: [],
  }
}

async function runProbe(
  probe: Probe,
  options: ProbeOptions,
  throwaway: boolean,
): Promise<ProbeReport> {
  const readers = await import('@agentpmt-kit/jobs-client')
  const check = (
    part: ProbePart,
    field: string,
    status: ProbeCheck['status'],
    detail: string,
  ): void => {
    probe.checks.push({ part, field, status, detail })
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
      : probe.guesses.length > 0
        ? 'compatible-with-guesses'
        : 'compatible'
    return report
  }

  // 1. The session (unsigned).
  const session = await sendRetrying(probe, 'session', 'session', apiPaths.session, async () =>
    canonicalize({ wallet_address: probe.wallet }),
  )
  if (!isSuccess(session)) {
    check('session', 'session_nonce', 'missing', `HTTP ${describeAnswer(session)}`)
    report.stopped = 'No session: no signed request could be made.'
    return finish()
  }
  noteContentType(probe, 'session', session)
  let nonce: string
  try {
    const read = readers.readSessionAnswer(bodyOf(session), {
      sentAt: session.sentAt,
      path: apiPaths.session,
    })
    nonce = read.value.session_nonce
    check('session', 'session_nonce', 'found', `a string of ${nonce.length} characters`)
    noted('session', read.notes)
    report.clockSkew.sessionExpiry = expirySkew(asRecord(session.json), session)
  } catch (error) {
    if (!(error instanceof readers.InvalidResponseError)) throw error
    check('session', error.field, 'missing', `${error.expected}; ${error.details ?? ''}`.trim())
    report.stopped = 'No session nonce: no signed request could be made.'
    return finish()
  }

  // 2. One signed list call.
  const list = await sendRetrying(probe, 'list', 'list', apiPaths.list, async () => {
    const signed = await signedBody(
      probe,
      probe.signer,
      nonce,
      jobActions.list,
      undefined,
      listPage,
    )
    return signed.body
  })
  if (!isSuccess(list)) check('list', 'jobs[].job_id', 'missing', `HTTP ${describeAnswer(list)}`)
  else {
    noteContentType(probe, 'list', list)
    try {
      const read = readers.readListAnswer(bodyOf(list), { path: apiPaths.list })
      const total = read.value.total === undefined ? '' : ` of ${read.value.total}`
      check(
        'list',
        'jobs[].job_id',
        'found',
        `${read.value.jobs.length}${total} jobs, each with an id`,
      )
      noted('list', read.notes)
    } catch (error) {
      if (!(error instanceof readers.InvalidResponseError)) throw error
      check('list', error.field, 'missing', `must be ${error.expected}`)
    }
  }

  // 3. The same list call signed by a throwaway key for the real wallet: a wallet mismatch.
  const stranger = await throwawaySigner()
  let sentMessage = ''
  const mismatch = await sendRetrying(probe, 'mismatch', 'mismatch', apiPaths.list, async () => {
    const signed = await signedBody(probe, stranger, nonce, jobActions.list, undefined, listPage)
    sentMessage = signed.message
    return signed.body
  })
  checkMismatch(probe, mismatch, sentMessage, report)

  // 4. With --reserve only: reserve the job, then read its status.
  if (options.reserve !== undefined) {
    const jobId = options.reserve
    const path = apiPaths.reserve(jobId)
    const reserve = await sendRetrying(probe, 'reserve', 'reserve', path, async () => {
      const signed = await signedBody(probe, probe.signer, nonce, jobActions.reserve, jobId, {})
      return signed.body
    })
    if (!isSuccess(reserve)) {
      const reason = `the server did not reserve the job (HTTP ${describeAnswer(reserve)})`
      for (const field of [
        'reservation_id',
        'instructions',
        'expiry',
        'tracked link or workflow token',
      ])
        check('reserve', field, 'not-checked', reason)
      if (reserve.status >= 400) checkErrorBody(probe, 'reserve', reserve)
    } else {
      noteContentType(probe, 'reserve', reserve)
      try {
        const read = readers.readReserveAnswer(bodyOf(reserve), {
          sentAt: reserve.sentAt,
          jobId,
          path,
        })
        noted('reserve', read.notes)
        checkReservation(probe, read.value, read.notes)
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
          jobKind: read.value.jobKind ?? null,
          trackedUrl: read.value.trackedUrl ?? null,
          hasWorkflowToken: read.value.workflowAccess?.access_token !== undefined,
        }
      } catch (error) {
        if (!(error instanceof readers.InvalidResponseError)) throw error
        check('reserve', error.field, 'missing', `must be ${error.expected}`)
      }
    }

    const statusPath = apiPaths.status(jobId)
    const status = await sendRetrying(probe, 'status', 'status', statusPath, async () => {
      const signed = await signedBody(probe, probe.signer, nonce, jobActions.status, jobId, {})
      return signed.body
    })
    const field = 'submission.verification.status'
    if (!isSuccess(status)) check('status', field, 'missing', `HTTP ${describeAnswer(status)}`)
    else {
      noteContentType(probe, 'status', status)
      try {
        const read = readers.readStatusAnswer(bodyOf(status), { jobId, path: statusPath })
        noted('status', read.notes)
        const submission = read.value.submission
        if (submission === undefined)
          check('status', field, 'not-applicable', 'no submission for this job yet')
        else check('status', field, 'found', submission.verification.status)
      } catch (error) {
        if (!(error instanceof readers.InvalidResponseError)) throw error
        check('status', error.field, 'missing', `must be ${error.expected}`)
      }
    }
  }
  return finish()
}

/** The checks of the wallet-mismatch answer: its error body, its code, and its details. */
function checkMismatch(
  probe: Probe,
  answer: Exchange,
  sentMessage: string,
  report: ProbeReport,
): void {
  const check = (field: string, status: ProbeCheck['status'], detail: string): void => {
    probe.checks.push({ part: 'mismatch', field, status, detail })
  }
  if (answer.status >= 200 && answer.status < 300) {
    check(
      'status 401 EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      'missing',
      `HTTP ${answer.status}: the server accepted a request signed by another key`,
    )
    return
  }
  const body = checkErrorBody(probe, 'mismatch', answer)
  const code = body?.error_code
  if (answer.status === 401 && code === mismatchCode)
    check(`status 401 ${mismatchCode}`, 'found', `HTTP 401 ${mismatchCode}`)
  else check(`status 401 ${mismatchCode}`, 'missing', `HTTP ${describeAnswer(answer)}`)
  const details = asRecord(body?.details)

  const expectedMessage = details?.expected_message
  if (typeof expectedMessage === 'string') {
    const differingLines = differingLinesOf(expectedMessage, sentMessage)
    report.agreement.message = { equal: differingLines.length === 0, differingLines }
    check('details.expected_message', 'found', `${expectedMessage.split('\n').length} lines`)
    check(
      'details.expected_message agrees with our message',
      differingLines.length === 0 ? 'found' : 'differs',
      differingLines.length === 0
        ? 'the server builds the same message as this client'
        : `lines that differ: ${differingLines.join(', ')}`,
    )
  } else check('details.expected_message', 'missing', 'must be a string')

  const candidates = details?.accepted_path_candidates
  if (Array.isArray(candidates))
    check('details.accepted_path_candidates', 'found', `${candidates.length} paths`)
  // A job endpoint signs `action:` and `product:` lines, not a path: the candidates describe
  // the `path:` line of a tool invoke (PROTOCOL section 2), so a job mismatch may leave them out.
  else
    check(
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
    check('details.expected_payload_hash', 'found', serverHash)
    check(
      'details.expected_payload_hash agrees with our hash',
      matches === null ? 'differs' : 'found',
      matches === null
        ? `ours is ${raw} (raw) or ${ascii} (ascii) for ${canonicalize(listPage)}`
        : `equals ours for ${canonicalize(listPage)} (${matches === 'both' ? 'raw and ascii forms alike' : `${matches} form`})`,
    )
  } else {
    report.agreement.payloadHash = { server: null, raw, ascii, matches: null }
    check('details.expected_payload_hash', 'missing', 'must be a string')
  }
}

/** The guaranteed parts of an error body (`error_code`, `detail`, `details.checklist`). */
function checkErrorBody(probe: Probe, step: string, answer: Exchange): JsonRecord | undefined {
  const check = (field: string, status: ProbeCheck['status'], detail: string): void => {
    probe.checks.push({ part: 'error', field, status, detail: `${step}: ${detail}` })
  }
  const body = asRecord(withoutNulls(answer.json))
  if (body === undefined) {
    const type = answer.headers.get('content-type') ?? 'no content-type'
    for (const field of ['error_code', 'detail', 'details.checklist'])
      check(field, 'missing', `the HTTP ${answer.status} body is not a JSON object (${type})`)
    return undefined
  }
  const code = body.error_code
  if (typeof code === 'string' && code !== '') check('error_code', 'found', code)
  else check('error_code', 'missing', 'must be a non-empty string')
  if (typeof body.detail === 'string') check('detail', 'found', 'a string')
  else check('detail', 'missing', `must be a string, found ${typeOf(body.detail)}`)
  const checklist = asRecord(body.details)?.checklist
  if (Array.isArray(checklist)) check('details.checklist', 'found', `${checklist.length} items`)
  else if (checklist !== undefined)
    check('details.checklist', 'found', `${typeOf(checklist)}, not a list`)
  else check('details.checklist', 'missing', 'absent')
  return body
}

type ReserveValue = Awaited<
  ReturnType<typeof import('@agentpmt-kit/jobs-client')['readReserveAnswer']>
>['value']

function checkReservation(probe: Probe, value: ReserveValue, notes: readonly ReadNote[]): void {
  const check = (field: string, status: ProbeCheck['status'], detail: string): void => {
    probe.checks.push({ part: 'reserve', field, status, detail })
  }
  check('reservation_id', 'found', value.reservation_id)
  const instructionsNote = notes.find((note) => note.field === 'instructions')
  if (value.instructions !== undefined)
    check('instructions', 'found', `from ${instructionsNote?.guess ?? 'instructions'}`)
  else check('instructions', 'missing', 'none found (instructions, job_instructions, ...)')
  if (value.expiresAtMs !== undefined) {
    const source = notes.find((note) => note.field === 'expires_at')?.guess ?? 'expires_at'
    check('expiry', 'found', `${new Date(value.expiresAtMs).toISOString()} (from ${source})`)
  } else
    check(
      'expiry',
      'missing',
      'no expires_at, reserved_until or expires_in: the client falls back to a default deadline (10 minutes from the request)',
    )
  const token = value.workflowAccess?.access_token
  if (value.trackedUrl !== undefined)
    check('job.social_share.tracking_links[0]', 'found', value.trackedUrl)
  else if (token !== undefined)
    check('workflow_access.access_token', 'found', `a token of ${token.length} characters`)
  else
    check(
      'tracked link or workflow token',
      'missing',
      'neither job.social_share.tracking_links[0] nor workflow_access.access_token',
    )
}

/** A success answer parsed as JSON is read as it is; one that is not JSON, as its text. */
function bodyOf(answer: Exchange): unknown {
  return answer.json === undefined ? answer.text : answer.json
}

function isSuccess(answer: Exchange): boolean {
  return answer.status >= 200 && answer.status < 300
}

/** A JSON answer under another content type works, but only because the client guesses. */
function noteContentType(probe: Probe, part: ProbePart, answer: Exchange): void {
  const type = answer.headers.get('content-type')
  if (answer.json !== undefined && !/\bjson\b/i.test(type ?? ''))
    probe.guesses.push({
      part,
      field: 'content-type',
      guess: `${type ?? 'none'}: the body is read as JSON all the same`,
    })
}

/** `401 EXTERNAL_...: detail`, `301 to https://...`, or `503 (text/html)`. */
function describeAnswer(answer: Exchange): string {
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

/** Builds, signs and serialises one signed request, as the client does. */
async function signedBody(
  probe: Probe,
  signer: MessageSigner,
  session: string,
  action: (typeof jobActions)[keyof typeof jobActions],
  product: string | undefined,
  payload: Readonly<Record<string, unknown>>,
): Promise<{ body: string; message: string }> {
  const payloadText = canonicalize(payload)
  const requestId = crypto.randomUUID()
  const message = buildMessage({
    wallet: probe.wallet,
    session,
    request: requestId,
    scope: { action, product },
    payloadHash: sha256Hex(payloadText),
  })
  const signature = await signer.signMessage(message)
  if (probe.verbose)
    for (const line of message.split('\n')) probe.context.stderr.write(`  | ${line}\n`)
  const body = canonicalize({
    ...(JSON.parse(payloadText) as JsonRecord),
    wallet_address: probe.wallet,
    session_nonce: session,
    request_id: requestId,
    signature,
  })
  return { body, message }
}

/**
 * Sends a request, again (rebuilt by `makeBody`: a fresh request id and signature) after a 429
 * or 502-504, as the client would, honouring `Retry-After`; at most three attempts.
 */
export async function sendRetrying(
  probe: Probe,
  step: string,
  part: ProbePart,
  path: string,
  makeBody: () => Promise<string>,
): Promise<Exchange> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send(probe, step, path, await makeBody())
    if (!transientStatuses.has(answer.status) || attempt === maxAttempts) return answer
    const retryAfter = await import('@agentpmt-kit/error-recovery').then(({ parseRetryAfter }) =>
      parseRetryAfter(answer.headers.get('retry-after')),
    )
    const delayMs = Math.min(retryAfter ?? 1000, maxRetryDelayMs)
    const contentType = answer.headers.get('content-type')
    probe.retries.push({ step, status: answer.status, contentType, delayMs })
    if (typeof asRecord(answer.json)?.error_code !== 'string')
      probe.guesses.push({
        part,
        field: '(error body)',
        guess: `HTTP ${answer.status} with no JSON error body (${contentType ?? 'no content-type'}): classified by its status, retried after ${delayMs} ms`,
      })
    await new Promise((resolve) => setTimeout(resolve, delayMs))
  }
}

/** One POST, no redirect followed, with a timeout; a failure to get any HTTP answer throws. */
async function send(probe: Probe, step: string, path: string, body: string): Promise<Exchange> {
  const url = `${probe.baseUrl}${path}`
  const sentAt = Date.now()
  let response: Response
  let text: string
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(probe.timeoutMs),
    })
    text = await readCapped(response)
  } catch (cause) {
    throw new ProbeNetworkError({ url, step, timeoutMs: probe.timeoutMs, cause })
  }
  const receivedAt = Date.now()
  let json: unknown
  try {
    json = JSON.parse(text) as unknown
  } catch {
    json = undefined
  }
  const exchange: Exchange = {
    step,
    path,
    requestBody: body,
    status: response.status,
    headers: response.headers,
    text,
    json,
    sentAt,
    receivedAt,
  }
  probe.exchanges.push(exchange)
  if (probe.verbose)
    probe.context.stderr.write(`POST ${path} -> ${response.status} (${receivedAt - sentAt} ms)\n`)
  return exchange
}

/** The body as text, refusing to hold more than {@link maxAnswerBytes}. */
async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxAnswerBytes) {
      await reader.cancel()
      throw new Error(`the answer is larger than ${maxAnswerBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The skew from the `Date` headers: each bounds the server's time at the answer to
 * [date, date + 1 s), and the answer came between sending and receiving; the bounds of all
 * answers are intersected.
 */
function dateHeaderSkew(exchanges: readonly Exchange[]): ClockSkew | null {
  let low = Number.NEGATIVE_INFINITY
  let high = Number.POSITIVE_INFINITY
  for (const exchange of exchanges) {
    const date = Date.parse(exchange.headers.get('date') ?? '')
    if (Number.isNaN(date)) continue
    const lowHere = date - exchange.receivedAt
    const highHere = date + 1000 - exchange.sentAt
    if (Math.max(low, lowHere) > Math.min(high, highHere)) continue
    low = Math.max(low, lowHere)
    high = Math.min(high, highHere)
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null
  return { skewMs: Math.round((low + high) / 2), plusMinusMs: Math.round((high - low) / 2) }
}

/**
 * The skew from an answer that gives a deadline both ways: `expires_at` (or `reserved_until`)
 * minus `expires_in` is the server's time when it answered.
 */
function expirySkew(record: JsonRecord | undefined, answer: Exchange): ClockSkew | null {
  const expiresIn = record?.expires_in
  const at = record?.expires_at ?? record?.reserved_until
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || typeof at !== 'string')
    return null
  const parsed = parseIso(at)
  if (parsed === undefined) return null
  const serverNow = parsed - expiresIn * 1000
  const rounding = Number.isInteger(expiresIn) ? 1000 : 0
  return {
    skewMs: Math.round(serverNow - (answer.sentAt + answer.receivedAt) / 2),
    plusMinusMs: Math.round((answer.receivedAt - answer.sentAt) / 2 + rounding),
  }
}

/** ISO-8601 as the client reads it (no offset means UTC). */
function parseIso(text: string): number | undefined {
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`
  const at = Date.parse(withZone)
  return Number.isNaN(at) ? undefined : at
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

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined
}

/** A Python server writes an absent optional as `null`: read as absent, as the client does. */
function withoutNulls(value: unknown): unknown {
  const record = asRecord(value)
  if (record === undefined) return value
  const copy: JsonRecord = {}
  for (const [key, member] of Object.entries(record))
    if (member !== null) copy[key] = withoutNulls(member)
  return copy
}

function typeOf(value: unknown): string {
  return value === undefined ? 'nothing' : Array.isArray(value) ? 'an array' : typeof value
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 160 ? `${line.slice(0, 159)}…` : line
}

/** Whether a file can be written at `path`: not a directory, in a writable directory. */
async function checkWritable(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) throw new InputError(`--save ${path} is a directory.`)
  try {
    await access(existing ? path : dirname(resolve(path)), constants.W_OK)
  } catch {
    throw new InputError(`--save ${path} cannot be written.`)
  }
}

/**
 * Writes every request and answer, redacted: signatures become `<signature>`, session nonces
 * and workflow tokens their first 6 characters and `…`; the private key is never in it.
 */
async function saveTranscript(
  context: Context,
  options: ProbeOptions,
  probe: Probe,
): Promise<void> {
  const secrets = new Set<string>()
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) collect(item)
    const record = asRecord(value)
    if (record === undefined) return
    for (const [key, member] of Object.entries(record)) {
      if ((key === 'session_nonce' || key === 'access_token') && typeof member === 'string')
        secrets.add(member)
      collect(member)
    }
  }
  for (const exchange of probe.exchanges) {
    collect(exchange.json)
    collect(parseJson(exchange.requestBody))
  }
  const ordered = [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
  const keyPattern = keyPatternOf(context.env)
  const redactString = (text: string): string => {
    let redacted = text.replace(/0x[0-9a-fA-F]{130}/g, '<signature>')
    for (const secret of ordered) redacted = redacted.replaceAll(secret, shortSecret(secret))
    return keyPattern === undefined ? redacted : redacted.replace(keyPattern, '<redacted key>')
  }
  const redact = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key === 'signature' ? '<signature>' : redactString(value)
    if (Array.isArray(value)) return value.map((item) => redact(item))
    const record = asRecord(value)
    if (record === undefined) return value
    const copy: JsonRecord = {}
    for (const [name, member] of Object.entries(record)) copy[name] = redact(member, name)
    return copy
  }
  const bodyValue = (text: string): unknown => {
    const json = parseJson(text)
    return json === undefined ? redactString(text) : redact(json)
  }
  const transcript = {
    probe: 'agentpmt probe',
    baseUrl: probe.baseUrl,
    wallet: probe.wallet,
    redaction:
      'signatures as <signature>; session nonces and workflow tokens as their first 6 characters and …',
    exchanges: probe.exchanges.map((exchange) => ({
      step: exchange.step,
      sentAt: new Date(exchange.sentAt).toISOString(),
      durationMs: exchange.receivedAt - exchange.sentAt,
      request: {
        method: 'POST',
        path: exchange.path,
        headers: { 'content-type': 'application/json' },
        body: bodyValue(exchange.requestBody),
      },
      response: {
        status: exchange.status,
        headers: selectedHeaders(exchange.headers),
        body: bodyValue(exchange.text),
      },
    })),
  }
  try {
    await writeFile(
      options.save as string,
      `${redactString(JSON.stringify(transcript, null, 2))}\n`,
    )
  } catch (cause) {
    throw new InputError(`The transcript could not be saved to ${options.save}.`, { cause })
  }
}

function shortSecret(secret: string): string {
  return `${secret.slice(0, 6)}…`
}

function selectedHeaders(headers: Headers): Record<string, string> {
  const selected: Record<string, string> = {}
  for (const name of ['content-type', 'date', 'retry-after', 'location']) {
    const value = headers.get(name)
    if (value !== null) selected[name] = value
  }
  return selected
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

const statusLabels: Record<ProbeCheck['status'], string> = {
  found: 'ok',
  missing: 'MISSING',
  differs: 'DIFFERS',
  'not-applicable': 'n/a',
  'not-checked': 'skipped',
}

const verdictLines: Record<ProbeVerdict, string> = {
  compatible: 'compatible',
  'compatible-with-guesses': 'compatible with guesses',
  incompatible: 'incompatible: a guaranteed field is missing or disagrees',
}

function describeReport(report: ProbeReport): string {
  const lines = [
    `Probe of ${report.baseUrl}`,
    report.throwawayWallet
      ? `wallet ${report.wallet}: a throwaway key (${privateKeyVariable} is not set; probing needs no funded wallet)`
      : `wallet ${report.wallet} (${privateKeyVariable})`,
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
  if (report.reservation !== null) {
    const reservation = report.reservation
    lines.push(
      '',
      `Reserved ${reservation.jobId}: reservation ${reservation.reservationId}, until ${reservation.expiresAt ?? 'the server says (no expiry given)'}`,
      'The job is held by this wallet: complete it or let the reservation expire.',
    )
  }
  if (report.stopped !== null) lines.push('', `Stopped: ${report.stopped}`)
  lines.push('', `Verdict: ${verdictLines[report.verdict]}`)
  return lines.join('\n')
}

function describeSkew({ skewMs, plusMinusMs }: ClockSkew): string {
  const margin = `±${(plusMinusMs / 1000).toFixed(1)} s`
  if (Math.abs(skewMs) <= plusMinusMs) return `no measurable skew (${margin})`
  const way = skewMs > 0 ? 'ahead of' : 'behind'
  return `the server's clock is ${(Math.abs(skewMs) / 1000).toFixed(1)} s ${way} this machine's (${margin})`
}

/**
 * The probe got no HTTP answer: the connection failed, the answer was not HTTP, or it did not
 * come within the timeout.
 *
 * @example
 * ```ts
 * import { ProbeNetworkError } from './probe.js'
 *
 * new ProbeNetworkError({ url: 'http://127.0.0.1:9/api/external/auth/session', step: 'session', timeoutMs: 15000, cause: new TypeError('fetch failed') })
 * ```
 */
export class ProbeNetworkError extends BaseError {
  override name = 'Cli.ProbeNetworkError'
  constructor({
    url,
    step,
    timeoutMs,
    cause,
  }: {
    url: string
    step: string
    timeoutMs: number
    cause: unknown
  }) {
    super(`No HTTP answer from ${url} (${step})`, {
      details: reasonOf(cause, timeoutMs),
      docsPath: '/documents/CLI.html',
      cause: cause instanceof Error ? cause : undefined,
    })
  }
}

/** The innermost reason fetch gives: a system code, a parser error, or the timeout. */
function reasonOf(cause: unknown, timeoutMs: number): string {
  if (cause instanceof Error && cause.name === 'TimeoutError')
    return `nothing within ${timeoutMs / 1000} s (--timeout)`
  // fetch's own "fetch failed" says less than what it wraps: a system code, or the innermost message.
  let current: unknown = cause
  let innermost = cause instanceof Error ? cause.message : String(cause)
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string')
      return oneLine(
        code.startsWith('HPE_') || code === 'UND_ERR_SOCKET'
          ? `the answer is not HTTP (${code})`
          : current.message.includes(code)
            ? current.message
            : `${code} ${current.message}`,
      )
    innermost = current.message
    current = current.cause
  }
  return oneLine(innermost)
}
