import { sha256Hex as hashText } from '#sha256'
import { canonicalize, InvalidOptionError } from './canonicalize.js'

/**
 * The payload hash of the signed message: SHA-256 of the UTF-8 bytes of the canonical form,
 * lowercase hex (64 characters). Either form gives a hash the server accepts.
 *
 * @example
 * ```ts
 * import { canonicalHash } from '@agentpmt-kit/canonical-json'
 *
 * canonicalHash({})
 * // '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 * ```
 */
export function canonicalHash(value: unknown, options: canonicalize.Options = {}): string {
  return sha256Hex(canonicalize(value, options))
}

/**
 * SHA-256 of the UTF-8 bytes of a text, lowercase hex: the payload hash of text that is already
 * canonical, or of any other candidate form when diagnosing a mismatch.
 *
 * @example
 * ```ts
 * import { sha256Hex } from '@agentpmt-kit/canonical-json'
 *
 * sha256Hex('{"limit":50,"skip":0}').length // 64
 * ```
 */
export function sha256Hex(text: string): string {
  if (typeof text !== 'string')
    throw new InvalidOptionError({ option: 'text', reason: `must be a string, got ${typeof text}` })
  // `#sha256` (package.json `imports`): node:crypto under Node.js, @noble/hashes elsewhere.
  return hashText(text)
}
