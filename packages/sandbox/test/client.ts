// A small signing client for the sandbox's own tests. jobs-client is the real client; this one
// stays minimal on purpose and signs with message-builder and viem accounts.
import { randomUUID } from 'node:crypto'
import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { apiPaths, buildMessage, type Scope } from '@agentpmt-kit/message-builder'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely and assert on them.
export type Json = any

export type Reply<body = Json> = { status: number; body: body; headers: Headers; text: string }

/** POSTs JSON (or a raw string body) and reads the answer: JSON, or `null` (and `text`) when not. */
export async function post(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  const json = (response.headers.get('content-type') ?? '').includes('json')
  return {
    status: response.status,
    body: text === '' || !json ? null : JSON.parse(text),
    headers: response.headers,
    text,
  }
}

export type SignOptions = {
  /** Hash the payload in its ASCII-escaped form instead of the raw one. */
  ascii?: boolean
  /** Sign this path instead of the request's (tool invokes). */
  signedPath?: string
  /** Sign this scope instead of the endpoint's. */
  scope?: Scope
  /** Sign this payload instead of the one sent. */
  signedPayload?: Record<string, unknown> | null
  requestId?: string
  session?: string
  /** Replace the signature that is sent. */
  signature?: string
  /** Send the high-s twin of the signature (see {@link toHighS}). */
  highS?: boolean
}

// Order of secp256k1's group.
const curveOrder = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/**
 * The other signature of the same message by the same key: s' = n - s with the recovery bit
 * flipped. ecrecover takes it; the toolkit's verifier refuses it (s > n/2).
 */
export function toHighS(signature: string): `0x${string}` {
  const r = signature.slice(2, 66)
  const s = BigInt(`0x${signature.slice(66, 130)}`)
  const v = Number.parseInt(signature.slice(130), 16)
  const highS = (curveOrder - s).toString(16).padStart(64, '0')
  return `0x${r}${highS}${(v === 27 ? 28 : 27).toString(16)}`
}

export type TestWallet = {
  account: PrivateKeyAccount
  /** Lower-case address. */
  address: string
  readonly session: string
  openSession(): Promise<string>
  signed(
    path: string,
    scope: Scope,
    payload: Record<string, unknown> | null,
    options?: SignOptions,
  ): Promise<Reply>
  list(page?: Record<string, unknown>, options?: SignOptions): Promise<Reply>
  reserve(jobId: string, options?: SignOptions): Promise<Reply>
  complete(
    jobId: string,
    completion: Record<string, unknown>,
    options?: SignOptions,
  ): Promise<Reply>
  status(jobId: string, options?: SignOptions): Promise<Reply>
  balance(options?: SignOptions): Promise<Reply>
  invoke(
    product: string,
    action: string,
    parameters: Record<string, unknown>,
    options?: SignOptions & { urlPath?: string },
  ): Promise<Reply>
}

/** A wallet with a fresh key (or the one given) that opens sessions and signs requests. */
export function testWallet(
  baseUrl: string,
  account: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey()),
): TestWallet {
  const address = account.address.toLowerCase()
  let session = ''

  async function openSession(): Promise<string> {
    const reply = await post(baseUrl, apiPaths.session, { wallet_address: account.address })
    if (reply.status !== 200) throw new Error(`session: ${reply.status}`)
    session = reply.body.session_nonce
    return session
  }

  /** Signs and sends: envelope + payload (job endpoints) or envelope + { parameters } (tools). */
  async function signed(
    path: string,
    scope: Scope,
    payload: Record<string, unknown> | null,
    options: SignOptions = {},
  ): Promise<Reply> {
    const requestId = options.requestId ?? randomUUID()
    const isTool = 'method' in scope
    const signedPayload = options.signedPayload === undefined ? payload : options.signedPayload
    const message = buildMessage({
      wallet: account.address,
      session: options.session ?? session,
      request: requestId,
      scope:
        options.scope ??
        (isTool && options.signedPath ? { ...scope, path: options.signedPath } : scope),
      ...(signedPayload === null
        ? { payload: null }
        : { payloadHash: canonicalHash(signedPayload, { ascii: options.ascii ?? false }) }),
    })
    const own = await account.signMessage({ message })
    const signature = options.signature ?? (options.highS ? toHighS(own) : own)
    const envelope = {
      wallet_address: account.address,
      session_nonce: options.session ?? session,
      request_id: requestId,
      signature,
    }
    const body = isTool ? { ...envelope, parameters: payload } : { ...envelope, ...payload }
    return post(baseUrl, path, body)
  }

  return {
    account,
    address,
    get session(): string {
      return session
    },
    openSession,
    signed,
    list: (page: Record<string, unknown> = { limit: 50, skip: 0 }, options?: SignOptions) =>
      signed(apiPaths.list, { action: 'job_list' }, page, options),
    reserve: (jobId: string, options?: SignOptions) =>
      signed(apiPaths.reserve(jobId), { action: 'job_reserve', product: jobId }, {}, options),
    complete: (jobId: string, completion: Record<string, unknown>, options?: SignOptions) =>
      signed(
        apiPaths.complete(jobId),
        { action: 'job_complete', product: jobId },
        completion,
        options,
      ),
    status: (jobId: string, options?: SignOptions) =>
      signed(apiPaths.status(jobId), { action: 'job_status', product: jobId }, {}, options),
    balance: (options?: SignOptions) =>
      signed(apiPaths.balance, { action: 'balance' }, null, options),
    invoke: (
      product: string,
      action: string,
      parameters: Record<string, unknown>,
      options: SignOptions & { urlPath?: string } = {},
    ) =>
      signed(
        options.urlPath ?? apiPaths.toolInvoke(product, action),
        { method: 'POST', path: `/external/tools/${product}/actions/${action}/invoke` },
        parameters,
        options,
      ),
  }
}

/** A social-share proof for the tracked URL of a reserve answer. */
export function socialProof(reservation: Json, overrides: Record<string, unknown> = {}): Json {
  const platform = reservation.job.platform
  return {
    proof_text: 'Published the required AgentPMT social post.',
    reservation_id: reservation.reservation_id,
    social_posts: [
      {
        platform,
        post_url: `https://social.example/${platform}/posts/1`,
        target_url_used: reservation.job.social_share.tracking_links[0],
        message_text: 'Paid AgentPMT share: a useful workflow for this process.',
        posted_at: '2026-05-17T14:30:00Z',
        ...overrides,
      },
    ],
  }
}
