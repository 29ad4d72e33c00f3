import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { type RunningSandbox, startSandbox } from '@agentpmt-kit/sandbox'
import { generatePrivateKey } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { isOneLineError, tempDir } from '../../test/harness.js'
import { run } from '../index.js'

// In process (no build): the CLI's wiring of the key into the jobs client is what is tested.
const key = generatePrivateKey()
const bare = key.slice(2)
const dir = tempDir()
const env = { AGENTPMT_PRIVATE_KEY: key, AGENTPMT_STATE_DIR: join(dir, 'state') }
/** Every request path the sandbox saw. */
const paths: string[] = []
let sandbox: RunningSandbox
beforeAll(async () => {
  sandbox = await startSandbox({
    verificationDelayMs: 0,
    onRequest: (entry) => paths.push(entry.path),
  })
})
afterAll(async () => {
  await sandbox?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function jobs(args: readonly string[]) {
  let stdout = ''
  let stderr = ''
  const code = await run(['node', 'agentpmt', 'jobs', ...args, '--base-url', sandbox.url], {
    io: {
      stdin: new PassThrough(),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env,
    },
  })
  return { code, stdout, stderr }
}

const holdsKey = (text: string): boolean => text.toLowerCase().includes(bare.toLowerCase())

describe('agentpmt jobs never sends the private key', () => {
  test.each([
    ['reserve', 'as set', key],
    ['reserve', 'without 0x, upper case', bare.toUpperCase()],
    ['status', 'with 0X', `0X${bare}`],
  ])('jobs %s <the key %s>: refused, nothing sent, the key not printed', async (command, _, id) => {
    const result = await jobs([command, id])
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/URL path holds a secret/)
    expect(holdsKey(result.stdout + result.stderr)).toBe(false)
    expect(paths.filter(holdsKey)).toEqual([])
  })

  test('jobs run <the key>: refused, nothing sent, the key not printed', async () => {
    const result = await jobs(['run', bare, '--post-url', 'https://x.com/agent/status/1'])
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/URL path holds a secret/)
    expect(holdsKey(result.stdout + result.stderr)).toBe(false)
    expect(paths.filter(holdsKey)).toEqual([])
  })

  test('jobs complete with the key in a proof field: refused; a transaction hash is not', async () => {
    const saved = join(dir, 'reservation.json')
    expect((await jobs(['reserve', 'job_share_x', '--save', saved])).code).toBe(0)
    const { trackedUrl } = JSON.parse(readFileSync(saved, 'utf8')) as { trackedUrl: string }
    const proof = (proofText: string) => ({
      proof_text: proofText,
      social_posts: [
        {
          platform: 'x',
          post_url: 'https://x.com/agent/status/1',
          target_url_used: trackedUrl,
          message_text: `Paid agent jobs: ${trackedUrl}`,
          posted_at: new Date().toISOString(),
        },
      ],
    })
    const proofFile = join(dir, 'proof.json')
    writeFileSync(proofFile, JSON.stringify(proof(`Posted; my key is ${bare.toUpperCase()}`)))
    const refused = await jobs(['complete', '--reservation', saved, '--proof', proofFile])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/"proof_text" holds a secret/)
    expect(holdsKey(refused.stdout + refused.stderr)).toBe(false)
    expect(paths.filter((path) => path.endsWith('/complete'))).toEqual([])
    writeFileSync(proofFile, JSON.stringify(proof(`Posted; tx ${generatePrivateKey()}`)))
    const completed = await jobs(['complete', '--reservation', saved, '--proof', proofFile])
    expect(completed.stderr).toBe('')
    expect(completed.code).toBe(0)
    expect(paths.filter((path) => path.endsWith('/complete'))).toHaveLength(1)
  })
})
