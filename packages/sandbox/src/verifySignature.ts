import { BaseError, canonicalize, sha256Hex, toAscii } from '@agentpmt-kit/canonical-json'
import {
  acceptedPathCandidates,
  buildMessage,
  type Hex,
  isAddress,
  type Scope,
} from '@agentpmt-kit/message-builder'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
import { type ErrorReply, errorReply } from './errorBody.js'

/**
 * What a signed endpoint expects on its scope lines: an action and product (job endpoints,
 * balance), or the method and the request's own path (tool invokes; every accepted spelling of
 * the path is tried).
 *
 * @example
 * ```ts
 * import type { SignedScope } from '@agentpmt-kit/sandbox'
 *
 * const reserve: SignedScope = { action: 'job_reserve', product: 'job_share_x' }
 * const invoke: SignedScope = { method: 'POST', path: '/api/external/tools/echo/actions/echo/invoke' }
 * ```
 */
export type SignedScope =
  | { action: string; product: string }
  | {
      method: string
      path: string
      /**
       * The tool's path with its slugs as registered, also accepted with its variants; its
       * spellings come after those of `path` (canonical lower case first, then as in the URL).
       */
      registeredPath?: string | undefined
    }

/**
 * The session a nonce names, as the store holds it.
 *
 * @example
 * ```ts
 * import type { SessionRecord } from '@agentpmt-kit/sandbox'
 *
 * const session: SessionRecord = { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', expiresAt: Date.now() + 900_000, spentRequests: new Set() }
 * ```
 */
export type SessionRecord = {
  /** Lower-case wallet the nonce was issued to. */
  wallet: string
  /** Milliseconds since the epoch. */
  expiresAt: number
  /** Request ids already spent in this session. */
  spentRequests: ReadonlySet<string>
}

/**
 * Input of {@link verifySignature}: the parsed request body, what the endpoint expects, the
 * payload object that is hashed (`null` for an endpoint without one), the session the body's
 * nonce names (if any), the time, and how to spend the request id.
 *
 * @example
 * ```ts
 * import type { SignatureCheck } from '@agentpmt-kit/sandbox'
 *
 * declare const check: SignatureCheck
 * check.scope // { action: 'job_list', product: '-' }
 * ```
 */
export type SignatureCheck = {
  body: Readonly<Record<string, unknown>>
  scope: SignedScope
  payload: Readonly<Record<string, unknown>> | null
  session: SessionRecord | undefined
  now: number
  /**
   * Spends the request id in the session; `false` when it was spent already. Called
   * synchronously once the session and replay checks pass, before the signature is looked at,
   * so a refused signature spends its id too and no concurrent request with the same id gets
   * past the replay check. Without it, nothing is spent. An error answer instead of a boolean
   * refuses the request with it (the store's cap on spent ids).
   */
  spendRequest?: ((requestId: string) => boolean | ErrorReply) | undefined
}

/**
 * Result of {@link verifySignature}: the verified wallet, session and request id, and which
 * payload form and path spelling the client signed; or the exact error answer.
 *
 * @example
 * ```ts
 * import type { SignatureVerdict } from '@agentpmt-kit/sandbox'
 *
 * declare const verdict: SignatureVerdict
 * if (!verdict.ok) verdict.error.body.error_code
 * ```
 */
export type SignatureVerdict =
  | {
      ok: true
      wallet: Hex
      sessionNonce: string
      requestId: string
      payloadForm: 'raw' | 'ascii' | 'none'
      signedPath?: string | undefined
    }
  | { ok: false; error: ErrorReply }

/** Recovers the signer of an EIP-191 message, as `@agentpmt-kit/signer-viem` does. */
/**
 * Recovers the address that signed a message; `recoverMessageSigner` of
 * `@agentpmt-kit/signer-viem` by default, replaceable in tests.
 *
 * @example
 * ```ts
 * import type { RecoverSigner } from '@agentpmt-kit/sandbox'
 *
 * const recover: RecoverSigner = () => '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
 * ```
 */
