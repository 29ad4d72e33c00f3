import { type FieldRule, fieldProblem } from '@agentpmt-kit/message-builder'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { SandboxClock } from '../clock.js'
import { type ErrorReply, errorReply } from '../errorBody.js'
import type { SandboxStore } from '../store.js'
import type { SandboxTool } from '../tools.js'
import {
  failsBeforeHashing,
  type RecoverSigner,
  type SignatureCheck,
  type SignatureVerdict,
  type SignedScope,
  verifySignature,
} from '../verifySignature.js'
import type { AdmissionGate, AdmissionTicket } from './admission.js'
import { readJsonObject } from './readJson.js'

/** What the route handlers share. */
export type Sandbox = {
  store: SandboxStore
  clock: SandboxClock
  tools: readonly SandboxTool[]
  /** The header the workflow endpoints read the token from; `X-Job-Workflow-Token` when absent. */
  workflowTokenHeader?: string | undefined
  maxBodyBytes: number
  /** Deepest nesting of a JSON body; 32 by default. */
  maxJsonDepth?: number | undefined
  /** Load shedding before signature checks; none when absent. */
  gate?: AdmissionGate | undefined
  /** How signers are recovered: on a worker pool, or signer-viem's on the event loop (absent). */
  recover?: RecoverSigner | undefined
}

// The gate's place of each signed request admitted, from its arrival to its answer.
const tickets = new WeakMap<Request, AdmissionTicket>()

/**
 * Admits a signed request to the signature checks as it arrives, before its body is read: its
 * place (given back by `release` once it is answered), or the 503 to answer at once. Without a
 * gate every request is admitted.
 */
export function admit(c: Context, sandbox: Sandbox): AdmissionTicket | ErrorReply | undefined {
  const admitted = sandbox.gate?.admit()
  if (admitted && 'turn' in admitted) tickets.set(c.req.raw, admitted)
  return admitted
}

/** The place `admit` gave this request, if any. */
export function ticketOf(c: Context): AdmissionTicket | undefined {
  return tickets.get(c.req.raw)
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
  return readJsonObject(c.req.raw, sandbox.maxBodyBytes, allowEmpty, sandbox.maxJsonDepth)
}

/**
 * A path segment (job or workflow id) as the route received it, or undefined when message-builder's
 * rule for it refuses it (empty, `-` for a job, `.` or `..`, a control character such as a decoded
 * `%0A`, a lone surrogate, over 256 characters): such an id names nothing, and could not be put
 * on a signed message's line.
 */
export function pathId(
  c: Context,
  name: string,
  rule: FieldRule = 'pathSegment',
): string | undefined {
  const value = c.req.param(name)
  return fieldProblem(rule, value) === undefined ? value : undefined
}

/** The 404 of an id that names nothing. */
export function noSuch(what: string): ErrorReply {
  return errorReply('EXTERNAL_NOT_FOUND', {
    detail: `No ${what} has this id (ids are 1 to 256 characters, without control characters; a job id is not "-", "." or "..").`,
  })
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
 * is a replay whatever its signature. With the place `admit` gave the request, the expensive
 * checks wait for its turn at the gate.
 */
export async function authorize(
  sandbox: Sandbox,
  body: Record<string, unknown>,
  scope: SignedScope,
  payload: Readonly<Record<string, unknown>> | null,
  ticket?: AdmissionTicket | undefined,
): Promise<{ ok: true; wallet: string } | { ok: false; error: ErrorReply }> {
  const nonce = body.session_nonce
  const check: SignatureCheck = {
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
  }
  // A request refused by the cheap checks never waits in the queue: a flood of made-up nonces or
  // spent ids costs the others nothing.
  const verify = async () => verdictOf(await verifySignature(check, sandbox.recover))
  if (!ticket || failsBeforeHashing(check)) return verify()
  await ticket.turn()
  try {
    // The session may have changed while waiting: read it again.
    if (typeof nonce === 'string') check.session = sandbox.store.session(nonce)
    check.now = sandbox.clock.now()
    return await verify()
  } finally {
    ticket.release()
  }
}

function verdictOf(
  verdict: SignatureVerdict,
): { ok: true; wallet: string } | { ok: false; error: ErrorReply } {
  return verdict.ok ? { ok: true, wallet: verdict.wallet } : verdict
}
