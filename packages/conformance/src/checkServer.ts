import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import { apiPaths, toolInvokePath } from '@agentpmt-kit/message-builder'
import { errorBodyFields } from './internal/errorBody.js'
import { asRecord } from './internal/json.js'
import { dateHeaderSkew, serverLifetime } from './internal/serverClock.js'
import { type Signed, type SignParameters, signRequest } from './internal/signRequest.js'
import { createProbe, sendRetrying, throwawaySigner } from './internal/wire.js'
import type { ClockSkew, ProbeExchange } from './probeTypes.js'

/**
 * A group of server checks: `jobs` is what the jobs guides promise (PROTOCOL sections 2-6) and
 * always runs; `credits` (the credit balance endpoint) and `tools` (tool invokes) belong to
 * AgentPMT's tool-usage guides, run only when asked, and a 404 there means "not offered".
 *
 * @example
 * ```ts
 * import type { ServerCheckGroup } from '@agentpmt-kit/conformance'
 *
 * const group: ServerCheckGroup = 'credits'
 * ```
 */
export type ServerCheckGroup = 'jobs' | 'tools' | 'credits'

/**
 * The id of one server check (see {@link serverCheckGroups} for the group of each).
 *
 * @example
 * ```ts
 * import type { ServerCheckId } from '@agentpmt-kit/conformance'
 *
 * const id: ServerCheckId = 'replay'
 * ```
 */
export type ServerCheckId =
  | 'session'
  | 'valid-list'
  | 'replay'
  | 'wrong-wallet'
  | 'wrong-wallet-details'
  | 'malformed-signature'
  | 'unknown-session'
  | 'error-body'
  | 'expired-session'
  | 'balance-empty-payload-line'
  | 'tool-raw-form'
  | 'tool-ascii-form'
  | 'tool-path-api-prefix'
  | 'tool-path-trailing-slash'
  | 'tool-path-slug-case'

/**
 * Every server check id by its group, in the order they run: a report lists every check of the
 * groups it ran, each once.
 *
 * @example
 * ```ts
 * import { serverCheckGroups } from '@agentpmt-kit/conformance'
 *
 * serverCheckGroups.credits // ['balance-empty-payload-line']
 * ```
 */
export const serverCheckGroups: { readonly [group in ServerCheckGroup]: readonly ServerCheckId[] } =
  {
    jobs: [
      'session',
      'valid-list',
      'replay',
      'wrong-wallet',
      'wrong-wallet-details',
      'malformed-signature',
      'unknown-session',
      'expired-session',
      'error-body',
    ],
    credits: ['balance-empty-payload-line'],
    tools: [
      'tool-raw-form',
      'tool-ascii-form',
      'tool-path-api-prefix',
      'tool-path-trailing-slash',
      'tool-path-slug-case',
    ],
  }

/**
 * One check of `agentpmt conformance server`: what was sent, the answer the guides document,
 * and the answer the server gave. `not-offered`: a check of an optional group (`credits`,
 * `tools`) that the server answered 404, an endpoint it does not offer; never a failure.
 *
 * @example
 * ```ts
 * import type { ServerCheck } from '@agentpmt-kit/conformance'
 *
 * const check: ServerCheck = { id: 'replay', group: 'jobs', expected: '409 EXTERNAL_SIGNATURE_REQUEST_REPLAY', actual: '409 EXTERNAL_SIGNATURE_REQUEST_REPLAY', status: 'pass', detail: 'the same body sent twice' }
 * ```
 */
export type ServerCheck = {
  id: ServerCheckId
  group: ServerCheckGroup
  expected: string
  actual: string | null
  status: 'pass' | 'fail' | 'skip' | 'not-offered'
  detail: string
}

/**
 * The report of {@link checkServer} (what `agentpmt conformance server --json` prints). `time`
 * says how time was read: always by the server's own clock (its `Date` header, its `expires_*`
 * relative to it), offset-less timestamps as UTC.
 *
 * @example
 * ```ts
 * import type { ServerReport } from '@agentpmt-kit/conformance'
 *
 * declare const report: ServerReport
 * report.checks.filter((check) => check.status === 'fail')
 * ```
 */
