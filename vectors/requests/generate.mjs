#!/usr/bin/env node
// Generates vectors/requests/cases.json: whole requests, end to end. Key, session nonce, request
// id, endpoint and body fields -> the payload that is hashed (both canonical forms), its SHA-256,
// the message, the EIP-191 signature and the exact JSON body sent. Every expected value is
// computed here with a small canonical writer of its own, @noble/hashes (SHA-256, keccak-256) and
// @noble/curves (secp256k1, RFC 6979) directly, and checked against Python's json and hashlib in
// one batch; no value comes from the toolkit's packages. Run from the repository root:
// `node vectors/requests/generate.mjs` (`--check` compares with the file on disk instead).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { Wallet } from 'ethers'

const here = dirname(fileURLToPath(import.meta.url))
const outputPath = join(here, 'cases.json')

// Public test keys (Hardhat/Anvil accounts of "test test ... junk"): never hold funds.
const keys = {
  'anvil-0': '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  'anvil-1': '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  'anvil-2': '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
}
const envelope = ['wallet_address', 'session_nonce', 'request_id', 'signature']

// --- independent computation ------------------------------------------------------------------

const hex = (bytes) => `0x${bytesToHex(bytes)}`

function addressOf(privateKey) {
  const publicKey = secp256k1.getPublicKey(hexToBytes(privateKey.slice(2)), false)
  return hex(keccak_256(publicKey.subarray(1)).subarray(12))
}

function personalSign(privateKey, message) {
  const bytes = utf8ToBytes(message)
  const prefix = utf8ToBytes(`\u0019Ethereum Signed Message:\n${bytes.length}`)
  const digest = keccak_256(new Uint8Array([...prefix, ...bytes]))
  const recovered = secp256k1.sign(digest, hexToBytes(privateKey.slice(2)), {
    prehash: false,
    lowS: true,
    format: 'recovered',
  })
  // noble's recovered form is recovery || r || s; Ethereum's is r || s || (27 + recovery).
  return `${hex(recovered.subarray(1))}${(27 + recovered[0]).toString(16)}`
}

