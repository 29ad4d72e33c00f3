/**
 * Servers for the judges' own tests: the sandbox behind a proxy that can switch on one flaw (a
 * way a real server may break the protocol) or an honest variation the guides allow (no credit
 * balance or tools, a clock off by some minutes, an expiry without an offset). Each flaw is
 * switched on by name; the proxy forwards everything else untouched.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  acceptedPathCandidates,
  apiPaths,
  buildMessage,
  type Hex,
} from '@agentpmt-kit/message-builder'
import { type SandboxOptions, startSandbox } from '@agentpmt-kit/sandbox'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
import { listen } from './listen.js'

/**
 * A way to break the protocol, each failing at least one check of the server check or the
 * probe: the enumeration tests fail when a check has none.
 */
export const serverFlaws = [
  'no-session-nonce',
  'refuses-valid-list',
  'list-without-job-ids',
  'replay-accepted',
  'replay-wrong-code',
  'accepts-wrong-wallet',
  'no-expected-payload-hash',
  'hash-wrong-form',
  'expected-message-differs',
  'malformed-as-mismatch',
  'unknown-session-as-expired',
  'no-error-body-fields',
  'keeps-sessions-longer',
  'balance-wants-payload-hash',
  'tool-raw-form-only',
  'tool-ascii-form-only',
  'tool-refuses-api-prefix',
  'tool-refuses-trailing-slash',
  'tool-case-sensitive-slugs',
  'reserve-without-reservation-id',
  'reserve-without-instructions',
  'reserve-without-link-or-token',
  'status-refused',
  'error-without-code',
  'no-expected-message',
] as const

export type ServerFlaw = (typeof serverFlaws)[number]

/** Variations a server may make within the guides: the judges must not fail any of them. */
export type HonestVariation = {
  /** No credit balance and no tool invokes (404): a server of the jobs guides only. */
  jobsOnly?: boolean | undefined
  /** The server's clock (its `Date` header, its timestamps) this far ahead of ours (negative: behind). */
  clockOffsetMs?: number | undefined
  /** The session's expiry only as `expires_at` without an offset (Python's naive `isoformat()`). */
  naiveSessionExpiry?: boolean | undefined
}

export type FlawedServer = { url: string; close(): Promise<void> }

type Answer = { status: number; headers: Record<string, string>; json: unknown; text: string }
type JsonRecord = Record<string, unknown>

const asRecord = (value: unknown): JsonRecord | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined

/** The sandbox (`options`) behind a proxy with `flaw` switched on and `variation` applied. */
export async function startFlawedServer(
  flaw: ServerFlaw | undefined,
  variation: HonestVariation = {},
  options: SandboxOptions = {},
): Promise<FlawedServer> {
  const offset = variation.clockOffsetMs ?? 0
  const sandbox = await startSandbox({ verificationDelayMs: 20, ...options, clockOffsetMs: offset })
  const sentBodies = new Map<string, Answer>()
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const requestText = Buffer.concat(chunks).toString('utf8')
    const path = new URL(request.url ?? '/', 'http://proxy').pathname
    const requestJson = parseJson(requestText)
    const reply = (answer: Answer): void => {
      // The sandbox's own Date follows its clock; the proxy's own answers follow the same.
      const headers: Record<string, string> = {
        date: new Date(Date.now() + offset).toUTCString(),
        ...answer.headers,
      }
      const text = answer.json === undefined ? answer.text : JSON.stringify(answer.json)
      delete headers['content-length']
      response.writeHead(answer.status, headers).end(text)
    }
    const isTool = path.startsWith('/api/external/tools/')
    if (variation.jobsOnly && (path === apiPaths.balance || isTool))
      return reply(errorAnswer(404, 'NOT_FOUND', 'Not found.'))
    if (flaw === 'tool-case-sensitive-slugs' && isTool && path !== path.toLowerCase())
      return reply(errorAnswer(404, 'NOT_FOUND', 'Not found.'))
    if (flaw === 'replay-accepted' && sentBodies.has(requestText))
      return reply(sentBodies.get(requestText)!)
    if (isTool && flaw?.startsWith('tool-')) {
      const signed = await signedToolVariant(asRecord(requestJson), path)
      const refused =
        (flaw === 'tool-raw-form-only' && signed?.form === 'ascii') ||
        (flaw === 'tool-ascii-form-only' && signed?.form === 'raw') ||
        (flaw === 'tool-refuses-api-prefix' && signed?.path.startsWith('/api/') === true) ||
        (flaw === 'tool-refuses-trailing-slash' && signed?.path.endsWith('/') === true)
      if (refused) return reply(mismatchAnswer())
    }
    const upstream = await fetch(`${sandbox.url}${request.url}`, {
      method: request.method ?? 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
      ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: requestText }),
    })
    const text = await upstream.text()
    const answer: Answer = {
      status: upstream.status,
      headers: Object.fromEntries(upstream.headers),
      json: parseJson(text),
      text,
    }
    // Remembers signed requests only: opening a session twice is no replay.
    if (answer.status >= 200 && answer.status < 300 && requestText.includes('"signature"'))
      sentBodies.set(requestText, answer)
    reply(rewrite(flaw, variation, path, answer, asRecord(requestJson)))
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    })
  })
  // Node's 5 s default closes an idle socket just as a client reuses it (ECONNRESET).
  server.keepAliveTimeout = 65_000
  const proxy = await listen(server)
  return {
    url: proxy.url,
    close: async () => {
      await proxy.close()
      await sandbox.close()
    },
  }
}

