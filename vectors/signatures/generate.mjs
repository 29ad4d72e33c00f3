#!/usr/bin/env node
// Generates vectors/signatures/*.json. Expected addresses, digests and signatures are computed
// here with @noble/curves (secp256k1, RFC 6979) and @noble/hashes (keccak-256) directly, then
// checked to agree byte for byte with bare viem and bare ethers; none come from the toolkit's
// signer packages. Run from the repository root: `node vectors/signatures/generate.mjs`
// (`--check` compares with the files on disk instead of writing them).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { getAddress, verifyMessage, Wallet } from 'ethers'
import { recoverMessageAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

const here = dirname(fileURLToPath(import.meta.url))
const messageVectorsPath = join(here, '..', 'message', 'cases.json')
const curveOrder = secp256k1.Point.Fn.ORDER

// --- keys -------------------------------------------------------------------------------------

/** The first Hardhat/Anvil accounts of "test test test ... junk": public, never hold funds. */
const anvilKeys = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
]

/** Reproducible generated keys: keccak-256 of a label, plus the smallest and largest scalars. */
const generatedKeys = [
  [
    'generated-1',
    `0x${bytesToHex(keccak_256(utf8ToBytes('agentpmt-kit signature vector key 1')))}`,
  ],
  [
    'generated-2',
    `0x${bytesToHex(keccak_256(utf8ToBytes('agentpmt-kit signature vector key 2')))}`,
  ],
  ['scalar-one', `0x${1n.toString(16).padStart(64, '0')}`],
  ['scalar-n-minus-one', `0x${(curveOrder - 1n).toString(16).padStart(64, '0')}`],
]

const keys = [...anvilKeys.map((key, index) => [`anvil-${index}`, key]), ...generatedKeys]

// --- messages ---------------------------------------------------------------------------------

const wallet0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const emptyHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'

/** Messages in the protocol format (PROTOCOL.md section 2) and the edge cases of section 3. */
const builtinMessages = [
  [
    'job-reserve',
    [
      'agentpmt-external',
      `wallet:${wallet0}`,
      'session:sess_7f3a9c',
      'request:2b0f4c1e-7d7e-4f3a-9a52-0c8f2f1b9d11',
      'action:job_reserve',
      'product:job_123',
      `payload:${emptyHash}`,
    ].join('\n'),
  ],
  [
    'balance',
    [
      'agentpmt-external',
      `wallet:${wallet0}`,
      'session:sess_7f3a9c',
      'request:req-balance-1',
      'action:balance',
      'product:-',
      'payload:',
    ].join('\n'),
  ],
  [
    'tool-invoke',
    [
      'agentpmt-external',
      `wallet:${wallet0}`,
      'session:sess_7f3a9c',
      'request:req-invoke-1',
      'method:POST',
      'path:/external/tools/acme/actions/run/invoke',
      `payload:${emptyHash}`,
    ].join('\n'),
  ],
  ['empty', ''],
  ['multi-line-trailing-newline', 'line one\nline two\n'],
  ['crlf', 'line one\r\nline two'],
  ['non-ascii', 'café — ünïcödé — 日本語'],
  ['astral', 'emoji 🦊 and 𝄞'],
  ['hex-looking', '0x1234'],
  ['hex-looking-32-bytes', `0x${emptyHash}`],
  ['prefix-looking', '\u0019Ethereum Signed Message:\n3abc'],
  ['nul-and-controls', 'a\u0000b\u007fc'],
  ['long-1000-bytes', 'x'.repeat(1000)],
]

