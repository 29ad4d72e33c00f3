import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  apiPaths,
  buildMessage,
  type MessageSigner,
  type Scope,
  toolInvokePath,
} from '@agentpmt-kit/message-builder'
import { asRecord } from './internal/json.js'
import { createProbe, sendRetrying, throwawaySigner } from './internal/wire.js'
import type { ProbeExchange } from './probeTypes.js'

/**
 * One check of `agentpmt conformance server`: what was sent, the answer the guides document,
 * and the answer the server gave.
 *
 * @example
 * ```ts
 * import type { ServerCheck } from '@agentpmt-kit/conformance'
 *
 * const check: ServerCheck = { id: 'replay', expected: '409 EXTERNAL_SIGNATURE_REQUEST_REPLAY', actual: '409 EXTERNAL_SIGNATURE_REQUEST_REPLAY', status: 'pass', detail: 'the same body sent twice' }
 * ```
 */
export type ServerCheck = {
  id: string
  expected: string
  actual: string | null
  status: 'pass' | 'fail' | 'skip'
  detail: string
}

/**
 * The report of {@link checkServer} (what `agentpmt conformance server --json` prints).
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
  checks: ServerCheck[]
}

/**
 * Options of {@link checkServer}.
 *
 * @example
 * ```ts
 * import type { CheckServerOptions } from '@agentpmt-kit/conformance'
 *
 * const options: CheckServerOptions = { baseUrl: 'http://127.0.0.1:8787', waitSessionExpiryMs: 5000 }
 * ```
 */
export type CheckServerOptions = {
  /** The server, without a trailing slash. */
  baseUrl: string
  /** Time allowed for each request, in milliseconds (default 15,000). */
  timeoutMs?: number | undefined
  /** Also invoke this tool (it may cost credits): the ASCII form and the path variants. */
  tool?: { product: string; action: string } | undefined
  /** Wait for a session to expire, when it expires within this time, to check the expired answer. */
  waitSessionExpiryMs?: number | undefined
  /** Called with each exchange as it completes. */
  onExchange?: ((exchange: ProbeExchange) => void) | undefined
}

const listPage = { limit: 5, skip: 0 }
const nonAsciiParameters = { text: 'Grüße 👋 café', nested: { z: [1, 'ü'], a: null } }