export type RecoverSigner = (input: { message: string; signature: Hex }) => Promise<string> | string

const signaturePattern = /^0x[0-9a-fA-F]{130}$/
const maxFieldLength = 256

/**
 * Checks a signed request cheapest check first, in the order of PROTOCOL section 5: envelope
 * fields (400), session nonce exists for this wallet (401 `..._NONCE_INVALID`) and is live (401
 * `..._NONCE_EXPIRED`), request id unused in the session (409 `..._REQUEST_REPLAY`), signature
 * well formed (401 `..._MALFORMED`); only then the payload is hashed (400 when it cannot be), and
 * finally the signature must recover to `wallet_address` over the expected message
 * with either payload hash form and, for tool invokes, any accepted path spelling (401
 * `..._WALLET_MISMATCH` with the expected message and hashes). A request id already spent is a
 * replay whatever its signature. The id is spent through `check.spendRequest`, when given, as
 * soon as the replay check passes (PROTOCOL section 5: a retry needs a fresh id, "the old one is
 * spent"); without it the function changes nothing.
 *
 * @example
 * ```ts
 * import { verifySignature } from '@agentpmt-kit/sandbox'
 *
 * declare const body: Record<string, unknown>
 * const verdict = await verifySignature({
 *   body,
 *   scope: { action: 'job_status', product: 'job_share_x' },
 *   payload: {},
 *   session: undefined,
 *   now: Date.now(),
 * })
 * verdict.ok // false: EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID
 * ```
 */
export async function verifySignature(
  check: SignatureCheck,
  recover: RecoverSigner = recoverMessageSigner,
): Promise<SignatureVerdict> {
  const { body, session, now } = check
  const envelopeProblem = checkEnvelope(body)
  if (envelopeProblem) return fail(invalid(envelopeProblem.field, envelopeProblem.reason))
  const wallet = (body.wallet_address as string).toLowerCase() as Hex
  const sessionNonce = body.session_nonce as string
  const requestId = body.request_id as string
  const signature = body.signature as string

  if (session === undefined || session.wallet !== wallet)
    return fail(errorReply('EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'))
  if (now >= session.expiresAt) return fail(errorReply('EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'))
  // Everything up to the spend is synchronous: no other request runs between the check and it.
  if (session.spentRequests.has(requestId))
    return fail(errorReply('EXTERNAL_SIGNATURE_REQUEST_REPLAY'))
  const spent = check.spendRequest?.(requestId) ?? true
  if (spent === false) return fail(errorReply('EXTERNAL_SIGNATURE_REQUEST_REPLAY'))
  if (spent !== true) return fail(spent)
  if (!signaturePattern.test(signature)) return fail(errorReply('EXTERNAL_SIGNATURE_MALFORMED'))
  // Only now the work that grows with the request: hashing the payload, then recovery.
  const hashes = payloadHashes(check.payload)
  if (!hashes.ok) return fail(hashes.error)

  const paths =
    'path' in check.scope
      ? [
          ...new Set([
            ...acceptedPathCandidates(check.scope.path),
            ...(check.scope.registeredPath
              ? acceptedPathCandidates(check.scope.registeredPath)
              : []),
          ]),
        ]
      : [undefined]
  const message = (hash: string | null, path: string | undefined): string => {
    const scope: Scope =
      'action' in check.scope
        ? { action: check.scope.action, product: check.scope.product }
        : { method: check.scope.method, path: path! }
    return buildMessage({
      wallet,
      session: sessionNonce,
      request: requestId,
      scope,
      ...(hash === null ? { payload: null } : { payloadHash: hash }),
    })
  }

  let recoveredForExpected: string | undefined
  for (const path of paths)
    for (const [form, hash] of hashes.forms) {
      const text = message(hash, path)
      let recovered: string
      try {
        recovered = (await recover({ message: text, signature: signature as Hex })).toLowerCase()
      } catch (error) {
        if (error instanceof BaseError) return fail(errorReply('EXTERNAL_SIGNATURE_MALFORMED'))
        throw error
      }
      recoveredForExpected ??= recovered
      if (recovered === wallet)
        return { ok: true, wallet, sessionNonce, requestId, payloadForm: form, signedPath: path }
    }

  const expectedHash = hashes.forms[0]?.[1] ?? null
  const details: Record<string, unknown> = {
    expected_message: message(expectedHash, paths[0]),
    expected_payload_hash: expectedHash ?? '',
    accepted_payload_hashes: hashes.forms.map(([, hash]) => hash ?? ''),
    expected_wallet: wallet,
    recovered_wallet: recoveredForExpected,
    recovered_wallet_for_expected_message: recoveredForExpected,
    payload_canonical_top_level_keys: check.payload ? Object.keys(check.payload).sort() : [],
  }
  if ('path' in check.scope) details.accepted_path_candidates = [...paths]
  return fail(errorReply('EXTERNAL_SIGNATURE_WALLET_MISMATCH', { details }))
}