/** Canonical JSON, written member by member: keys sorted by UTF-16 code units, no whitespace. */
function canonical(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value))
      fail(`only safe integers in request vectors, got ${value}`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`
}

/** The ascii form: every UTF-16 code unit outside U+0020..U+007E as \uXXXX (short escapes kept). */
function ascii(text) {
  return text.replace(
    /[^\u0020-\u007e]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

const sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)))

function fail(message) {
  throw new Error(`requests/generate.mjs: ${message}`)
}

// --- endpoints ----------------------------------------------------------------------------------

const segment = (value) => encodeURIComponent(value)
const toolPath = (product, action) => `/external/tools/${product}/actions/${action}/invoke`

/** Where each endpoint goes, what it signs (PROTOCOL sections 2 and 4), and what it hashes. */
function routeOf(endpoint) {
  const { name, job_id: jobId, workflow_id: workflowId } = endpoint
  switch (name) {
    case 'session':
      return { path: '/api/external/auth/session', signed: false }
    case 'job_list':
      return { path: '/api/external/jobs/list', signed: true, scope: ['job_list', '-'] }
    case 'job_reserve':
      return {
        path: `/api/external/jobs/${segment(jobId)}/reserve`,
        signed: true,
        scope: [name, jobId],
      }
    case 'job_complete':
      return {
        path: `/api/external/jobs/${segment(jobId)}/complete`,
        signed: true,
        scope: [name, jobId],
      }
    case 'job_status':
      return {
        path: `/api/external/jobs/${segment(jobId)}/status`,
        signed: true,
        scope: [name, jobId],
      }
    case 'balance':
      return {
        path: '/api/external/credits/balance',
        signed: true,
        scope: ['balance', '-'],
        noPayload: true,
      }
    case 'tool_invoke': {
      const path = toolPath(endpoint.product_slug, endpoint.action_slug)
      return {
        path: `/api${path}`,
        signed: true,
        method: 'POST',
        signedPath: path,
        parametersOnly: true,
      }
    }
    case 'workflow_create':
      return {
        path: `/api/external/jobs/${segment(jobId)}/workflow/create`,
        signed: false,
        token: true,
      }
    case 'workflow_publish':
      return {
        path: `/api/external/jobs/${segment(jobId)}/workflow/${segment(workflowId)}/publish`,
        signed: false,
        token: true,
      }
    default:
      fail(`unknown endpoint ${name}`)
  }
}

function build(spec) {
  const privateKey = keys[spec.key]
  const wallet = addressOf(privateKey)
  const route = routeOf(spec.endpoint)
  const form = spec.hash_form ?? 'raw'
  const input = {
    private_key: privateKey,
    session: spec.session ?? null,
    request_id: spec.request_id ?? null,
    endpoint: spec.endpoint,
    fields: spec.fields,
    hash_form: form,
    ...(route.token ? { workflow_token: spec.workflow_token } : {}),
  }
  const headers = { 'content-type': 'application/json' }
  if (route.token) headers['x-job-workflow-token'] = `Bearer ${spec.workflow_token}`
  let body
  let payload = null
  let payloadCanonical = null
  let payloadHash = null
  let message = null
  let signature = null
  if (!route.signed) {
    body =
      spec.endpoint.name === 'session' ? { wallet_address: wallet, ...spec.fields } : spec.fields
  } else {
    for (const field of envelope) if (field in spec.fields) fail(`${spec.id}: ${field} in fields`)
    if (!route.noPayload) {
      payload = route.parametersOnly ? spec.fields.parameters : spec.fields
      const raw = canonical(payload)
      payloadCanonical = form === 'ascii' ? ascii(raw) : raw
      payloadHash = sha256Hex(payloadCanonical)
    }
    const scopeLines = route.parametersOnly
      ? [`method:${route.method}`, `path:${route.signedPath}`]
      : [`action:${route.scope[0]}`, `product:${route.scope[1]}`]
    message = [
      'agentpmt-external',
      `wallet:${wallet}`,
      `session:${spec.session}`,
      `request:${spec.request_id}`,
      ...scopeLines,
      `payload:${payloadHash ?? ''}`,
    ].join('\n')
    signature = personalSign(privateKey, message)
    body = {
      ...spec.fields,
      wallet_address: wallet,
      session_nonce: spec.session,
      request_id: spec.request_id,
      signature,
    }
  }
  return {
    id: spec.id,
    description: spec.description,
    key: spec.key,
    wallet,
    input,
    expected: {
      method: 'POST',
      path: route.path,
      headers,
      payload,
      payload_canonical: payloadCanonical,
      payload_sha256: payloadHash,
      message,
      signature,
      body,
      body_canonical: canonical(body),
    },
  }
}

// --- cases --------------------------------------------------------------------------------------

const session = 'sess_4c1d9e2f7a'
const socialPost = {
  platform: 'x',
  post_url: 'https://x.com/agent/status/1890000000000000001',
  target_url_used:
    'https://example.com/launch?utm_source=x&utm_medium=agent_social&utm_campaign=agent_job_job_share_7&utm_content=trk_9f2',
  message_text: 'Trying the new launch: café ✓ 🚀',
  posted_at: '2026-03-01T12:00:00Z',
}
const workflow = {
  name: 'Résumé digest',
  description: 'Summarise new résumés every morning',
  nodes: [
    { id: 'n1', type: 'trigger', config: { cron: '0 8 * * *' } },
    { id: 'n2', type: 'llm', config: { prompt: 'Summarise: {{input}}' } },
  ],
  edges: [{ from: 'n1', to: 'n2' }],
}

const specs = [
  {
    id: 'session',
    description: 'Open a session: unsigned, the body is the wallet only (lower-case).',
    key: 'anvil-0',
    endpoint: { name: 'session' },
    fields: {},
  },
  {
    id: 'job_list',
    description: 'List jobs: action job_list, product -, the payload is {limit, skip}.',
    key: 'anvil-0',
    session,
    request_id: '0b6c2a4e-5f1d-4e7a-9c3b-1a2b3c4d5e6f',
    endpoint: { name: 'job_list' },
    fields: { limit: 50, skip: 0 },
  },
  {
    id: 'job_list_page_2',
    description:
      'The second page of five, another key: the body keeps limit and skip beside the envelope.',
    key: 'anvil-1',
    session: 'sess_page2',
    request_id: 'req-list-2',
    endpoint: { name: 'job_list' },
    fields: { skip: 5, limit: 5 },
  },
  {
    id: 'job_reserve',
    description:
      'Reserve a job: product is the job id, the payload is {} (the body is the envelope only).',
    key: 'anvil-0',
    session,
    request_id: '7d1e8f90-aaaa-4bbb-8ccc-123456789abc',
    endpoint: { name: 'job_reserve', job_id: 'job_share_7' },
    fields: {},
  },
  {
    id: 'job_status',
    description: 'Read a job status: product is the job id, the payload is {}.',
    key: 'anvil-2',
    session,
    request_id: 'req-status-1',
    endpoint: { name: 'job_status', job_id: 'job_share_7' },
    fields: {},
  },
  {
    id: 'job_complete_social',
    description:
      'Complete a social-share job: the hashed payload is the completion body minus the envelope; non-ASCII text hashed in the raw form.',
    key: 'anvil-0',
    session,
    request_id: 'req-complete-1',
    endpoint: { name: 'job_complete', job_id: 'job_share_7' },
    fields: {
      reservation_id: 'res_5e1f',
      proof_text: 'Posted the launch link on X; see the post URL.',
      social_posts: [socialPost],
    },
  },
  {
    id: 'job_complete_social_ascii',
    description:
      'The same completion signed over the ascii form of the payload (as Python json.dumps writes it): another hash, also accepted by the server.',
    key: 'anvil-0',
    session,
    request_id: 'req-complete-2',
    endpoint: { name: 'job_complete', job_id: 'job_share_7' },
    fields: {
      reservation_id: 'res_5e1f',
      proof_text: 'Posted the launch link on X; see the post URL.',
      social_posts: [socialPost],
    },
    hash_form: 'ascii',
  },
  {
    id: 'job_complete_workflow',
    description: 'Complete a workflow job: workflow_id is part of the hashed payload.',
    key: 'anvil-1',
    session,
    request_id: 'req-complete-wf',
    endpoint: { name: 'job_complete', job_id: 'job_wf_3' },
    fields: {
      reservation_id: 'res_wf_1',
      proof_text: 'Published workflow wf_88.',
      workflow_id: 'wf_88',
    },
  },
  {
    id: 'balance',
    description:
      'The credit balance: action balance, product -, no payload object: the payload line is empty.',
    key: 'anvil-0',
    session,
    request_id: 'req-balance-1',
    endpoint: { name: 'balance' },
    fields: {},
  },
  {
    id: 'tool_invoke',
    description:
      'A tool invoke: method and path lines (the canonical path without /api), only parameters hashed, sent to the /api path.',
    key: 'anvil-0',
    session,
    request_id: 'req-invoke-1',
    endpoint: { name: 'tool_invoke', product_slug: 'calculator', action_slug: 'add' },
    fields: { parameters: { b: 2, a: 40 } },
  },
  {
    id: 'tool_invoke_non_ascii',
    description: 'A tool invoke with non-ASCII parameters, raw form.',
    key: 'anvil-2',
    session,
    request_id: 'req-invoke-2',
    endpoint: { name: 'tool_invoke', product_slug: 'echo', action_slug: 'echo' },
    fields: { parameters: { text: 'Grüße 👋', nested: { z: [1, 'ü'], a: null } } },
  },
  {
    id: 'tool_invoke_non_ascii_ascii',
    description: 'The same tool invoke signed over the ascii form of the parameters.',
    key: 'anvil-2',
    session,
    request_id: 'req-invoke-3',
    endpoint: { name: 'tool_invoke', product_slug: 'echo', action_slug: 'echo' },
    fields: { parameters: { text: 'Grüße 👋', nested: { z: [1, 'ü'], a: null } } },
    hash_form: 'ascii',
  },
  {
    id: 'workflow_create',
    description:
      "Create a workflow: unsigned, the reserve answer's token in X-Job-Workflow-Token, the body is the workflow.",
    key: 'anvil-1',
    endpoint: { name: 'workflow_create', job_id: 'job_wf_3' },
    fields: workflow,
    workflow_token: 'wft_3b9e1c',
  },
  {
    id: 'workflow_publish',
    description: 'Publish a workflow: unsigned, the token header, the body is {}.',
    key: 'anvil-1',
    endpoint: { name: 'workflow_publish', job_id: 'job_wf_3', workflow_id: 'wf_88' },
    fields: {},
    workflow_token: 'wft_3b9e1c',
  },
]

const cases = specs.map(build)

// --- Python's json and hashlib must agree ---------------------------------------------------------

const pythonProgram = `
import hashlib, json, sys
out = []
for job in json.load(sys.stdin):
    value = job["value"]
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=(job["form"] == "ascii"))
    out.append({"text": text, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "body": json.dumps(job["body"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)})
json.dump(out, sys.stdout)
`
const jobs = cases.map((item) => ({
  value: item.expected.payload ?? {},
  form: item.input.hash_form,
  body: item.expected.body,
}))
const answers = JSON.parse(
  execFileSync('python3', ['-c', pythonProgram], { input: JSON.stringify(jobs), encoding: 'utf8' }),
)
for (const [index, item] of cases.entries()) {
  const python = answers[index]
  const { expected } = item
  if (python.body !== expected.body_canonical) fail(`${item.id}: Python writes another body`)
  if (expected.payload === null) continue
  if (python.text !== expected.payload_canonical) fail(`${item.id}: Python writes another payload`)
  if (python.sha256 !== expected.payload_sha256) fail(`${item.id}: Python hashes another payload`)
}
// Bare ethers must sign every message alike (RFC 6979 makes signatures deterministic).
for (const item of cases.filter((entry) => entry.expected.message !== null)) {
  const ethersSignature = new Wallet(item.input.private_key).signMessageSync(item.expected.message)
  if (ethersSignature !== item.expected.signature) fail(`${item.id}: ethers signs otherwise`)
}
// The ascii variants must sign another hash than their raw twins, or they test nothing.
for (const item of cases.filter((entry) => entry.input.hash_form === 'ascii')) {
  const twin = cases.find((entry) => entry.id === item.id.replace(/_ascii$/, ''))
  if (twin?.expected.payload_sha256 === item.expected.payload_sha256)
    fail(`${item.id}: the ascii form hashes as the raw form`)
}

// --- output ---------------------------------------------------------------------------------------

const file = {
  $schema: '../schema/requests.schema.json',
  description:
    'Whole requests, end to end: key, session, request id, endpoint and fields -> the hashed payload (in the form asked), its SHA-256, the message, the signature, the path, headers and JSON body sent. Test keys only. See vectors/requests/README.md.',
  generator: 'vectors/requests/generate.mjs',
  sources:
    'canonical forms written by the generator (keys sorted by UTF-16 code units) and checked equal to Python json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii); SHA-256 by @noble/hashes and checked equal to Python hashlib; signatures by @noble/curves secp256k1 (RFC 6979, low s) over keccak-256 of the EIP-191 prefixed message, checked equal to ethers Wallet.signMessageSync',
  count: cases.length,
  cases,
}
const text = `${JSON.stringify(file, null, 2)}\n`
if (process.argv.includes('--check')) {
  if (!existsSync(outputPath) || readFileSync(outputPath, 'utf8') !== text) {
    console.error('requests/cases.json is out of date: run node vectors/requests/generate.mjs')
    process.exit(1)
  }
  console.log(`checked ${cases.length} request cases`)
} else {
  writeFileSync(outputPath, text)
  console.log(`wrote ${cases.length} request cases`)
}
