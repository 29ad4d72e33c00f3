import { describe, expect, test, vi } from 'vitest'
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

describe('the node:crypto target without the one-shot crypto.hash (Node.js 20 before 20.12)', () => {
  test('hashes the UTF-8 bytes with a Hash object, lowercase hex', async () => {
    vi.resetModules()
    vi.doMock('node:crypto', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:crypto')>()),
      hash: undefined,
    }))
    try {
      const { sha256Hex } = await import('./sha256.node.js')
      // Python 3.11: hashlib.sha256(text.encode()).hexdigest(), U+FFFD for the lone surrogate.
      expect(sha256Hex('abc')).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      )
      expect(sha256Hex('café')).toBe(
        '850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e',
      )
      expect(sha256Hex('😀 東京')).toBe(
        '780f8f74bf8fdb60e72a6f6f4f19a2ad7b214b4636155e30249027a6fdd80526',
      )
      expect(sha256Hex('a\ud800b')).toBe(
        '05087813392efc16fe8ff448920c6328e53af865df39419436659d9ffda90f7b',
      )
    } finally {
      vi.doUnmock('node:crypto')
      vi.resetModules()
    }
  })
})
