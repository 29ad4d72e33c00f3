import { BaseError, canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  type ApiError,
  diagnoseSignature,
  RequestReplayError,
  recoveryFor,
  type SignatureDiagnosis,
} from '@agentpmt-kit/error-recovery'
import { buildMessage, type Envelope, type jobActions } from '@agentpmt-kit/message-builder'
import type { ClientContext } from './internal/context.js'
import { send } from './internal/http.js'
import type { Session, SessionManager } from './session.js'

/** One signed call of a job endpoint. */
export type SignedCall<settled> = {
  action: (typeof jobActions)[keyof typeof jobActions]
  /** The job id, or `undefined` for `product:-`. */
  product?: string | undefined
  path: string
  /** The body minus the envelope: hashed into the message and sent, from one serialisation. */
  payload: Readonly<Record<string, unknown>>
  signal?: AbortSignal | undefined
  /** Runs before each signing (the first and every retry with a fresh request id); may throw. */
  beforeSigning?: (() => void) | undefined
  /**
   * For a call that must not take effect twice (`complete`): asked before the request is signed
   * again with a fresh request id while an earlier attempt may have reached the server. Returns
   * the outcome when the server already has it, `undefined` when it is safe to send again.
   */
  settle?: ((signal: AbortSignal | undefined) => Promise<settled | undefined>) | undefined
}

/** Why a signed call may be repeated with a fresh request id, once each. */
type Recovered = { newSession: boolean; newRequest: boolean; retryLater: number }

/**
 * Signs and sends one call of a job endpoint, and recovers as the protocol says:
 * - the payload is canonicalised once; that text is hashed into the message and that same value
 *   is sent as the body, itself in canonical form;
 * - every signing uses a fresh request id; a lost connection or a timeout re-sends the identical
 *   bytes (same request id), so the server can tell a re-send from a new request;
 * - `new-session`: new session, fresh request id, sign again, once; `new-request`: fresh request
 *   id, once; `retry-later`: the retry policy, honouring `Retry-After`; `fix-signature`: throws
 *   {@link SignatureRejectedError} with a diagnosis; anything else is thrown as it is;
 * - a replay answer to a re-sent request means the first one reached the server: a call with
 *   `settle` (complete) asks the server what happened instead of sending again.
 *
 * The message the server may send back (`details.expected_message`) is only compared with, never
 * signed.
 */
export async function signedRequest<settled = never>(
  context: ClientContext,
  sessions: SessionManager,
  call: SignedCall<settled>,
): Promise<unknown> {
  const payloadText = canonicalize(call.payload)
  const payload = JSON.parse(payloadText) as Record<string, unknown>
  const payloadHash = sha256Hex(payloadText)
  const recovered: Recovered = { newSession: false, newRequest: false, retryLater: 0 }
  // True once an attempt may have reached the server without us learning its outcome.
  let uncertain = false
  let session: Session = await sessions.current(call.signal)

  for (;;) {
    call.beforeSigning?.()
    const requestId = context.requestId()
    const message = buildMessage({
      wallet: context.signer.address,
      session: session.session_nonce,
      request: requestId,
      scope: { action: call.action, product: call.product },
      payloadHash,
    })
    const envelope: Envelope = {
      wallet_address: context.signer.address.toLowerCase(),
      session_nonce: session.session_nonce,
      request_id: requestId,
      signature: await context.signer.signMessage(message),
    }
    const body = canonicalize({ ...payload, ...envelope })
    const result = await send(context, {
      path: call.path,
      body,
      requestId,
      signal: call.signal,
      resend: true,
    })
    if (result.ok) return result.body
    const { error } = result
    if (result.attempts > 1 || error.status >= 500) uncertain = true

    // Ask the server what became of an attempt whose outcome we did not learn.
    const settle = async (settleCall: (signal?: AbortSignal) => Promise<settled | undefined>) => {
      context.log({
        type: 'recovery',
        path: call.path,
        requestId,
        recovery: 'check-status',
        errorCode: error.errorCode ?? null,
      })
      return settleCall(call.signal)
    }

    if (error instanceof RequestReplayError && result.attempts > 1 && call.settle) {
      const outcome = await settle(call.settle)
      if (outcome !== undefined) return outcome
      throw new CompletionNotRecordedError({ path: call.path, cause: error })
    }

    const recovery = recoveryFor(error)
    if (recovery === 'fix-signature')
      throw new SignatureRejectedError({
        diagnosis: diagnoseSignature({ message, payload, error }),
        cause: error,
      })
    const delayMs = nextDelay(context, recovered, recovery, error)
    if (delayMs === undefined) throw error
    if (recovery === 'retry-later')
      context.log({
        type: 'retry',
        path: call.path,
        requestId,
        reason: 'retry-later',
        attempt: recovered.retryLater,
        delayMs,
        error: error.name,
      })
    else
      context.log({
        type: 'recovery',
        path: call.path,
        requestId,
        recovery: recovery === 'new-session' ? 'new-session' : 'new-request',
        errorCode: error.errorCode ?? null,
      })
    if (delayMs > 0) await context.retry.sleep(delayMs, call.signal)
    if (recovery === 'new-session') session = await sessions.renew(session, call.signal)
    if (uncertain && call.settle) {
      const outcome = await settle(call.settle)
      if (outcome !== undefined) return outcome
      uncertain = false
    }
  }
}

