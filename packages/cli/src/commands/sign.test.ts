import { createHash } from 'node:crypto'
import { Wallet } from 'ethers'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, isOneLineError, runCli } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

// A random key per run, so that no output can contain it by chance.
const wallet = Wallet.createRandom()
const key = wallet.privateKey
const address = wallet.address.toLowerCase()
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const message = [
  'agentpmt-external',
  `wallet:${address}`,
  'session:nonce-1',
  'request:req-1',
  'action:job_status',
  'product:job_1',
  `payload:${sha256('{}')}`,
].join('\n')

describe('agentpmt sign', () => {
  test('signs with EIP-191 exactly as ethers does, key from the environment only', async () => {
    const result = await runCli(['sign'], { stdin: message, env: { AGENTPMT_PRIVATE_KEY: key } })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`${await wallet.signMessage(message)}\n`)
    expect(result.stdout + result.stderr).not.toContain(key.slice(2))
  })

  test('--json carries the signature and the address', async () => {
    const result = await runCli(['sign', '--json'], {
      stdin: message,
      env: { AGENTPMT_PRIVATE_KEY: key.slice(2) },
    })
    const document = JSON.parse(result.stdout)
    expect(document).toEqual({ signature: await wallet.signMessage(message), address, message })
  })

  test('without AGENTPMT_PRIVATE_KEY: one-line error', async () => {
    const result = await runCli(['sign'], { stdin: message })
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toMatch(/AGENTPMT_PRIVATE_KEY is not set/)
  })

  test('a malformed key is refused without being echoed', async () => {
    const bad = `${key.slice(0, 60)}zz`
    const result = await runCli(['sign'], { stdin: message, env: { AGENTPMT_PRIVATE_KEY: bad } })
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).not.toContain(bad.slice(2, 40))
  })

  test('refuses a message for another wallet, and text that is not a message', async () => {
    const other = message.replace(address, '0x0000000000000000000000000000000000000001')
    const wrongWallet = await runCli(['sign'], { stdin: other, env: { AGENTPMT_PRIVATE_KEY: key } })
    expect(wrongWallet.code).toBe(2)
    expect(wrongWallet.stderr).toMatch(/is for wallet 0x0{39}1/)
    const notMessage = await runCli(['sign'], {
      stdin: 'hello',
      env: { AGENTPMT_PRIVATE_KEY: key },
    })
    expect(notMessage.code).toBe(1)
    expect(isOneLineError(notMessage.stderr)).toBe(true)
  })

  test('there is no option that takes a key', async () => {
    const result = await runCli(['sign', '--private-key', key], { stdin: message })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      "error: unknown option '--private-key'. Run agentpmt sign --help to list the options.\n",
    )
  })
})

describe('agentpmt verify', () => {
  test('valid against the wallet line; exit 0', async () => {
    const signature = await wallet.signMessage(message)
    const result = await runCli(['verify', '--signature', signature], { stdin: message })
    expect(result).toMatchObject({ code: 0, stdout: `valid: signed by ${address}\n` })
  })

  test('another signer: exit 1 and --json says why', async () => {
    const signature = await Wallet.createRandom().signMessage(message)
    const result = await runCli(['verify', '--signature', signature, '--json'], { stdin: message })
    expect(result.code).toBe(1)
    const document = JSON.parse(result.stdout)
    expect(document.valid).toBe(false)
    expect(document.expected).toBe(address)
    expect(document.recovered).not.toBe(address)
  })

  test('a malformed signature is a one-line error', async () => {
    const result = await runCli(['verify', '--signature', '0x1234'], { stdin: message })
    expect(result.code).toBe(2)
    expect(isOneLineError(result.stderr)).toBe(true)
  })

  test('an --address that is no address is an input error, not "invalid"', async () => {
    const result = await runCli(
      ['verify', '--signature', `0x${'11'.repeat(65)}`, '--address', 'notanaddress'],
      { stdin: message },
    )
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(isOneLineError(result.stderr)).toBe(true)
    expect(result.stderr).toContain('--address must be a wallet address')
  })
})
