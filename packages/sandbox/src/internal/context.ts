import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { SandboxClock } from '../clock.js'
import type { SandboxStore } from '../store.js'
import type { SandboxTool } from '../tools.js'
import { type SignedScope, verifySignature } from '../verifySignature.js'
import { type ErrorReply, errorReply } from './errorBody.js'
import { readJsonObject } from './readJson.js'

/** What the route handlers share. */
export type Sandbox = {
  store: SandboxStore
  clock: SandboxClock
  tools: readonly SandboxTool[]
  maxBodyBytes: number
}

/** Sends an error answer. */
export function sendError(c: Context, error: ErrorReply): Response {
  return c.json(error.body, error.status as ContentfulStatusCode, error.headers)
}

/** Reads the body as a JSON object, or the error answer. */
export function readBody(
  c: Context,
  sandbox: Sandbox,
  allowEmpty = false,
): ReturnType<typeof readJsonObject> {
  return readJsonObject(c.req.raw, sandbox.maxBodyBytes, allowEmpty)
}

/** A 400 naming the field that does not match the endpoint's schema. */
export function invalidField(field: string, reason: string): ErrorReply {
  return errorReply('EXTERNAL_REQUEST_INVALID', {
    detail: `${field} ${reason}.`,
    details: { field },
  })
}

/** The refusals that come after the session and replay checks (steps 5 and 6 of the guide). */
const signatureRefusals: ReadonlySet<string> = new Set([
  'EXTERNAL_SIGNATURE_MALFORMED',
  'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
])

/**
 * Verifies the signature of a signed request and spends its request id; the verified wallet, or
 * the error answer. As the protocol says ("the old one is spent"), the id is spent once the
 * session checks passed, also when the signature is then refused: a fixed request needs a fresh
 * id. A replay that loses the race between verification and spending is still a replay.
 */
export async function authorize(
  sandbox: Sandbox,
  body: Record<string, unknown>,
  scope: SignedScope,
  payload: Readonly<Record<string, unknown>> | null,
): Promise<{ ok: true; wallet: string } | { ok: false; error: ErrorReply }> {
  const nonce = body.session_nonce
  const verdict = await verifySignature({
    body,
    scope,
    payload,
    session: typeof nonce === 'string' ? sandbox.store.session(nonce) : undefined,
    now: sandbox.clock.now(),
  })
  if (!verdict.ok) {
    // Refused past the session and replay checks: the id is spent all the same.
    if (signatureRefusals.has(verdict.error.body.error_code) && typeof nonce === 'string')
      sandbox.store.spendRequest(nonce, String(body.request_id))
    return verdict
  }
  if (!sandbox.store.spendRequest(verdict.sessionNonce, verdict.requestId))
    return { ok: false, error: errorReply('EXTERNAL_SIGNATURE_REQUEST_REPLAY') }
  return { ok: true, wallet: verdict.wallet }
}