/** The wait before signing again, or `undefined` when this error is not to be retried. */
function nextDelay(
  context: ClientContext,
  recovered: Recovered,
  recovery: ReturnType<typeof recoveryFor>,
  error: ApiError,
): number | undefined {
  switch (recovery) {
    case 'new-session':
      if (recovered.newSession) return undefined
      recovered.newSession = true
      return 0
    case 'new-request':
      if (recovered.newRequest) return undefined
      recovered.newRequest = true
      return context.retry.delayFor(1, error)
    case 'retry-later':
      recovered.retryLater += 1
      return context.retry.delayFor(recovered.retryLater, error)
    default:
      return undefined
  }
}

/**
 * The server refused the signature (`EXTERNAL_SIGNATURE_MALFORMED` or
 * `EXTERNAL_SIGNATURE_WALLET_MISMATCH`): signing again the same way cannot work. `diagnosis`
 * says which line of the message differs from what the server checked, and why; the server's
 * error is the `cause`.
 *
 * @example
 * ```ts
 * import { SignatureRejectedError } from '@agentpmt-kit/jobs-client'
 *
 * try {
 *   // await client.listJobs()
 * } catch (error) {
 *   if (error instanceof SignatureRejectedError) console.log(error.diagnosis.summary)
 * }
 * ```
 */
export class SignatureRejectedError extends BaseError {
  override name = 'JobsClient.SignatureRejectedError'
  /** What differs between the signed message and the server's, from `diagnoseSignature`. */
  readonly diagnosis: SignatureDiagnosis
  constructor({ diagnosis, cause }: { diagnosis: SignatureDiagnosis; cause: ApiError }) {
    super('The server refused the signature; signing again the same way cannot work.', {
      cause,
      details: diagnosis.summary,
      metaMessages: diagnosis.problems.map(
        (problem) =>
          `- ${problem.line === undefined ? '' : `line ${problem.line} `}${problem.kind}: ${problem.explanation}`,
      ),
      docsPath: '/documents/Run_the_job_loop.html#errors',
    })
    this.diagnosis = diagnosis
  }
}

/**
 * A completion whose first sending reached the server (a re-send of it was answered as a
 * replay), yet the job's status shows no submission for the reservation. The client does not
 * submit again: read `client.status(jobId)` and decide.
 *
 * @example
 * ```ts
 * import { CompletionNotRecordedError } from '@agentpmt-kit/jobs-client'
 *
 * declare const error: unknown
 * if (error instanceof CompletionNotRecordedError) console.log('check the job status')
 * ```
 */
export class CompletionNotRecordedError extends BaseError {
  override name = 'JobsClient.CompletionNotRecordedError'
  constructor({ path, cause }: { path: string; cause: ApiError }) {
    super('The completion reached the server, but no submission is recorded for it.', {
      cause,
      details: `A re-send to ${path} was answered as a replay of the first attempt, and the job status shows no submission for this reservation. It was not submitted again.`,
      docsPath: '/documents/Run_the_job_loop.html#errors',
    })
  }
}
