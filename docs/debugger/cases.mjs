// Signed requests for the debugger's test (docs/site.test.mjs): one good request, one signed over
// the ASCII form, and one broken request of each kind the diagnosis names. Each is built with the
// built packages (canonical-json, message-builder) and signed with viem, the way a client with
// that mistake would have signed it; `expect` is what the page must say.
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages')
const built = (name) => import(pathToFileURL(join(packagesDir, name, 'dist', 'index.js')).href)

// Public test keys (Hardhat accounts #1 and #2).
const agentKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const otherKey = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'

/** The cases, each `{ name, input, expect }`; `expect` is `{ valid, form?, recovered?, mistake? }`. */
export async function debuggerCases() {
  const { canonicalHash, canonicalize } = await built('canonical-json')
  const { buildMessage, payloadOf } = await built('message-builder')
  const viemAccounts = createRequire(join(packagesDir, 'signer-viem', 'package.json'))
  const { privateKeyToAccount } = await import(
    pathToFileURL(viemAccounts.resolve('viem/accounts')).href
  )
  const agent = privateKeyToAccount(agentKey)
  const other = privateKeyToAccount(otherKey)
  const wallet = agent.address.toLowerCase()
  const envelope = {
    wallet_address: agent.address,
    session_nonce: 'nonce-live',
    request_id: 'req-7',
  }
  const signing = { wallet, session: 'nonce-live', request: 'req-7' }
  // Keys not in sorted order, so that a hash of JSON.stringify differs from the canonical one.
  const completion = {
    reservation_id: 'res_1',
    proof_text: 'Zoë wrote the digest',
    social_posts: [],
  }
  const completeScope = { action: 'job_complete', product: 'job_1' }
  const completePath = '/api/external/jobs/job_1/complete'
  const toolPath = '/api/external/tools/acme/actions/run/invoke'
  const parameters = { query: 'weather', limit: 3 }

  /** A request to `endpoint` whose signature is `account`'s over `message`. */
  const request = async (
    name,
    { endpoint, body, message, account = agent, giveMessage = false, expect },
  ) => {
    const signature = await account.signMessage({ message })
    return {
      name,
      input: {
        endpoint,
        method: 'POST',
        body: JSON.stringify({ ...body, signature }),
        refusal: '',
        message: giveMessage ? message : '',
      },
      expect,
    }
  }
  const completeBody = { ...envelope, ...completion }
  const completeMessage = (overrides = {}) =>
    buildMessage({ ...signing, scope: completeScope, payload: completion, ...overrides })

  return [
    await request('a good request', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage(),
      expect: { valid: true, form: 'raw', recovered: wallet },
    }),
    await request('a request hashed in the ASCII form (accepted)', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage({
        payload: undefined,
        payloadHash: canonicalHash(completion, { ascii: true }),
      }),
      expect: { valid: true, form: 'ascii', recovered: wallet },
    }),
    await request('signed by another wallet', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage(),
      account: other,
      expect: { valid: false, recovered: other.address.toLowerCase(), mistake: 'wrong-key' },
    }),
    await request('the envelope hashed with the payload', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage({ payload: undefined, payloadHash: canonicalHash(completeBody) }),
      expect: { valid: false, mistake: 'envelope-fields-hashed' },
    }),
    await request('keys not sorted', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage({
        payload: undefined,
        payloadHash: await sha256(JSON.stringify(payloadOf(completeBody))),
      }),
      expect: { valid: false, mistake: 'unsorted-keys' },
    }),
    await request('pretty-printed JSON hashed', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage({
        payload: undefined,
        payloadHash: await sha256(JSON.stringify(JSON.parse(canonicalize(completion)), null, 2)),
      }),
      expect: { valid: false, mistake: 'whitespace-in-json' },
    }),
    await request('a newline after the payload line', {
      endpoint: completePath,
      body: completeBody,
      message: `${completeMessage()}\n`,
      expect: { valid: false, mistake: 'trailing-newline' },
    }),
    await request('the wallet line in checksum case', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage().replace(wallet, agent.address),
      expect: { valid: false, mistake: 'wallet-not-lowercase' },
    }),
    await request('a tool invoke whose body was hashed instead of its parameters', {
      endpoint: toolPath,
      body: { ...envelope, parameters },
      message: buildMessage({
        ...signing,
        scope: { method: 'POST', path: '/external/tools/acme/actions/run/invoke' },
        payload: { parameters },
      }),
      expect: { valid: false, mistake: 'whole-body-hashed' },
    }),
    await request('a tool invoke signed for another path', {
      endpoint: toolPath,
      body: { ...envelope, parameters },
      message: buildMessage({
        ...signing,
        scope: { method: 'POST', path: '/external/tools/acme/actions/other/invoke' },
        payload: parameters,
      }),
      giveMessage: true,
      expect: { valid: false, mistake: 'path-not-accepted' },
    }),
    await request('signed with a stale session nonce', {
      endpoint: completePath,
      body: completeBody,
      message: completeMessage({ session: 'nonce-expired' }),
      giveMessage: true,
      expect: { valid: false, mistake: 'stale-session' },
    }),
  ]
}

async function sha256(text) {
  const { sha256Hex } = await built('canonical-json')
  return sha256Hex(text)
}
