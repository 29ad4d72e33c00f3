import { type SandboxRequestLog, startSandbox } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createJobsClient, type JobsClientOptions } from './createJobsClient.js'
import { findSecret, SecretInRequestError, secretPattern } from './secrets.js'
import { json, recordingFetch } from './test/fakes.js'
import { shareProof } from './test/shareProof.js'

const key = generatePrivateKey()
const bare = key.slice(2)
const signer = createViemSigner(privateKeyToAccount(key))

/** The forms of the key a person may paste: as set, without 0x, in upper case, both. */
const forms = [key, bare, bare.toUpperCase(), `0X${bare.toUpperCase()}`, `0x${bare.toUpperCase()}`]

describe('secretPattern', () => {
  test.each(forms)('finds the key in any of its forms: %s', (form) => {
    const pattern = secretPattern(key)!
    expect(`a/${form}/b`.search(pattern)).toBe(2)
    expect(`a/${form}/b`.replace(pattern, '<redacted>')).toBe('a/<redacted>/b')
  })

  test('matches nothing but the key: another 64-hex value, a part of the key', () => {
    const pattern = secretPattern(key)!
    expect(generatePrivateKey().search(pattern)).toBe(-1)
    expect(`0x${bare.slice(0, 63)}`.search(pattern)).toBe(-1)
  })

  test('a non-hex secret is matched literally, a short one not at all', () => {
    const pattern = secretPattern('(a.b)*x!')!
    expect('aXbx!'.search(pattern)).toBe(-1)
    expect('my (a.b)*x! here'.search(pattern)).toBe(3)
    expect(secretPattern('0x1234')).toBeUndefined()
  })
})

describe('findSecret', () => {
  const patterns = [secretPattern(key)!]
  test('names the first field holding the key, by its JSON path', () => {
    expect(findSecret({ a: 'x', b: [1, { c: `see ${bare}` }] }, patterns)).toBe('b[1].c')
    expect(findSecret({ a: bare, b: bare }, patterns)).toBe('a')
    expect(findSecret({ nested: { [key]: 1 } }, patterns)).toBe('nested.<key>')
    expect(findSecret({ [bare]: 1 }, patterns)).toBe('<key>')
    expect(findSecret(key, patterns)).toBe('')
    expect(findSecret({ a: generatePrivateKey(), b: [null, 1, true] }, patterns)).toBeUndefined()
  })
})

/** A client on a real sandbox, with every request the sandbox saw. */
async function onSandbox(options: Partial<JobsClientOptions> = {}) {
  const seen: SandboxRequestLog[] = []
  const sandbox = await startSandbox({
    verificationDelayMs: 0,
    onRequest: (entry) => seen.push(entry),
  })
  const client = createJobsClient({
    signer,
    baseUrl: sandbox.url,
    secrets: [key],
    retry: { baseDelayMs: 1 },
    ...options,
  })
  return { client, seen, close: () => sandbox.close() }
}

/** The refusal `promise` rejects with, checked to name `field` and never quote the key. */
async function refusal(promise: Promise<unknown>, field: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(SecretInRequestError)
  expect((error as SecretInRequestError).field).toBe(field)
  expect(JSON.stringify(error, Object.getOwnPropertyNames(error)).toLowerCase()).not.toContain(
    bare.toLowerCase(),
  )
}

describe.concurrent('a request holding the private key is refused before it is sent', () => {
  test.each(forms)('the key as a job id (%s): nothing reaches the server', async (form) => {
    const { client, seen, close } = await onSandbox()
    try {
      await refusal(client.reserve(form), 'path')
      await refusal(client.status(form), 'path')
      expect(seen.filter((entry) => entry.path.includes('/jobs/'))).toEqual([])
    } finally {
      await close()
    }
  })

  test('the key in a proof field: refused, and the reservation stays for a proof without it', async () => {
    const { client, seen, close } = await onSandbox()
    try {
      const reservation = await client.reserve('job_share_linkedin')
      const proof = shareProof(reservation)
      const post = proof.social_posts![0]!
      const leaking = {
        proof_text: proof.proof_text,
        social_posts: [{ ...post, message_text: `${post.message_text} ${bare.toUpperCase()}` }],
      }
      await refusal(client.complete(reservation, leaking), 'social_posts[0].message_text')
      expect(seen.filter((entry) => entry.path.endsWith('/complete'))).toEqual([])
      // Another 64-hex value (a transaction hash) is no secret.
      const txHash = generatePrivateKey()
      const done = await client.complete(reservation, { ...proof, proof_text: `tx ${txHash}` })
      expect(done.submission?.reservation_id).toBe(reservation.reservation_id)
      expect(done.adopted).toBe(false)
    } finally {
      await close()
    }
  })

  test('the key as a request id: refused', async () => {
    const { client, seen, close } = await onSandbox({ requestId: () => `req-${bare}` })
    try {
      await refusal(client.listJobs(), 'request_id')
      expect(seen.map((entry) => entry.path)).toEqual(['/api/external/auth/session'])
    } finally {
      await close()
    }
  })

  test('the key as a session nonce from the server: refused', async () => {
    const { fetch, calls } = recordingFetch(() =>
      json(200, { session_nonce: key, expires_in: 900 }),
    )
    const client = createJobsClient({ signer, fetch, secrets: [key], baseUrl: 'http://x.test' })
    await refusal(client.listJobs(), 'session_nonce')
    expect(calls.map((call) => call.path)).toEqual(['/api/external/auth/session'])
  })

  test('without secrets nothing is refused', async () => {
    const { client, seen, close } = await onSandbox({ secrets: [] })
    try {
      await expect(client.status(bare)).rejects.not.toBeInstanceOf(SecretInRequestError)
      expect(seen.some((entry) => entry.path.includes(bare))).toBe(true)
    } finally {
      await close()
    }
  })
})