/**
 * Whether `verifySignature` would refuse the request before hashing its payload: bad envelope,
 * unknown or expired session, spent request id, malformed signature. Changes nothing; used to
 * answer such requests without queueing them behind the expensive ones.
 */
export function failsBeforeHashing(check: SignatureCheck): boolean {
  const { body, session } = check
  return (
    checkEnvelope(body) !== undefined ||
    session === undefined ||
    session.wallet !== (body.wallet_address as string).toLowerCase() ||
    check.now >= session.expiresAt ||
    session.spentRequests.has(body.request_id as string) ||
    !signaturePattern.test(body.signature as string)
  )
}

function checkEnvelope(
  body: Readonly<Record<string, unknown>>,
): { field: string; reason: string } | undefined {
  const wallet = body.wallet_address
  if (!isAddress(wallet))
    return { field: 'wallet_address', reason: 'must be 0x followed by 40 hexadecimal characters' }
  for (const field of ['session_nonce', 'request_id'] as const) {
    const value = body[field]
    if (typeof value !== 'string' || value === '' || value.length > maxFieldLength)
      return { field, reason: `must be a non-empty string of at most ${maxFieldLength} characters` }
    if (/[\r\n]/.test(value)) return { field, reason: 'must not contain a line break' }
    if (!value.isWellFormed())
      return { field, reason: 'must not contain a lone surrogate (it cannot be UTF-8 encoded)' }
  }
  if (typeof body.signature !== 'string')
    return { field: 'signature', reason: 'must be a 0x-prefixed hex string' }
  return undefined
}

function payloadHashes(
  payload: Readonly<Record<string, unknown>> | null,
):
  | { ok: true; forms: ReadonlyArray<readonly ['raw' | 'ascii' | 'none', string | null]> }
  | { ok: false; error: ErrorReply } {
  if (payload === null) return { ok: true, forms: [['none', null]] }
  try {
    const text = canonicalize(payload)
    const raw = sha256Hex(text)
    // The ASCII form differs only where the raw one holds a character above U+007E.
    if (!/[^\x00-\x7e]/.test(text)) return { ok: true, forms: [['raw', raw]] }
    return {
      ok: true,
      forms: [
        ['raw', raw],
        ['ascii', sha256Hex(toAscii(text))],
      ],
    }
  } catch (error) {
    if (error instanceof BaseError)
      return { ok: false, error: invalid('payload', error.shortMessage) }
    throw error
  }
}

function invalid(field: string, reason: string): ErrorReply {
  return errorReply('EXTERNAL_REQUEST_INVALID', {
    detail: `${field} ${reason}.`,
    details: { field },
  })
}

function fail(error: ErrorReply): SignatureVerdict {
  return { ok: false, error }
}