/**
 * Checks a server: signed requests, valid and invalid, against the answers the guides document
 * (PROTOCOL section 5). Safe: it opens sessions, lists jobs and reads the balance; it never
 * reserves, and invokes a tool (which may cost credits) only with `tool`. It prints nothing.
 *
 * @throws {ProbeNetworkError} when a request gets no HTTP answer at all.
 *
 * @example
 * ```ts
 * import { checkServer } from '@agentpmt-kit/conformance'
 *
 * const report = await checkServer({ baseUrl: 'http://127.0.0.1:8787' })
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
  const checks: ServerCheck[] = []
  const report: ServerReport = {
    tool: 'agentpmt conformance server',
    baseUrl: options.baseUrl,
    wallet: probe.wallet,
    verdict: 'pass',
    checks,
  }
  const expectAnswer = (
    id: string,
    expected: string,
    answer: ProbeExchange,
    detail: string,
  ): boolean => {
    const actual = answerOf(answer)
    const pass =
      expected === '2xx' ? answer.status >= 200 && answer.status < 300 : actual === expected
    checks.push({ id, expected, actual, status: pass ? 'pass' : 'fail', detail })
    return pass
  }
  const skip = (id: string, expected: string, detail: string): void => {
    checks.push({ id, expected, actual: null, status: 'skip', detail })
  }
  const send = (step: string, path: string, body: () => Promise<string>): Promise<ProbeExchange> =>
    sendRetrying(probe, step, 'list', path, body)
  const openSession = async (): Promise<
    { nonce: string; expiresInMs: number | undefined } | undefined
  > => {
    const answer = await send('session', apiPaths.session, async () =>
      canonicalize({ wallet_address: probe.wallet }),
    )
    const body = asRecord(answer.json)
    const nonce = body?.session_nonce
    if (typeof nonce !== 'string' || answer.status >= 300) return undefined
    const expiresAt =
      typeof body?.expires_at === 'string' ? Date.parse(body.expires_at) - Date.now() : undefined
    const expiresIn = typeof body?.expires_in === 'number' ? body.expires_in * 1000 : expiresAt
    return { nonce, expiresInMs: expiresIn }
  }

  const session = await openSession()
  checks.push({
    id: 'session',
    expected: '2xx with session_nonce',
    actual: session === undefined ? answerOf(probe.exchanges.at(-1)) : '2xx with session_nonce',
    status: session === undefined ? 'fail' : 'pass',
    detail: 'POST /api/external/auth/session { wallet_address }',
  })
  if (session === undefined) {
    report.verdict = 'fail'
    return report
  }
  // A short-lived session (a test server's) is renewed halfway through its life, so that only
  // the expiry check ever meets an expired one.
  let current = { ...session, openedAt: Date.now() }
  const sign = async (parameters: SignParameters): Promise<Signed> => {
    const lifetime = current.expiresInMs
    if (lifetime !== undefined && Date.now() - current.openedAt > lifetime / 2) {
      const renewed = await openSession()
      if (renewed !== undefined) current = { ...renewed, openedAt: Date.now() }
    }
    return signRequest(probe.wallet, current.nonce, parameters)
  }
  const list: SignParameters = { signer, scope: { action: 'job_list' }, payload: listPage }

  const valid = await sign(list)
  const accepted = await send('list', apiPaths.list, async () => valid.body)
  expectAnswer('valid-list', '2xx', accepted, 'a list request signed over the raw canonical form')

  const replay = await send('replay', apiPaths.list, async () => valid.body)
  expectAnswer(
    'replay',
    '409 EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    replay,
    'the accepted body sent again: same request id and signature',
  )

  const stranger = await throwawaySigner()
  const mismatch = await send(
    'wrong-wallet',
    apiPaths.list,
    async () => (await sign({ ...list, signer: stranger })).body,
  )
  if (
    expectAnswer(
      'wrong-wallet',
      '401 EXTERNAL_SIGNATURE_WALLET_MISMATCH',
      mismatch,
      'signed by another key than wallet_address',
    )
  ) {
    const details = asRecord(asRecord(mismatch.json)?.details)
    const hash = details?.expected_payload_hash
    const raw = sha256Hex(canonicalize(listPage))
    checks.push({
      id: 'wrong-wallet-details',
      expected: `details.expected_payload_hash ${raw}`,
      actual:
        typeof hash === 'string'
          ? `details.expected_payload_hash ${hash.toLowerCase()}`
          : 'no expected_payload_hash',
      status: typeof hash === 'string' && hash.toLowerCase() === raw ? 'pass' : 'fail',
      detail: 'the mismatch answer names the payload hash the server computed',
    })
  }

  const malformed = await send('malformed', apiPaths.list, async () => {
    const signed = await sign(list)
    return canonicalize({ ...JSON.parse(signed.body), signature: signed.signature.slice(0, 130) })
  })
  expectAnswer(
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
  expectAnswer(
    'unknown-session',
    '401 EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    unknownSession,
    'a session nonce the server never issued',
  )

  const balance = await send(
    'balance',
    apiPaths.balance,
    async () => (await sign({ signer, scope: { action: 'balance' }, payload: null })).body,
  )
  expectAnswer(
    'balance-empty-payload-line',
    '2xx',
    balance,
    'the balance check: product -, an empty payload: line',
  )

  if (options.tool === undefined) {
    for (const id of [
      'tool-ascii-form',
      'tool-raw-form',
      'tool-path-api-prefix',
      'tool-path-trailing-slash',
      'tool-path-slug-case',
    ])
      skip(id, '2xx', 'invoking a tool may cost credits: give tool (--tool product/action)')
  } else {
    const { product, action } = options.tool
    const canonical = toolInvokePath(product, action)
    const path = apiPaths.toolInvoke(product, action)
    const invoke = (signedPath: string, ascii: boolean) => async () =>
      (
        await sign({
          signer,
          scope: { method: 'POST', path: signedPath },
          payload: nonAsciiParameters,
          ascii,
          parameters: true,
        })
      ).body
    expectAnswer(
      'tool-ascii-form',
      '2xx',
      await send('tool', path, invoke(canonical, true)),
      'non-ASCII parameters hashed in the ascii form (Python json.dumps)',
    )
    expectAnswer(
      'tool-raw-form',
      '2xx',
      await send('tool', path, invoke(canonical, false)),
      'the same parameters hashed in the raw form',
    )
    expectAnswer(
      'tool-path-api-prefix',
      '2xx',
      await send('tool', path, invoke(`/api${canonical}`, false)),
      `path: line /api${canonical}`,
    )
    expectAnswer(
      'tool-path-trailing-slash',
      '2xx',
      await send('tool', path, invoke(`${canonical}/`, false)),
      `path: line ${canonical}/`,
    )
    const upperPath = apiPaths.toolInvoke(product.toUpperCase(), action)
    expectAnswer(
      'tool-path-slug-case',
      '2xx',
      await send('tool', upperPath, invoke(canonical.toLowerCase(), false)),
      `sent to ${upperPath}, path: line ${canonical.toLowerCase()}`,
    )
  }

  const wait = options.waitSessionExpiryMs
  const fresh = wait === undefined ? undefined : await openSession()
  if (wait === undefined || fresh === undefined)
    skip(
      'expired-session',
      '401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
      'give waitSessionExpiryMs (--wait-session-expiry) to wait for a session to expire',
    )
  else if (fresh.expiresInMs === undefined || fresh.expiresInMs > wait)
    skip(
      'expired-session',
      '401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
      `the session expires in ${fresh.expiresInMs === undefined ? 'an unknown time' : `${Math.round(fresh.expiresInMs / 1000)} s`}, beyond the wait allowed (--wait-session-expiry)`,
    )
  else {
    await new Promise((resolve) => setTimeout(resolve, fresh.expiresInMs! + 1000))
    const expired = await send(
      'expired-session',
      apiPaths.list,
      async () => (await signRequest(probe.wallet, fresh.nonce, list)).body,
    )
    expectAnswer(
      'expired-session',
      '401 EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
      expired,
      'a session used after its expiry',
    )
  }

  report.verdict = checks.some((check) => check.status === 'fail') ? 'fail' : 'pass'
  return report
}

type SignParameters = {
  signer: MessageSigner
  scope: Scope
  payload: Record<string, unknown> | null
  ascii?: boolean | undefined
  /** A tool invoke: the payload travels as `parameters`. */
  parameters?: boolean | undefined
}
type Signed = { body: string; signature: string }

async function signRequest(
  wallet: string,
  session: string,
  parameters: SignParameters,
): Promise<Signed> {
  const { payload } = parameters
  const requestId = crypto.randomUUID()
  const message = buildMessage({
    wallet,
    session,
    request: requestId,
    scope: parameters.scope,
    ...(payload === null
      ? { payload: null }
      : { payloadHash: sha256Hex(canonicalize(payload, { ascii: parameters.ascii === true })) }),
  })
  const signature = await parameters.signer.signMessage(message)
  const fields = payload === null ? {} : parameters.parameters ? { parameters: payload } : payload
  const body = canonicalize({
    ...fields,
    wallet_address: wallet,
    session_nonce: session,
    request_id: requestId,
    signature,
  })
  return { body, signature }
}

function answerOf(answer: ProbeExchange | undefined): string {
  if (answer === undefined) return 'no answer'
  const code = asRecord(answer.json)?.error_code
  return typeof code === 'string' ? `${answer.status} ${code}` : `${answer.status}`
}
