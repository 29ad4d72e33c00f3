import type { envelopeFields } from '@agentpmt-kit/message-builder'
import { candidateObjects, hashHypotheses, isPlainObject } from './internal/hypotheses.js'
import type { SignatureMistake } from './signatureDiagnosis.js'

/**
 * One payload hash a client may have signed for a request, and the mistakes that produce it
 * (none for the canonical hashes).
 *
 * @example
 * ```ts
 * import type { PayloadHashHypothesis } from '@agentpmt-kit/error-recovery'
 *
 * const hypothesis: PayloadHashHypothesis = { hash: '44136fa3…', mistakes: [] }
 * ```
 */
export type PayloadHashHypothesis = {
  hash: string
  mistakes: readonly SignatureMistake[]
}

/**
 * The payload hashes a client may have put on the `payload:` line of a request it sent: both
 * canonical forms of the body minus its envelope (or of a tool invoke's `parameters`), then the
 * same object under each mistake {@link diagnoseSignature} knows, simplest first, each hash once.
 * Rebuild the message with each and recover the signature to learn which one was signed, when
 * only the request is known (a recorder, a proxy, a server's log).
 *
 * @example
 * ```ts
 * import { payloadHashHypotheses } from '@agentpmt-kit/error-recovery'
 *
 * declare const sentBody: Record<string, unknown>
 * for (const { hash, mistakes } of payloadHashHypotheses(sentBody)) console.log(hash, mistakes)
 * ```
 */
export function payloadHashHypotheses(sent: unknown): readonly PayloadHashHypothesis[] {
  if (!isPlainObject(sent)) return []
  const text = (name: (typeof envelopeFields)[number]) =>
    typeof sent[name] === 'string' ? (sent[name] as string) : undefined
  const sources = {
    payload: undefined,
    sent,
    lines: {
      wallet: text('wallet_address')?.toLowerCase(),
      session: text('session_nonce'),
      request: text('request_id'),
    },
  }
  return hashHypotheses(candidateObjects(sources), sources)
}
