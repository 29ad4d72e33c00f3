import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import { buildMessage, type MessageSigner, type Scope } from '@agentpmt-kit/message-builder'

/** What one signed request of probe or the server check is made of. */
export type SignParameters = {
  signer: MessageSigner
  scope: Scope
  /** `null`: an empty `payload:` line and no payload fields (the credit balance). */
  payload: Readonly<Record<string, unknown>> | null
  /** Hash the payload's ASCII canonical form (Python's `json.dumps`) instead of the raw one. */
  ascii?: boolean | undefined
  /** A tool invoke: the payload travels as `parameters`. */
  parameters?: boolean | undefined
}

/** A signed request: its body, and the signature and message in it. */
export type Signed = { body: string; signature: string; message: string }

/**
 * Builds, signs and serialises one signed request as the client does: a fresh request id, the
 * payload's canonical form hashed into the message, the envelope added to the same payload.
 */
export async function signRequest(
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
  return { body, signature, message }
}