/** The answer as the flaw (or variation) makes it. */
function rewrite(
  flaw: ServerFlaw | undefined,
  variation: HonestVariation,
  path: string,
  answer: Answer,
  request: JsonRecord | undefined,
): Answer {
  const body = asRecord(answer.json)
  if (body === undefined) return answer
  const copy = structuredClone(body)
  const details = asRecord(copy.details)
  const code = copy.error_code
  const ok = answer.status >= 200 && answer.status < 300
  const as = (status: number, json: unknown): Answer => ({ ...answer, status, json })
  if (path === apiPaths.session && ok) {
    if (flaw === 'no-session-nonce') {
      copy.nonce = copy.session_nonce
      delete copy.session_nonce
    }
    if (flaw === 'keeps-sessions-longer' && typeof copy.expires_in === 'number') {
      // Tells an eighth of the lifetime it keeps.
      const toldMs = (copy.expires_in * 1000) / 8
      copy.expires_in = toldMs / 1000
      copy.expires_at = new Date(Date.parse(String(copy.expires_at)) - 7 * toldMs).toISOString()
    }
    if (variation.naiveSessionExpiry && typeof copy.expires_at === 'string') {
      copy.expires_at = copy.expires_at.replace(/Z$/, '')
      delete copy.expires_in
    }
    return as(answer.status, copy)
  }
  if (path === apiPaths.list && ok && flaw === 'refuses-valid-list') return mismatchAnswer()
  if (path === apiPaths.list && ok && flaw === 'list-without-job-ids' && Array.isArray(copy.jobs)) {
    copy.jobs = copy.jobs.map((job) => ({ ...asRecord(job), job_id: undefined, id: undefined }))
    return as(answer.status, copy)
  }
  if (path === apiPaths.balance && ok && flaw === 'balance-wants-payload-hash')
    return mismatchAnswer()
  if (/\/reserve$/.test(path) && ok) {
    const job = asRecord(copy.job)
    if (flaw === 'reserve-without-reservation-id') {
      delete copy.reservation_id
      if (job) delete job.reservation_id
    }
    if (flaw === 'reserve-without-instructions') {
      for (const record of [copy, job])
        for (const key of ['instructions', 'job_instructions', 'private_instructions'])
          if (record) delete record[key]
    }
    if (flaw === 'reserve-without-link-or-token') {
      delete copy.workflow_access
      if (job) delete job.social_share
    }
    return as(answer.status, copy)
  }
  if (/\/status$/.test(path) && flaw === 'status-refused')
    return errorAnswer(404, 'NOT_FOUND', 'Not found.')
  if (code === 'EXTERNAL_SIGNATURE_REQUEST_REPLAY' && flaw === 'replay-wrong-code')
    copy.error_code = 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'
  if (code === 'EXTERNAL_SIGNATURE_WALLET_MISMATCH') {
    if (flaw === 'accepts-wrong-wallet') return as(200, { jobs: [], total: 0 })
    if (flaw === 'no-expected-payload-hash' && details) delete details.expected_payload_hash
    if (flaw === 'hash-wrong-form' && details && request) {
      // The hash of the whole body, envelope included, where the payload alone is hashed.
      details.expected_payload_hash = sha256Hex(canonicalize(request))
    }
    if (flaw === 'no-expected-message' && details) delete details.expected_message
    if (
      flaw === 'expected-message-differs' &&
      details &&
      typeof details.expected_message === 'string'
    )
      details.expected_message = details.expected_message.replace(
        /^agentpmt-external\n/,
        'agentpmt\n',
      )
  }
  if (code === 'EXTERNAL_SIGNATURE_MALFORMED' && flaw === 'malformed-as-mismatch')
    copy.error_code = 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'
  if (code === 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID' && flaw === 'unknown-session-as-expired')
    copy.error_code = 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED'
  if (typeof code === 'string' && flaw === 'error-without-code') delete copy.error_code
  if (typeof code === 'string' && flaw === 'no-error-body-fields') {
    delete copy.detail
    if (details) delete details.checklist
  }
  return as(answer.status, copy)
}

function errorAnswer(status: number, code: string, detail: string, extra: JsonRecord = {}): Answer {
  const json = { error_code: code, detail, details: { checklist: [], ...extra } }
  return { status, headers: { 'content-type': 'application/json' }, json, text: '' }
}

function mismatchAnswer(): Answer {
  return errorAnswer(
    401,
    'EXTERNAL_SIGNATURE_WALLET_MISMATCH',
    'The signature does not recover to wallet_address.',
  )
}

/** Which payload form and `path:` line a tool invoke was signed with, found by recovery. */
async function signedToolVariant(
  body: JsonRecord | undefined,
  urlPath: string,
): Promise<{ form: 'raw' | 'ascii' | 'both'; path: string } | undefined> {
  const parameters = asRecord(body?.parameters)
  if (body === undefined || parameters === undefined) return undefined
  const wallet = String(body.wallet_address).toLowerCase()
  const raw = sha256Hex(canonicalize(parameters))
  const ascii = sha256Hex(canonicalize(parameters, { ascii: true }))
  for (const path of acceptedPathCandidates(urlPath))
    for (const [form, payloadHash] of [
      ['raw', raw],
      ['ascii', ascii],
    ] as const) {
      const message = buildMessage({
        wallet,
        session: String(body.session_nonce),
        request: String(body.request_id),
        scope: { method: 'POST', path },
        payloadHash,
      })
      const recovered = await recoverMessageSigner({ message, signature: body.signature as Hex })
      if (recovered.toLowerCase() === wallet) return { form: raw === ascii ? 'both' : form, path }
    }
  return undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
