import { describe, expect, test } from 'vitest'
import { canonicalHash, sha256Hex } from './canonicalHash.js'
import { InvalidNumberError, LoneSurrogateError, MaxDepthExceededError } from './canonicalize.js'

// Every expected hash below was computed independently with Python 3.11, e.g. for `{}`:
//   python3 -c 'import hashlib,json;print(hashlib.sha256(json.dumps({},sort_keys=True,
//     separators=(",",":"),ensure_ascii=True).encode()).hexdigest())'
//   44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
// and the raw form with ensure_ascii=False in place of True.
describe('canonicalHash', () => {
  test('the hash of {}, which body-less job endpoints sign', () => {
    expect(canonicalHash({})).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    )
    expect(canonicalHash({}, { ascii: true })).toBe(
      '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    )
    expect(canonicalHash({ dropped: undefined })).toBe(canonicalHash({}))
  })

  test('the job_list payload, whatever the key order', () => {
    const expected = '4879729d88891f52ee7d8b54ea2f618e20a75b3817e55e0dbeb84c2bca8f3d93'
    expect(canonicalHash({ limit: 50, skip: 0 })).toBe(expected)
    expect(canonicalHash({ skip: 0, limit: 50 })).toBe(expected)
  })

  test('the two forms hash differently once a character is not ASCII', () => {
    const value = { text: 'café 😀' }
    expect(canonicalHash(value)).toBe(
      '8e6dfeebaff40a2eb11e226ddd6a117ce2efe383a1c3bcec3b652bacbc62eb3f',
    )
    expect(canonicalHash(value, { ascii: true })).toBe(
      'f74ab2d3d42d1835c4a48b34c3f2430f236720909a51dc0aa8881b5f0573b012',
    )
  })

  test('is 64 lowercase hex characters', () => {
    expect(canonicalHash({ posts: [1, 'two', { three: null }] })).toMatch(/^[0-9a-f]{64}$/)
  })

  test('passes maxDepth on, and refuses what canonicalize refuses', () => {
    expect(() => canonicalHash([[1]], { maxDepth: 1 })).toThrow(MaxDepthExceededError)
    expect(() => canonicalHash({ reward: Number.NaN })).toThrow(InvalidNumberError)
    expect(() => canonicalHash({ text: '\ud800' }, { ascii: true })).toThrow(LoneSurrogateError)
  })
})

describe('sha256Hex', () => {
  test('hashes the UTF-8 bytes of the text', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(sha256Hex('{"text":"café 😀"}')).toBe(
      '8e6dfeebaff40a2eb11e226ddd6a117ce2efe383a1c3bcec3b652bacbc62eb3f',
    )
  })
})