/** Messages of the message vectors (another folder), when that file exists. */
function messageVectorMessages() {
  if (!existsSync(messageVectorsPath)) return []
  const found = []
  const walk = (value, path) => {
    if (typeof value === 'string') {
      if (value.startsWith('agentpmt-external\n')) found.push([path, value])
    } else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`)
    } else if (value && typeof value === 'object') {
      const id =
        typeof value.id === 'string'
          ? value.id
          : typeof value.name === 'string'
            ? value.name
            : undefined
      for (const [key, item] of Object.entries(value))
        walk(item, id ? (key === 'message' ? id : `${id}.${key}`) : `${path}.${key}`)
    }
  }
  walk(JSON.parse(readFileSync(messageVectorsPath, 'utf8')), '$')
  const unique = new Map()
  for (const [path, message] of found) if (!unique.has(message)) unique.set(message, path)
  return [...unique].map(([message, path]) => [`message:${path}`, message])
}

// --- independent computation --------------------------------------------------------------------

const hex = (bytes) => `0x${bytesToHex(bytes)}`

function addressOf(privateKey) {
  const publicKey = secp256k1.getPublicKey(hexToBytes(privateKey.slice(2)), false)
  return hex(keccak_256(publicKey.subarray(1)).subarray(12))
}

function personalSignDigest(message) {
  const bytes = utf8ToBytes(message)
  const prefix = utf8ToBytes(`\u0019Ethereum Signed Message:\n${bytes.length}`)
  const prefixed = new Uint8Array(prefix.length + bytes.length)
  prefixed.set(prefix)
  prefixed.set(bytes, prefix.length)
  return keccak_256(prefixed)
}

function nobleSign(privateKey, message) {
  const recovered = secp256k1.sign(personalSignDigest(message), hexToBytes(privateKey.slice(2)), {
    prehash: false,
    lowS: true,
    format: 'recovered',
  })
  // noble's recovered form is recovery || r || s; Ethereum's is r || s || (27 + recovery).
  const [recovery] = recovered
  return `${hex(recovered.subarray(1))}${(27 + recovery).toString(16)}`
}

function fail(message) {
  throw new Error(`generate.mjs: ${message}`)
}

// --- signing vectors ------------------------------------------------------------------------------

const messages = [
  ...builtinMessages.map(([id, message]) => [id, 'builtin', message]),
  ...messageVectorMessages().map(([id, message]) => [id, 'vectors/message/cases.json', message]),
]

const signingCases = []
for (const [keyId, privateKey] of keys) {
  const address = addressOf(privateKey)
  const viemAccount = privateKeyToAccount(privateKey)
  const ethersWallet = new Wallet(privateKey)
  if (viemAccount.address.toLowerCase() !== address) fail(`viem address differs for ${keyId}`)
  if (ethersWallet.address.toLowerCase() !== address) fail(`ethers address differs for ${keyId}`)
  // Every message with the first key; a few with every key, to vary the keys.
  const chosen =
    keyId === 'anvil-0'
      ? messages
      : messages.filter(([id]) => ['job-reserve', 'empty', 'hex-looking', 'astral'].includes(id))
  for (const [messageId, messageSource, message] of chosen) {
    const signature = nobleSign(privateKey, message)
    const viemSignature = await viemAccount.signMessage({ message })
    const ethersSignature = ethersWallet.signMessageSync(message)
    if (viemSignature !== signature) fail(`viem disagrees on ${keyId}/${messageId}`)
    if (ethersSignature !== signature) fail(`ethers disagrees on ${keyId}/${messageId}`)
    signingCases.push({
      id: `${keyId}/${messageId}`,
      key: keyId,
      privateKey,
      address,
      messageSource,
      message,
      messageHex: hex(utf8ToBytes(message)),
      digest: hex(personalSignDigest(message)),
      signature,
    })
  }
}

// --- verification vectors ---------------------------------------------------------------------------

const word = (value) => value.toString(16).padStart(64, '0')

/** Variants of one valid signature; `recovered` is what ecrecover gives, `null` when refused. */
function verifyCasesFor(base) {
  const { address, message, signature } = base
  const r = BigInt(signature.slice(0, 66))
  const s = BigInt(`0x${signature.slice(66, 130)}`)
  const v = Number.parseInt(signature.slice(130), 16)
  const yParity = v - 27
  const highS = `0x${word(r)}${word(curveOrder - s)}${(27 + (1 - yParity)).toString(16)}`
  const compact = `0x${word(r)}${word(s | (BigInt(yParity) << 255n))}`
  const otherKeyAddress = addressOf(anvilKeys[1])
  const valid = (id, fields, note) => ({
    id,
    address,
    message,
    signature,
    valid: true,
    recovered: address,
    note,
    ...fields,
  })
  const invalid = (id, fields, reason) => ({
    id,
    address,
    message,
    signature,
    valid: false,
    recovered: null,
    reason,
    ...fields,
  })
  return [
    valid('v-27-28', {}, 'as signed'),
    valid(
      'v-0-1',
      { signature: `${signature.slice(0, 130)}0${yParity}` },
      'v written as the recovery bit 0/1',
    ),
    valid(
      'upper-case-hex',
      { signature: `0x${signature.slice(2).toUpperCase()}` },
      'hex digits are case-insensitive',
    ),
    valid(
      'checksummed-address',
      { address: getAddress(address) },
      'address compared ignoring case',
    ),
    valid(
      'upper-case-address',
      { address: `0x${address.slice(2).toUpperCase()}` },
      'address compared ignoring case',
    ),
    invalid(
      'high-s',
      { signature: highS },
      'high s (EIP-2): ecrecover would accept it, both signers refuse it',
    ),
    invalid(
      'compact-64-bytes',
      { signature: compact },
      '64-byte compact (EIP-2098): refused, the server expects 65 bytes',
    ),
    invalid('v-29', { signature: `${signature.slice(0, 130)}1d` }, 'v must be 0, 1, 27 or 28'),
    invalid(
      'v-37-eip155',
      { signature: `${signature.slice(0, 130)}25` },
      'EIP-155 v is for transactions',
    ),
    invalid(
      'r-zero',
      { signature: `0x${word(0n)}${word(s)}${signature.slice(130)}` },
      'r out of range',
    ),
    invalid(
      's-zero',
      { signature: `0x${word(r)}${word(0n)}${signature.slice(130)}` },
      's out of range',
    ),
    invalid(
      'r-equals-n',
      { signature: `0x${word(curveOrder)}${word(s)}${signature.slice(130)}` },
      'r out of range',
    ),
    invalid('truncated', { signature: signature.slice(0, 128) }, 'not 65 bytes'),
    invalid('one-byte-long', { signature: `${signature}00` }, 'not 65 bytes'),
    invalid('no-0x-prefix', { signature: signature.slice(2) }, 'not 0x-prefixed'),
    invalid('not-hex', { signature: `0x${'zz'.repeat(65)}` }, 'not hex'),
    invalid('empty-signature', { signature: '' }, 'empty'),
    invalid('empty-hex', { signature: '0x' }, 'zero bytes'),
    {
      id: 'other-address',
      address: otherKeyAddress,
      message,
      signature,
      valid: false,
      recovered: address,
      reason: 'signed by another key: recovers to the signer, not to this address',
    },
    {
      id: 'malformed-address',
      address: '0x1234',
      message,
      signature,
      valid: false,
      recovered: address,
      reason: 'not a 20-byte address: verify says false, recover still gives the signer',
    },
  ].map((item) => ({ ...item, id: `${base.id}/${item.id}` }))
}

const verifyCases = [
  ...verifyCasesFor(signingCases.find((item) => item.id === 'anvil-0/job-reserve')),
  ...verifyCasesFor(signingCases.find((item) => item.id === 'anvil-2/hex-looking')),
]

// A changed message: the signature is valid, for another text; ecrecover gives some other address.
{
  const base = signingCases.find((item) => item.id === 'anvil-0/job-reserve')
  const changed = base.message.replace('product:job_123', 'product:job_124')
  const recovered = nobleRecover({ message: changed, signature: base.signature })
  if (recovered === base.address) fail('changed message recovers to the signer')
  verifyCases.push({
    id: `${base.id}/changed-message`,
    address: base.address,
    message: changed,
    signature: base.signature,
    valid: false,
    recovered,
    reason: 'the message differs from the signed one by one character',
  })
}

// Every recovered address agrees with a direct noble recovery, and with bare viem and bare ethers
// where they accept the signature. ethers refuses high s on its own; viem accepts it (which is
// why both signer packages check s themselves).
for (const item of verifyCases) {
  const addressMatches =
    /^0x[0-9a-fA-F]{40}$/.test(item.address) && item.address.toLowerCase() === item.recovered
  if (item.valid !== addressMatches) fail(`valid and recovered disagree on ${item.id}`)
  if (item.recovered === null) continue
  if (item.recovered !== nobleRecover(item)) fail(`noble recovery disagrees on ${item.id}`)
  const viemRecovered = (
    await recoverMessageAddress({ message: item.message, signature: item.signature })
  ).toLowerCase()
  const ethersRecovered = verifyMessage(item.message, item.signature).toLowerCase()
  if (viemRecovered !== item.recovered) fail(`viem recovery disagrees on ${item.id}`)
  if (ethersRecovered !== item.recovered) fail(`ethers recovery disagrees on ${item.id}`)
}
{
  const highS = verifyCases.find((item) => item.id.endsWith('/high-s'))
  const viemRecovered = (
    await recoverMessageAddress({ message: highS.message, signature: highS.signature })
  ).toLowerCase()
  if (viemRecovered !== highS.address) fail('viem no longer accepts high s: update the note')
  let ethersRefused = false
  try {
    verifyMessage(highS.message, highS.signature)
  } catch {
    ethersRefused = true
  }
  if (!ethersRefused) fail('ethers no longer refuses high s: update the note')
}

function nobleRecover(item) {
  const sig = item.signature.toLowerCase()
  const v = Number.parseInt(sig.slice(130), 16)
  const yParity = v >= 27 ? v - 27 : v
  const point = secp256k1.Signature.fromHex(
    `0${yParity}${sig.slice(2, 130)}`,
    'recovered',
  ).recoverPublicKey(personalSignDigest(item.message))
  return hex(keccak_256(point.toBytes(false).subarray(1)).subarray(12))
}

// --- output ---------------------------------------------------------------------------------------------

const header = {
  $schema: '../schema/signatures.schema.json',
  generator: 'vectors/signatures/generate.mjs',
  sources:
    'addresses, digests and signatures computed with @noble/curves secp256k1 (RFC 6979, low s) and @noble/hashes keccak-256; signatures checked equal to viem privateKeyToAccount().signMessage and ethers Wallet.signMessageSync',
  prefix: '\u0019Ethereum Signed Message:\n',
}

const files = {
  'personal-sign.json': {
    ...header,
    description:
      'EIP-191 personal_sign of the UTF-8 text of each message: 0x + r + s + v, v = 27/28, low s. Test keys only.',
    count: signingCases.length,
    cases: signingCases,
  },
  'verify.json': {
    ...header,
    description:
      'Verification and recovery: valid = what verifyMessageSignature must answer; recovered = what recoverMessageSigner must return (lower-case), null when it must throw InvalidSignatureError.',
    count: verifyCases.length,
    cases: verifyCases,
  },
}

const check = process.argv.includes('--check')
let stale = false
for (const [name, content] of Object.entries(files)) {
  const text = `${JSON.stringify(content, null, 2)}\n`
  const path = join(here, name)
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      console.error(`${name} is out of date: run node vectors/signatures/generate.mjs`)
      stale = true
    }
  } else writeFileSync(path, text)
}
if (stale) process.exit(1)
console.log(
  `${check ? 'checked' : 'wrote'} ${signingCases.length} signing and ${verifyCases.length} verification cases`,
)