export type ServerReport = {
  tool: 'agentpmt conformance server'
  baseUrl: string
  wallet: string
  verdict: 'pass' | 'fail'
  /** The groups checked, `jobs` first. */
  groups: ServerCheckGroup[]
  checks: ServerCheck[]
  time: {
    /** The server's clock against this machine's, from its `Date` headers. */
    serverClock: ClockSkew | null
    /** The session's lifetime by the server's clock, when it could be read. */
    sessionLifetimeMs: number | null
    /** Where the lifetime was read from (`expires_in 900`, or `expires_at ... minus the answer's Date ...`). */
    sessionLifetimeSource: string | null
  }
}

/**
 * Options of {@link checkServer}.
 *
 * @example
 * ```ts
 * import type { CheckServerOptions } from '@agentpmt-kit/conformance'
 *
 * const options: CheckServerOptions = { baseUrl: 'http://127.0.0.1:8787', include: ['jobs', 'credits'], waitSessionExpiryMs: 5000 }
 * ```
 */
export type CheckServerOptions = {
  /** The server, without a trailing slash. */
  baseUrl: string
  /**
   * The groups to check; `jobs` always runs. `['jobs']` by default; `tools` is added when `tool`
   * is given.
   */
  include?: readonly ServerCheckGroup[] | undefined
  /** Time allowed for each request, in milliseconds (default 15,000). */
  timeoutMs?: number | undefined
  /** The tool the `tools` group invokes (it may cost credits): the ASCII form and the path variants. */
  tool?: { product: string; action: string } | undefined
  /** Wait for a session to expire, when it expires within this time, to check the expired answer. */
  waitSessionExpiryMs?: number | undefined
  /** Called with each exchange as it completes. */
  onExchange?: ((exchange: ProbeExchange) => void) | undefined
}

const listPage = { limit: 5, skip: 0 }
const nonAsciiParameters = { text: 'Grüße 👋 café', nested: { z: [1, 'ü'], a: null } }
/** Parameters whose two forms hash alike: the path checks judge the path alone. */
const asciiParameters = { text: 'path check' }
const expiredCode = '401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'
const replayExpected = '409 EXTERNAL_SIGNATURE_REQUEST_REPLAY'

/**
 * Checks a server: signed requests, valid and invalid, against the answers the jobs guides
 * document (PROTOCOL sections 2-6), and, when `include` asks, the credit balance and a tool's
 * invokes, where 404 means "not offered". Safe: it opens sessions and lists jobs; it never
 * reserves, reads the balance only with `credits` and invokes a tool (which may cost credits)
 * only with `tool`. Time is the server's: a session's lifetime is its `expires_in`, or its
 * `expires_at` (UTC when it has no offset) minus the same answer's `Date`. It prints nothing.
 *
 * @throws {ProbeNetworkError} when a request gets no HTTP answer at all.
 *
 * @example
 * ```ts
 * import { checkServer } from '@agentpmt-kit/conformance'
 *
 * const report = await checkServer({ baseUrl: 'http://127.0.0.1:8787', include: ['jobs', 'credits'] })
 * report.verdict // 'pass' or 'fail'
 * ```
 */
