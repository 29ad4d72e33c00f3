import { canonicalHash } from '@agentpmt-kit/canonical-json'
import { buildMessage, type Scope } from '@agentpmt-kit/message-builder'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
import { recoverMessageAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test, vi } from 'vitest'
import { toHighS } from '../test/client.js'
import {
  type RecoverSigner,
  type SessionRecord,
  type SignatureCheck,
  type SignatureVerdict,
  type SignedScope,
  verifySignature,
} from './index.js'

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

  test('with spendRequest, the id is spent before the signature is recovered, also when refused', async () => {
    const body = await signedBody(scope, {})
    const spent = new Set<string>()
    const spendRequest = vi.fn((id: string) => !spent.has(id) && spent.add(id).has(id))
    const spentAtRecovery: boolean[] = []
    const recover: RecoverSigner = (input) => {
      spentAtRecovery.push(spent.has('req-1'))
      return recoverMessageSigner(input)
    }
    const spending = (
      overrides: Partial<SignatureCheck>,
      request: Record<string, unknown> = body,
    ): Promise<SignatureVerdict> =>
      verifySignature(
        { body: request, scope, payload: {}, session: live, now, spendRequest, ...overrides },
        recover,
      )

    // Refused before the replay check: nothing is spent.
    expect(codeOf(await spending({}, { ...body, wallet_address: 'nope' }))).toBe(
      'EXTERNAL_REQUEST_INVALID',
    )
    expect(codeOf(await spending({ session: undefined }))).toBe(
      'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID',
    )
    expect(codeOf(await spending({ session: { ...live, expiresAt: now } }))).toBe(
      'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED',
    )
    expect(codeOf(await spending({}, { ...body, request_id: 'spent' }))).toBe(
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
    expect(spendRequest).not.toHaveBeenCalled()

    // The payload is hashed only once the cheap checks pass, so after the spend. (The routes
    // refuse a payload with no canonical form as they read the body, before any of this.)
    const spendAny = vi.fn(() => true)
    expect(codeOf(await spending({ payload: { text: '\ud800' }, spendRequest: spendAny }))).toBe(
      'EXTERNAL_REQUEST_INVALID',
    )
    expect(spendAny).toHaveBeenCalledTimes(1)

    // Signed for another action: refused, and the id was spent before the recovery.
    const wrongScope = { action: 'job_reserve', product: 'job_1' }
    expect(codeOf(await spending({ scope: wrongScope }))).toBe('EXTERNAL_SIGNATURE_WALLET_MISMATCH')
    expect(spentAtRecovery).toEqual([true])
    expect([...spent]).toEqual(['req-1'])
    // The same id, now with the right scope: a replay, and no recovery.
    expect(codeOf(await spending({}))).toBe('EXTERNAL_SIGNATURE_REQUEST_REPLAY')
    expect(spentAtRecovery).toEqual([true])
    expect(spendRequest).toHaveBeenCalledTimes(2)
  })

  test('with spendRequest, a second request with the same id is a replay while the first is verified', async () => {
    const good = await signedBody(scope, {}, 'req-same')
    const bad = await signedBody({ action: 'job_reserve', product: 'job_1' }, {}, 'req-same')
    const spent = new Set<string>()
    const spendRequest = (id: string) => !spent.has(id) && spent.add(id).has(id)
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const slowRecover: RecoverSigner = async (input) => {
      await held
      return recoverMessageSigner(input)
    }
    const first = verifySignature(
      { body: bad, scope, payload: {}, session: live, now, spendRequest },
      slowRecover,
    )
    const second = await verifySignature({
      body: good,
      scope,
      payload: {},
      session: live,
      now,
      spendRequest,
    })
    expect(codeOf(second)).toBe('EXTERNAL_SIGNATURE_REQUEST_REPLAY')
    release()
    expect(codeOf(await first)).toBe('EXTERNAL_SIGNATURE_WALLET_MISMATCH')
  })

  test('a high-s signature is refused as malformed, though ecrecover would take it', async () => {
    const body = await signedBody(scope, {})
    const highS = toHighS(body.signature)
    expect(codeOf(await check(body, scope, {}))).toBe('ok')
    // viem's recovery takes high s as ecrecover does: the twin is a valid signature by the wallet.
    const message = buildMessage({
      wallet,
      session: 'nonce',
      request: 'req-1',
      scope,
      payloadHash: canonicalHash({}),
    })
    expect((await recoverMessageAddress({ message, signature: highS })).toLowerCase()).toBe(wallet)
    // The toolkit's rules, which the sandbox applies on purpose, refuse it.
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
