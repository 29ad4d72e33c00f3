import { InvalidArgumentError } from 'commander'
import { describe, expect, test } from 'vitest'
import { parseFaultRule } from './faultSpec.js'

describe('parseFaultRule', () => {
  test('each key', () => {
    expect(parseFaultRule('route=reserve+complete,status=503,retry-after=2,times=1')).toEqual({
      route: ['reserve', 'complete'],
      status: 503,
      retryAfterSeconds: 2,
      times: 1,
    })
    expect(parseFaultRule('route=complete,drop,rate=0.5,latency=20')).toEqual({
      route: ['complete'],
      drop: true,
      rate: 0.5,
      latencyMs: 20,
    })
  })

  test.each([
    ['nonce-invalid', 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'],
    ['nonce-expired', 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'],
    ['replay', 'EXTERNAL_SIGNATURE_REQUEST_REPLAY'],
  ])('refuse=%s answers %s', (name, code) => {
    expect(parseFaultRule(`route=status,refuse=${name}`)).toEqual({
      route: ['status'],
      refuse: code,
    })
  })

  test.each([
    'refuse=wallet-mismatch',
    'route=nowhere,status=500',
    'status=418',
    'route=list',
    'rate=2,drop',
    'teapot=1',
  ])('%s is refused with a message naming what is allowed', (spec) => {
    expect(() => parseFaultRule(spec)).toThrow(InvalidArgumentError)
  })
})