export async function checkServer(options: CheckServerOptions): Promise<ServerReport> {
  const signer = await throwawaySigner()
  const probe = createProbe(
    {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      onExchange: options.onExchange,
    },
    signer,
  )
  const asked = new Set<ServerCheckGroup>(['jobs', ...(options.include ?? [])])
  if (options.tool !== undefined) asked.add('tools')
  const groups = (['jobs', 'credits', 'tools'] as const).filter((group) => asked.has(group))
  const checks: ServerCheck[] = []
  const report: ServerReport = {
    tool: 'agentpmt conformance server',
    baseUrl: options.baseUrl,
    wallet: probe.wallet,
    verdict: 'pass',
    groups,
    checks,
    time: { serverClock: null, sessionLifetimeMs: null, sessionLifetimeSource: null },
  }
  const groupOf = (id: ServerCheckId): ServerCheckGroup =>
    groups.find((group) => serverCheckGroups[group].includes(id)) ?? 'jobs'
  const record = (
    id: ServerCheckId,
    expected: string,
    actual: string | null,
    status: ServerCheck['status'],
    detail: string,
  ): void => {
    checks.push({ id, group: groupOf(id), expected, actual, status, detail })
  }
  const expectAnswer = (
    id: ServerCheckId,
    expected: string,
    answer: ProbeExchange,
    detail: string,
  ): boolean => {
    const actual = answerOf(answer)
    const pass = expected === '2xx' ? isSuccess(answer) : actual === expected
    record(id, expected, actual, pass ? 'pass' : 'fail', detail)
    return pass
  }
  const finish = (): ServerReport => {
    report.time.serverClock = dateHeaderSkew(probe.exchanges)
    report.verdict = checks.some((check) => check.status === 'fail') ? 'fail' : 'pass'
    return report
  }
  const send = (step: string, path: string, body: () => Promise<string>): Promise<ProbeExchange> =>
    sendRetrying(probe, step, 'list', path, body)
  const openSession = async () => {
    const answer = await send('session', apiPaths.session, async () =>
      canonicalize({ wallet_address: probe.wallet }),
    )
    const body = asRecord(answer.json)
    const nonce = body?.session_nonce
    if (typeof nonce !== 'string' || nonce === '' || !isSuccess(answer)) return undefined
    return { nonce, lifetime: serverLifetime(body, answer), receivedAt: answer.receivedAt }
  }

  const session = await openSession()
  record(
    'session',
    '2xx with session_nonce',
    session === undefined ? answerOf(probe.exchanges.at(-1)) : '2xx with session_nonce',
    session === undefined ? 'fail' : 'pass',
    'POST /api/external/auth/session { wallet_address }',
  )
  if (session === undefined) {
    for (const group of groups)
      for (const id of serverCheckGroups[group])
        if (id !== 'session') record(id, '', null, 'skip', 'no session: nothing could be signed')
    return finish()
  }
  report.time.sessionLifetimeMs = session.lifetime.ms ?? null
  report.time.sessionLifetimeSource = session.lifetime.source
  // A short-lived session (a test server's) is renewed halfway through its life, measured on
  // this machine from the answer's arrival, so that only the expiry check meets an expired one.
  let current = session
  const sign = async (parameters: SignParameters): Promise<Signed> => {
    const lifetime = current.lifetime.ms
    if (lifetime !== undefined && Date.now() - current.receivedAt > lifetime / 2)
      current = (await openSession()) ?? current
    return signRequest(probe.wallet, current.nonce, parameters)
  }
  /**
   * A request signed in the current session, renewed once if the server says it expired (a
   * session whose expiry the server does not tell is used until then, as the client does).
   */
  const sendSigned = async (
    step: string,
    path: string,
    parameters: () => SignParameters,
    alter: (signed: Signed) => string = (signed) => signed.body,
  ): Promise<ProbeExchange> => {
    const build = async () => alter(await sign(parameters()))
    const answer = await send(step, path, build)
    if (answerOf(answer) !== expiredCode) return answer
    current = (await openSession()) ?? current
    return send(step, path, build)
  }
  const list: SignParameters = { signer, scope: { action: 'job_list' }, payload: listPage }
  const errorAnswers: Array<{ id: ServerCheckId; answer: ProbeExchange }> = []
  const expectError = (
    id: ServerCheckId,
    expected: string,
    answer: ProbeExchange,
    detail: string,
  ): boolean => {
    if (answer.status >= 400) errorAnswers.push({ id, answer })
    return expectAnswer(id, expected, answer, detail)
  }

  // The accepted body, then the same again. A session that lapsed between the two (a slow
  // server, a loaded machine) tells nothing of replays: the pair is sent once more in a new one.
  let valid: Signed | undefined
  let accepted: ProbeExchange | undefined
  let replay: ProbeExchange | undefined
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt === 2) current = (await openSession()) ?? current
    accepted = await sendSigned(
      'list',
      apiPaths.list,
      () => list,
      (signed) => {
        valid = signed
        return signed.body
      },
    )
    if (!isSuccess(accepted)) break
    replay = await send('replay', apiPaths.list, async () => valid!.body)
    if (answerOf(replay) !== expiredCode) break
  }
  expectAnswer('valid-list', '2xx', accepted!, 'a list request signed over the raw canonical form')
  if (replay === undefined)
    record('replay', replayExpected, null, 'skip', 'no request was accepted to send again')
  else
    expectError(
      'replay',
      replayExpected,
      replay,
      'the accepted body sent again: same request id and signature',
    )

  const stranger = await throwawaySigner()
  const mismatch = await sendSigned('wrong-wallet', apiPaths.list, () => ({
    ...list,
    signer: stranger,
  }))
  const raw = sha256Hex(canonicalize(listPage))
  const detailsExpected = `details.expected_payload_hash ${raw}`
  const detailsDetail = 'the mismatch answer names the payload hash the server computed'
  if (
    expectError(
      'wrong-wallet',
      '401 EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      mismatch,
      'signed by another key than wallet_address',
    )
  ) {
    const hash = asRecord(asRecord(mismatch.json)?.details)?.expected_payload_hash
    record(
      'wrong-wallet-details',
      detailsExpected,
      typeof hash === 'string'
        ? `details.expected_payload_hash ${hash}`
        : 'no expected_payload_hash',
      typeof hash === 'string' && hash.toLowerCase() === raw ? 'pass' : 'fail',
      `${detailsDetail} (64 hex characters over ${canonicalize(listPage)})`,
    )
  } else record('wrong-wallet-details', detailsExpected, null, 'skip', 'no wallet-mismatch answer')

  const malformed = await sendSigned(
    'malformed',
    apiPaths.list,
    () => list,
    (signed) =>
      canonicalize({ ...JSON.parse(signed.body), signature: signed.signature.slice(0, 130) }),
  )
  expectError(
    'malformed-signature',
    '401 EXTERNAL_SIGNATURE_MALFORMED',
    malformed,
    'a signature of 64 bytes',
  )

  const unknownSession = await send(
    'unknown-session',
    apiPaths.list,
    async () => (await signRequest(probe.wallet, `unknown-${crypto.randomUUID()}`, list)).body,
  )
  expectError(
    'unknown-session',
    '401 EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    unknownSession,
    'a session nonce the server never issued',
  )

  const expired = await checkExpiredSession()
  if (expired !== undefined)
    expectError('expired-session', expiredCode, expired.answer, expired.detail)

  checkErrorBodies()

  if (groups.includes('credits')) {
    const balance = await sendSigned('balance', apiPaths.balance, () => ({
      signer,
      scope: { action: 'balance' },
      payload: null,
    }))
    const detail = 'the credit balance: action:balance, product -, an empty payload: line'
    if (balance.status === 404)
      record('balance-empty-payload-line', '2xx', '404', 'not-offered', `${detail}: not offered`)
    else expectAnswer('balance-empty-payload-line', '2xx', balance, detail)
  }

  if (groups.includes('tools')) await checkTool()
  return finish()

  async function checkExpiredSession(): Promise<
    { answer: ProbeExchange; detail: string } | undefined
  > {
    const wait = options.waitSessionExpiryMs
    const skipExpiry = (detail: string): undefined => {
      record('expired-session', expiredCode, null, 'skip', detail)
    }
    if (wait === undefined)
      return skipExpiry(
        'give waitSessionExpiryMs (--wait-session-expiry) to wait for a session to expire',
      )
    const fresh = await openSession()
    if (fresh === undefined) return skipExpiry('no second session could be opened')
    const lifetimeMs = fresh.lifetime.ms
    if (lifetimeMs === undefined)
      return skipExpiry(`the session's lifetime is unknown (${fresh.lifetime.source})`)
    if (lifetimeMs > wait)
      return skipExpiry(
        `the session expires in ${Math.round(lifetimeMs / 1000)} s by the server's clock (${fresh.lifetime.source}), beyond the wait allowed (--wait-session-expiry)`,
      )
    // The server's time at its answer is within [Date, Date + 1 s): one second more is past it.
    const waitMs = fresh.receivedAt + Math.max(0, lifetimeMs) + 1000 - Date.now()
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)))
    const answer = await send(
      'expired-session',
      apiPaths.list,
      async () => (await signRequest(probe.wallet, fresh.nonce, list)).body,
    )
    return {
      answer,
      detail: `a session used 1 s after its expiry by the server's clock (${fresh.lifetime.source})`,
    }
  }

  function checkErrorBodies(): void {
    const expected = 'error_code, detail and details.checklist in every error answer'
    if (errorAnswers.length === 0) {
      record('error-body', expected, null, 'skip', 'no error answer to read')
      return
    }
    const lacking = errorAnswers.flatMap(({ id, answer }) =>
      errorBodyFields(answer)
        .fields.filter((field) => !field.found)
        .map((field) => `${id}: ${field.field} ${field.detail}`),
    )
    record(
      'error-body',
      expected,
      lacking.length === 0 ? expected : lacking.join('; '),
      lacking.length === 0 ? 'pass' : 'fail',
      `the ${errorAnswers.length} error answers above (PROTOCOL section 5)`,
    )
  }

  async function checkTool(): Promise<void> {
    if (options.tool === undefined) {
      for (const id of serverCheckGroups.tools)
        record(id, '2xx', null, 'skip', 'give tool (--tool product/action) to invoke one')
      return
    }
    const { product, action } = options.tool
    const canonical = toolInvokePath(product, action)
    const path = apiPaths.toolInvoke(product, action)
    const invoke = (
      sentTo: string,
      signedPath: string,
      ascii: boolean,
      payload: Record<string, unknown> = asciiParameters,
    ): Promise<ProbeExchange> =>
      sendSigned('tool', sentTo, () => ({
        signer,
        scope: { method: 'POST', path: signedPath },
        payload,
        ascii,
        parameters: true,
      }))
    const rawForm = await invoke(path, canonical, false, nonAsciiParameters)
    if (rawForm.status === 404) {
      for (const id of serverCheckGroups.tools)
        record(id, '2xx', '404', 'not-offered', `${path}: not offered`)
      return
    }
    expectAnswer('tool-raw-form', '2xx', rawForm, 'non-ASCII parameters hashed in the raw form')
    expectAnswer(
      'tool-ascii-form',
      '2xx',
      await invoke(path, canonical, true, nonAsciiParameters),
      'the same parameters hashed in the ascii form (Python json.dumps)',
    )
    expectAnswer(
      'tool-path-api-prefix',
      '2xx',
      await invoke(path, `/api${canonical}`, false),
      `path: line /api${canonical} (ASCII parameters: both forms hash alike)`,
    )
    expectAnswer(
      'tool-path-trailing-slash',
      '2xx',
      await invoke(path, `${canonical}/`, false),
      `path: line ${canonical}/ (ASCII parameters)`,
    )
    const upperPath = apiPaths.toolInvoke(product.toUpperCase(), action)
    expectAnswer(
      'tool-path-slug-case',
      '2xx',
      await invoke(upperPath, canonical.toLowerCase(), false),
      `sent to ${upperPath}, path: line ${canonical.toLowerCase()} (ASCII parameters)`,
    )
  }
}

function isSuccess(answer: ProbeExchange): boolean {
  return answer.status >= 200 && answer.status < 300
}

function answerOf(answer: ProbeExchange | undefined): string {
  if (answer === undefined) return 'no answer'
  const code = asRecord(answer.json)?.error_code
  return typeof code === 'string' ? `${answer.status} ${code}` : `${answer.status}`
}
