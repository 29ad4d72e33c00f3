import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { buildMessage, type Scope } from '@agentpmt-kit/message-builder'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { type SessionRecord, type SignedScope, verifySignature } from './index.js'

// Hardhat's well-known test key #1; never a real wallet.
const account = privateKeyToAccount(
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
)
const wallet = account.address.toLowerCase()
const now = 1_000_000
const live: SessionRecord = { wallet, expiresAt: now + 1, spentRequests: new Set(['spent']) }

async function signedBody(
  scope: Scope,
  payload: Record<string, unknown> | null,
  request = 'req-1',
  ascii = false,
) {
  const message = buildMessage({
    wallet,
    session: 'nonce',
    request,
    scope,
    ...(payload === null ? { payload: null } : { payloadHash: canonicalHash(payload, { ascii }) }),
  })
  return {
    wallet_address: account.address,
    session_nonce: 'nonce',
    request_id: request,
    signature: await account.signMessage({ message }),
  }
}

const check = (
  body: Record<string, unknown>,
  scope: SignedScope,
  payload: Record<string, unknown> | null,
  session: SessionRecord | null = live,
) => verifySignature({ body, scope, payload, session: session ?? undefined, now })
const codeOf = (verdict: Awaited<ReturnType<typeof verifySignature>>) =>
  verdict.ok ? 'ok' : verdict.error.body.error_code

describe('verifySignature', () => {
  const scope = { action: 'job_status', product: 'job_1' }

  test('accepts a good signature and changes nothing', async () => {
    const body = await signedBody(scope, {})
    const verdict = await check(body, scope, {})
    expect(verdict).toEqual({
      ok: true,
      wallet,
      sessionNonce: 'nonce',
      requestId: 'req-1',
      payloadForm: 'raw',
      signedPath: undefined,
    })
    expect(live.spentRequests.has('req-1')).toBe(false)
  })

  test('a high-s signature is refused as malformed, though ecrecover would take it', async () => {
    const body = await signedBody(scope, {})
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
    const r = body.signature.slice(2, 66)
    const s = BigInt(`0x${body.signature.slice(66, 130)}`)
    const v = Number.parseInt(body.signature.slice(130), 16)
    const highS = `0x${r}${(n - s).toString(16).padStart(64, '0')}${(v === 27 ? 28 : 27).toString(16)}`
    expect(codeOf(await check(body, scope, {}))).toBe('ok')
    expect(codeOf(await check({ ...body, signature: highS }, scope, {}))).toBe(
      'EXTERNAL_SIGNATURE_MALFORMED',
    )
  })

  test('checks in order: envelope, nonce, expiry, replay, format, signature', async () => {
    const body = await signedBody(scope, {}, 'spent')
    expect(codeOf(await check({ ...body, wallet_address: 'nope' }, scope, {}))).toBe(
      'EXTERNAL_REQUEST_INVALID',
    )
    // An unknown nonce wins over a replayed id and a broken signature.
    expect(codeOf(await check({ ...body, signature: '0x' }, scope, {}, null))).toBe(
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
    expect(codeOf(await check(body, scope, {}, { ...live, wallet: `0x${'0'.repeat(40)}` }))).toBe(
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
    expect(
      codeOf(await check({ ...body, signature: '0x' }, scope, {}, { ...live, expiresAt: now })),
    ).toBe('EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED')
    expect(codeOf(await check({ ...body, signature: '0x' }, scope, {}))).toBe(
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
    const fresh = { ...body, request_id: 'fresh' }
    expect(codeOf(await check({ ...fresh, signature: '0x12' }, scope, {}))).toBe(
      'EXTERNAL_SIGNATURE_MALFORMED',
    )
    // 65 bytes whose r is not on the curve: well formed, but nothing can be recovered.
    expect(codeOf(await check({ ...fresh, signature: `0x${'00'.repeat(64)}1b` }, scope, {}))).toBe(
      'EXTERNAL_SIGNATURE_MALFORMED',
    )
    expect(codeOf(await check(fresh, scope, {}))).toBe('EXTERNAL_SIGNATURE_WALLET_MISMATCH')
  })

  test('the ASCII-escaped payload hash is accepted too', async () => {
    const payload = { proof_text: 'naïve ✓', reservation_id: 'r' }
    const complete = { action: 'job_complete', product: 'job_1' }
    const verdict = await check(
      await signedBody(complete, payload, 'req-2', true),
      complete,
      payload,
    )
    expect(verdict).toMatchObject({ ok: true, payloadForm: 'ascii' })
  })

  test('an empty payload line for an endpoint without a payload', async () => {
    const balance = { action: 'balance', product: '-' }
    expect(codeOf(await check(await signedBody(balance, null), balance, null))).toBe('ok')
    // Signing the hash of {} where the server expects an empty line is a mismatch.
    const mismatch = await check(await signedBody(balance, {}), balance, null)
    expect(mismatch.ok ? undefined : mismatch.error.body.details.expected_message).toMatch(
      /\npayload:$/,
    )
  })

  test('every accepted path spelling of a tool invoke verifies; another tool does not', async () => {
    const request = { method: 'POST', path: '/api/external/tools/Echo/actions/echo/invoke' }
    for (const path of [
      '/external/tools/echo/actions/echo/invoke',
      '/external/tools/Echo/actions/echo/invoke/',
      '/api/external/tools/Echo/actions/echo/invoke',
    ]) {
      const verdict = await check(await signedBody({ method: 'POST', path }, { q: 1 }), request, {
        q: 1,
      })
      expect(verdict, path).toMatchObject({ ok: true, signedPath: path })
    }
    const other = await signedBody(
      { method: 'POST', path: '/external/tools/echo/actions/other/invoke' },
      { q: 1 },
    )
    expect(codeOf(await check(other, request, { q: 1 }))).toBe('EXTERNAL_SIGNATURE_WALLET_MISMATCH')
  })

  test('a payload that cannot be canonicalized is a 400 naming the payload', async () => {
    const body = await signedBody(scope, {})
    const verdict = await check(body, scope, { text: '\ud800' })
    expect(verdict.ok ? undefined : verdict.error.body.details.field).toBe('payload')
  })
})
