import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * SHA-256 of the UTF-8 bytes of a text, lowercase hex, in plain JavaScript: the `default` target
 * of the `#sha256` import, for browsers and any runtime without `node:crypto`.
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)))
}
