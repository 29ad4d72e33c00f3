import { describe, expect, test } from 'vitest'
import { sha256Hex as nobleSha256Hex } from './sha256.js'
import { sha256Hex as nodeSha256Hex } from './sha256.node.js'

// Expected hashes computed with Python 3.11: hashlib.sha256(text.encode()).hexdigest().
describe('#sha256: the node:crypto and @noble/hashes targets', () => {
  test('the FIPS 180-2 "abc" vector and the empty text', () => {
    for (const sha256Hex of [nodeSha256Hex, nobleSha256Hex]) {
      expect(sha256Hex('abc')).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      )
      expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    }
  })

  test('agree on non-ASCII, astral and lone-surrogate text (U+FFFD for a lone surrogate)', () => {
    for (const text of ['café', '😀 東京', 'a\ud800b', '\udc00', 'x'.repeat(100_000)])
      expect(nodeSha256Hex(text)).toBe(nobleSha256Hex(text))
    expect(nodeSha256Hex('a\ud800b')).toBe(nodeSha256Hex('a\ufffdb'))
  })
})
