import * as crypto from 'node:crypto'

/**
 * SHA-256 of the UTF-8 bytes of a text, lowercase hex, with `node:crypto`: the `node` target of
 * the `#sha256` import. Native hashing takes about a sixth of the time of `@noble/hashes` on a
 * small payload, which matters when it runs before every signature. Lone surrogates become
 * U+FFFD, as `TextEncoder` (the default target) encodes them.
 */
export function sha256Hex(text: string): string {
  // One-shot `crypto.hash` (Node.js 20.12 and later) skips the Hash object: about 40 % faster
  // on a payload of a few hundred bytes. Read from the namespace, since older 20.x lack it.
  if (typeof crypto.hash === 'function') return crypto.hash('sha256', text, 'hex')
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex')
}
