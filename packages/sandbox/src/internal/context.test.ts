import { buildMessage, type Scope } from '@agentpmt-kit/message-builder'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createClock } from '../clock.js'
import { createRandom } from '../random.js'
import { defaultJobs } from '../seedJobs.js'
import { createStore } from '../store.js'
import { defaultTools } from '../tools.js'
import { authorize, type Sandbox } from './context.js'

// Hardhat's well-known test key #1; never a real wallet.
const account = privateKeyToAccount(
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
)
// sha256('{}'): reserve and status hash the empty object.
const emptyHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'

function sandbox(): Sandbox {
  const clock = createClock()
  return {
    clock,
    tools: defaultTools,
    maxBodyBytes: 65_536,
    store: createStore({
      jobs: defaultJobs,
      clock,
      random: createRandom(1),
      sessionTtlMs: 900_000,
      reservationTtlMs: 1_800_000,
      verificationDelayMs: 300,
      verificationOutcome: 'verified',
      startingCredits: 100,
    }),
  }
}

function openSession(running: Sandbox): string {
  const session = running.store.createSession(account.address)
  if (!session.ok) throw new Error(session.error.body.detail)
  return session.value.session_nonce
}

async function signed(session: string, requestId: string, scope: Scope) {
  const message = buildMessage({
    wallet: account.address,
    session,
    request: requestId,
    scope,
    payloadHash: emptyHash,
  })
  return {
    wallet_address: account.address,
    session_nonce: session,
    request_id: requestId,
    signature: await account.signMessage({ message }),
  }
}

describe('authorize', () => {
  const scope = { action: 'job_status', product: 'job_share_x' }

  test('a request sent while another with the same id is verified is a replay, whatever its signature', async () => {
    const running = sandbox()
    const session = openSession(running)
    const good = await signed(session, 'req-1', scope)
    const bad = await signed(session, 'req-1', { action: 'job_reserve', product: 'job_share_x' })
    // Both start before either has recovered its signer: the first spends the id at once.
    const [first, second] = await Promise.all([
      authorize(running, good, scope, {}),
      authorize(running, bad, scope, {}),
    ])
    expect(first).toEqual({ ok: true, wallet: account.address.toLowerCase() })
    expect(second.ok ? 'ok' : second.error.body.error_code).toBe(
      'EXTERNAL_SIGNATURE_REQUEST_REPLAY',
    )
  })

  test('a refused signature spends its id in the store', async () => {
    const running = sandbox()
    const session = openSession(running)
    const bad = await signed(session, 'req-2', { action: 'job_reserve', product: 'job_share_x' })
    const refused = await authorize(running, bad, scope, {})
    expect(refused.ok ? 'ok' : refused.error.body.error_code).toBe(
      'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    )
    expect(running.store.session(session)?.spentRequests.has('req-2')).toBe(true)
    const fixed = await signed(session, 'req-2', scope)
    const again = await authorize(running, fixed, scope, {})
    expect(again.ok ? 'ok' : again.error.body.error_code).toBe('EXTERNAL_SIGNATURE_REQUEST_REPLAY')
  })
})
