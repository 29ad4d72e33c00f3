import { canonicalHash, sha256Hex } from '@agentpmt-kit/canonical-json'
import { describe, expect, test } from 'vitest'
import { payloadHashHypotheses } from './payloadHashHypotheses.js'

const envelope = {
  wallet_address: '0x00000000000000000000000000000000000000aa',
  session_nonce: 'nonce-1',
  request_id: 'req-1',
  signature: `0x${'ab'.repeat(65)}`,
}

describe('payloadHashHypotheses', () => {
  test('the canonical forms first, without mistakes; then each mistake once', () => {
    const body = { ...envelope, proof_text: 'café & co' }
    const hypotheses = payloadHashHypotheses(body)
    expect(hypotheses.slice(0, 2)).toEqual([
      { hash: canonicalHash({ proof_text: 'café & co' }), mistakes: [] },
      { hash: canonicalHash({ proof_text: 'café & co' }, { ascii: true }), mistakes: [] },
    ])
    const withEnvelope = canonicalHash({
      ...envelope,
      signature: undefined,
      proof_text: 'café & co',
    })
    expect(hypotheses.find((item) => item.hash === withEnvelope)?.mistakes).toEqual([
      'envelope-fields-hashed',
    ])
    // Hashed by hand as Go's json.Marshal writes it.
    const go = sha256Hex('{"proof_text":"café \\u0026 co"}')
    expect(hypotheses.find((item) => item.hash === go)?.mistakes).toEqual(['go-html-escaping'])
    const hashes = hypotheses.map((item) => item.hash)
    expect(new Set(hashes).size).toBe(hashes.length)
  })

  test('nothing to hypothesise from something that is not an object', () => {
    expect(payloadHashHypotheses('{}')).toEqual([])
    expect(payloadHashHypotheses(null)).toEqual([])
  })
})
