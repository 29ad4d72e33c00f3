import { BaseError, canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  type ApiEndpoint,
  type ApiError,
  diagnoseSignature,
  type Recovery,
  RequestReplayError,
  recoveryFor,
  type SignatureDiagnosis,
} from '@agentpmt-kit/error-recovery'
import { buildMessage, type Envelope, type jobActions } from '@agentpmt-kit/message-builder'
import { exchangeWith, repeatDelay } from './exchange.js'
import type { ClientContext } from './internal/context.js'
import type { Session, SessionManager } from './session.js'

/** One signed call of a job endpoint. */
export type SignedCall = {
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
   * `repeatable` (list, status, and reserve: asking again for a job this wallet holds gives its
   * reservation back): any failure that may be temporary is retried, a replay answer to a
   * re-sent request included, each time with a fresh request id. `once` (complete):
   * only what surely did not take effect is signed again (a new session after a nonce error, a
   * fresh request id after a replay answer to a first attempt); anything else is thrown for the
   * caller to decide from the server's record.
   */
  kind: 'repeatable' | 'once'
}

/** Why a signed call may be repeated with a fresh request id, once each. */
type Recovered = { newSession: boolean; newRequest: boolean; retryLater: number }

const endpoints: Record<SignedCall['action'], ApiEndpoint> = {
  job_list: 'list',
  job_reserve: 'reserve',
  job_complete: 'complete',
  job_status: 'status',
}

/**
 * Signs and sends one call of a job endpoint, and recovers as the protocol says:
 * - the payload is canonicalised once; that text is hashed into the message and that same value
 *   is sent as the body, itself in canonical form;
 * - every signing uses a fresh request id; a lost connection or a timeout re-sends the identical
 *   bytes (same request id), so the server can tell a re-send from a new request;
 * - `new-session`: new session, fresh request id, sign again, once; `fix-signature`: throws
 *   {@link SignatureRejectedError} with a diagnosis;
 * - for a `repeatable` call, `new-request` and `retry-later` (and a replay answer to a re-sent
 *   request, whose first sending reached the server) sign again with a fresh request id as the
 *   retry policy allows, honouring `Retry-After`; a `once` call throws them instead.
 *
 * The message the server may send back (`details.expected_message`) is only compared with, never
 * signed. Returns the answer's body and when the attempt that got it was sent (local monotonic
 * time, what `expires_in` counts from).
 */
export async function signedRequest(
  context: ClientContext,
  sessions: SessionManager,
  call: SignedCall,
): Promise<{ body: unknown; sentAt: number }> {
  const payloadText = canonicalize(call.payload)
  const payload = JSON.parse(payloadText) as Record<string, unknown>
  const payloadHash = sha256Hex(payloadText)
  const recovered: Recovered = { newSession: false, newRequest: false, retryLater: 0 }
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
    const result = await exchangeWith(context, {
      path: call.path,
      body,
      requestId,
      signal: call.signal,
      endpoint: endpoints[call.action],
      // Answers are recovered from below, each signed again with a fresh request id.
      retryOn: [],
    })
    if (result.ok) return { body: result.body, sentAt: result.sentAt }
    const { error } = result

    // A replay answer to a re-send: the first sending reached the server, with an unknown fate.
    const resentReplay = error instanceof RequestReplayError && result.attempts > 1
    const recovery = resentReplay ? 'retry-later' : recoveryFor(error)
    // A repeatable call may meet a 500 as often as the policy allows, not just once.
    const repeatedFailure =
      call.kind === 'repeatable' &&
      recovery === 'new-request' &&
      !(error instanceof RequestReplayError) &&
      recovered.newRequest
    if (recovery === 'fix-signature')
      throw new SignatureRejectedError({
        diagnosis: diagnoseSignature({ message, payload, error }),
        cause: error,
      })
    const safeAgain =
      recovery === 'new-session' ||
      (recovery === 'new-request' && error instanceof RequestReplayError)
    if (call.kind === 'once' && !safeAgain) throw error
    if (repeatedFailure) recovered.retryLater += 1
    const delayMs = repeatedFailure
      ? repeatDelay(context.retry, recovered.retryLater, error)
      : nextDelay(context, recovered, recovery, error)
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
  }
}

/** The wait before signing again, or `undefined` when this error is not to be retried. */
function nextDelay(
  context: ClientContext,
  recovered: Recovered,
  recovery: Recovery,
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
