import { InvalidMessageFieldError } from './message.js'

/**
 * Fields of a signed request body that carry the signature itself and are never hashed.
 *
 * @example
 * ```ts
 * import { envelopeFields } from '@agentpmt-kit/message-builder'
 *
 * envelopeFields.includes('request_id') // true
 * ```
 */
export const envelopeFields: readonly [
  'wallet_address',
  'session_nonce',
  'request_id',
  'signature',
] = ['wallet_address', 'session_nonce', 'request_id', 'signature'] as const

/**
 * The envelope of a signed request body.
 *
 * @example
 * ```ts
 * import type { Envelope } from '@agentpmt-kit/message-builder'
 *
 * const envelope: Envelope = {
 *   wallet_address: '0x0000000000000000000000000000000000000001',
 *   session_nonce: 'nonce',
 *   request_id: 'req-1',
 *   signature: '0x00',
 * }
 * ```
 */
export type Envelope = {
  wallet_address: string
  session_nonce: string
  request_id: string
  signature: string
}

/**
 * The payload of a job request body: the body minus the envelope fields. This is the object whose
 * canonical form is hashed into the `payload:` line.
 *
 * @example
 * ```ts
 * import { payloadOf } from '@agentpmt-kit/message-builder'
 *
 * payloadOf({ wallet_address: '0xab', session_nonce: 'n', request_id: 'r', signature: '0x', limit: 50, skip: 0 })
 * // { limit: 50, skip: 0 }
 * ```
 */
export function payloadOf<const body extends Record<string, unknown>>(
  body: body,
): Omit<body, (typeof envelopeFields)[number]> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidMessageFieldError({
      field: 'body',
      reason: 'must be the JSON object of the request body',
    })
  // Built from entries, not by assignment: a JSON key "__proto__" must stay an own member.
  const payload = Object.fromEntries(
    Object.entries(body).filter(([key]) => !(envelopeFields as readonly string[]).includes(key)),
  )
  return payload as Omit<body, (typeof envelopeFields)[number]>
}
