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

/**
 * Verifies the signature of a signed request and spends its request id; the verified wallet, or
 * the error answer. The id is spent as soon as the nonce is found live for this wallet and the id
 * unused, before the signature is looked at: a request refused for its signature has spent its id
 * too, as the protocol says ("the old one is spent"), and a concurrent request with the same id
 * is a replay whatever its signature.
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
    ...(typeof nonce === 'string'
      ? {
          session: sandbox.store.session(nonce),
          spendRequest: (requestId: string) => sandbox.store.spendRequest(nonce, requestId),
        }
      : { session: undefined }),
    now: sandbox.clock.now(),
  })
  return verdict.ok ? { ok: true, wallet: verdict.wallet } : verdict
}
