/**
 * Test doubles for the unit tests: a fake clock, a recording `fetch` and a small in-memory
 * server that speaks enough of the protocol for the client's happy paths. Not published.
 */
import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  type CompleteResponse,
  type JobListItem,
  type MessageFields,
  type MessageSigner,
  parseMessage,
  payloadOf,
  type ReserveResponse,
  type SessionResponse,
  type VerificationStatus,
} from '@agentpmt-kit/message-builder'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Clock } from '../Clock.js'
import { createJobsClient, type JobsClient, type JobsClientOptions } from '../createJobsClient.js'
import type { JobsClientEvent } from '../Logger.js'
import type { CompletionProof } from '../proofChecks.js'

/** Anvil's second well-known test key: public, never funded. */
export const testKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
export const signer: MessageSigner = createViemSigner(privateKeyToAccount(testKey))
export const wallet: string = signer.address.toLowerCase()

export type FakeClock = Clock & {
  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  advance(ms: number): Promise<void>
  pending(): number
}

export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export function fakeClock(start: number = Date.parse('2026-05-17T14:00:00.000Z')): FakeClock {
  let now = start
  let nextId = 0
  const timers = new Map<number, { at: number; callback: () => void }>()
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, ms), callback })
      return () => timers.delete(id)
    },
    async advance(ms) {
      const target = now + ms
      await flush()
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, timer]) => timer.at <= target)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0]
        if (due === undefined) break
        timers.delete(due[0])
        now = Math.max(now, due[1].at)
        due[1].callback()
        await flush()
      }
      now = target
      await flush()
    },
    pending: () => timers.size,
  }
}

/** Runs `promise` to its end, moving the fake clock `stepMs` at a time. */
export async function drive<value>(
  clock: FakeClock,
  promise: Promise<value>,
  stepMs = 1_000,
  maxSteps = 10_000,
): Promise<value> {
  let done = false
  const settled = promise.finally(() => {
    done = true
  })
  settled.catch(() => {})
  for (let step = 0; step < maxSteps && !done; step++) await clock.advance(stepMs)
  return settled
}

/** One request the client sent. */
export type Call = {
  path: string
  text: string
  body: Record<string, unknown>
  headers: Headers
  requestId: string | undefined
}

export type Handler = (call: Call, index: number) => Response | Promise<Response>

/** A `fetch` that records every call and answers with `handler` (which may throw). */
export function recordingFetch(handler: Handler): {
  fetch: typeof globalThis.fetch
  calls: Call[]
} {
  const calls: Call[] = []
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    const text = String(init?.body ?? '')
    const body = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>
    const call: Call = {
      path: url.pathname,
      text,
      body,
      headers: new Headers(init?.headers),
      requestId: typeof body.request_id === 'string' ? body.request_id : undefined,
    }
    calls.push(call)
    return handler(call, calls.length - 1)
  }) as typeof globalThis.fetch
  return { fetch, calls }
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

export function apiError(
  status: number,
  errorCode: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return json(
    status,
    {
      error_code: errorCode,
      detail: `${errorCode} from the fake`,
      details: { checklist: [], ...details },
    },
    headers,
  )
}

/**
 * A connection lost before an answer: what `fetch` throws then. `processed`: the server did the
 * work (and spent the request id) before the connection dropped.
 */
export function connectionLost(processed = false): never {
  throw Object.assign(new TypeError('fetch failed', { cause: new Error('other side closed') }), {
    processed,
  })
}

/** A signer that records every message it signs. */
export function recordingSigner(): { signer: MessageSigner; messages: string[] } {
  const messages: string[] = []
  return {
    messages,
    signer: {
      address: signer.address,
      signMessage(message) {
        messages.push(message)
        return signer.signMessage(message)
      },
    },
  }
}

/** The payload hash of what a call's body carries beyond the envelope. */
export function bodyPayloadHash(call: Call): string {
  return sha256Hex(canonicalize(payloadOf(call.body)))
}

/** The signed message of a call, found by its request id, taken apart. */
export function messageOf(messages: readonly string[], call: Call): MessageFields {
  const found = messages.filter((message) => message.includes(`\nrequest:${call.requestId}\n`))
  if (found.length !== 1) throw new Error(`expected one message for ${call.requestId}`)
  return parseMessage(found[0]!)
}

export const jobs: { share: JobListItem; workflow: JobListItem } = {
  share: {
    job_id: 'job_share_linkedin',
    job_type: 'social_share',
    title: 'Share on LinkedIn',
    reward_credits: 25,
    platform: 'linkedin',
  },
  workflow: {
    job_id: 'job_workflow_1',
    job_type: 'workflow_creation',
    title: 'Build a workflow',
    reward_credits: 60,
  },
}

export const trackedUrl: string =
  'https://www.agentpmt.com/agent-workflow-skills/example?utm_source=linkedin&utm_medium=agent_social&utm_campaign=agent_job_job_share_linkedin&utm_content=trk_1'

export const workflowToken: string = 'wft_secret_token_0123456789'

/** A reserve answer for a job, expiring `ttlMs` after `now`. */
export function reserveBody(
  job: 'share' | 'workflow',
  now: number,
  ttlMs: number = 30 * 60_000,
): ReserveResponse {
  const expiresAt = new Date(now + ttlMs).toISOString()
  return job === 'share'
    ? {
        reservation_id: 'res_1',
        job_id: jobs.share.job_id,
        expires_at: expiresAt,
        instructions: 'Publish one post.',
        job: {
          ...jobs.share,
          social_share: { platform: 'linkedin', tracking_links: [trackedUrl] },
        },
      }
    : {
        reservation_id: 'res_2',
        job_id: jobs.workflow.job_id,
        expires_at: expiresAt,
        instructions: 'Build and publish a workflow.',
        job: jobs.workflow,
        workflow_access: { access_token: workflowToken, expires_at: expiresAt },
      }
}

export function submissionBody(
  reservationId: string,
  status: string,
  now: number,
  jobId: string = jobs.share.job_id,
): CompleteResponse {
  return {
    job_id: jobId,
    status: 'submitted',
    submission: {
      submission_id: 'sub_1',
      reservation_id: reservationId,
      submitted_at: new Date(now).toISOString(),
      verification: {
        status: status as VerificationStatus,
        updated_at: new Date(now).toISOString(),
      },
    },
  }
}

export function sessionBody(
  nonce: string,
  now: number,
  ttlMs: number = 15 * 60_000,
): SessionResponse {
  return {
    session_nonce: nonce,
    expires_in: ttlMs / 1000,
    expires_at: new Date(now + ttlMs).toISOString(),
  }
}

/** A valid proof for the share reservation. */
export function shareProof(overrides: Record<string, unknown> = {}): CompletionProof {
  return {
    proof_text: 'Published the required AgentPMT social post.',
    social_posts: [
      {
        platform: 'linkedin',
        post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
        target_url_used: trackedUrl,
        message_text: 'Paid AgentPMT share: a useful workflow.',
        posted_at: '2026-05-17T14:30:00Z',
        ...overrides,
      },
    ],
  }
}

export type Route =
  | 'session'
  | 'list'
  | 'reserve'
  | 'complete'
  | 'status'
  | 'workflowCreate'
  | 'workflowPublish'

export function routeOf(path: string): Route {
  if (path.endsWith('/auth/session')) return 'session'
  if (path.endsWith('/jobs/list')) return 'list'
  if (path.endsWith('/workflow/create')) return 'workflowCreate'
  if (path.endsWith('/publish')) return 'workflowPublish'
  const last = path.split('/').at(-1)
  if (last === 'reserve' || last === 'complete' || last === 'status') return last
  throw new Error(`no route for ${path}`)
}

/**
 * An in-memory server for one share job and one workflow job: sessions, request ids spent once,
 * verification that moves one step per status call. `overrides` replace a route's answer; `state`
 * is open to the test.
 */
export type FakeServer = {
  handler: Handler
  state: {
    sessions: number
    spent: Set<string>
    submissions: Array<{ reservation_id: string; job_id: string }>
    statusCalls: number
  }
  routes: Record<Route, Handler>
}

export function fakeServer(
  clock: Clock,
  overrides: Partial<Record<Route, Handler>> = {},
  options: { verification?: readonly string[]; reservationTtlMs?: number } = {},
): FakeServer {
  const steps = options.verification ?? ['queued', 'running', 'verified']
  const state: FakeServer['state'] = {
    sessions: 0,
    spent: new Set<string>(),
    submissions: [] as Array<{ reservation_id: string; job_id: string }>,
    statusCalls: 0,
  }
  const routes: Record<Route, Handler> = {
    session: () => {
      state.sessions++
      return json(200, sessionBody(`nonce_${state.sessions}`, clock.now()))
    },
    list: (call) =>
      json(200, {
        jobs: [jobs.share, jobs.workflow].slice(
          Number(call.body.skip),
          Number(call.body.skip) + Number(call.body.limit),
        ),
        total: 2,
        limit: call.body.limit,
        skip: call.body.skip,
      }),
    reserve: (call) =>
      json(
        200,
        reserveBody(
          call.path.includes('workflow') ? 'workflow' : 'share',
          clock.now(),
          options.reservationTtlMs,
        ),
      ),
    complete: (call) => {
      state.submissions.push({
        reservation_id: String(call.body.reservation_id),
        job_id: call.path.split('/').at(-2) ?? '',
      })
      return json(
        200,
        submissionBody(
          String(call.body.reservation_id),
          'queued',
          clock.now(),
          call.path.split('/').at(-2),
        ),
      )
    },
    status: (call) => {
      const jobId = call.path.split('/').at(-2) ?? ''
      const submission = state.submissions.find((entry) => entry.job_id === jobId)
      const step = steps[Math.min(state.statusCalls++, steps.length - 1)] ?? 'queued'
      return json(200, {
        job_id: jobId,
        status: submission ? 'submitted' : 'reserved',
        reservation: null,
        submission: submission
          ? submissionBody(submission.reservation_id, step, clock.now(), jobId).submission
          : null,
      })
    },
    workflowCreate: () =>
      json(200, { workflow_id: 'wf_1', job_id: jobs.workflow.job_id, status: 'draft' }),
    workflowPublish: () =>
      json(200, { workflow_id: 'wf_1', job_id: jobs.workflow.job_id, status: 'published' }),
  }
  const handler: Handler = async (call, index) => {
    const route = routeOf(call.path)
    if (call.requestId !== undefined) {
      const key = `${String(call.body.session_nonce)}/${call.requestId}`
      if (state.spent.has(key)) return apiError(409, 'EXTERNAL_SIGNATURE_REQUEST_REPLAY')
      state.spent.add(key)
    }
    try {
      const response = await (overrides[route] ?? routes[route])(call, index)
      // Its clock's time, as a server's Date header, unless the answer has its own.
      if (!response.headers.has('date'))
        response.headers.set('date', new Date(clock.now()).toUTCString())
      return response
    } catch (error) {
      if (!(error as { processed?: boolean }).processed)
        state.spent.delete(`${String(call.body.session_nonce)}/${call.requestId}`)
      throw error
    }
  }
  return { handler, state, routes }
}

export type Setup = {
  clock: FakeClock
  server: FakeServer
  calls: Call[]
  messages: string[]
  events: JobsClientEvent[]
  client: JobsClient
}

/** A client on the fake server, with a fake clock, numbered request ids and a recording logger. */
export function setup(
  overrides: Partial<Record<Route, Handler>> = {},
  options: Partial<JobsClientOptions> & {
    verification?: readonly string[]
    reservationTtlMs?: number
  } = {},
): Setup {
  const { verification, reservationTtlMs, ...clientOptions } = options
  const clock = fakeClock()
  const server = fakeServer(clock, overrides, {
    ...(verification ? { verification } : {}),
    ...(reservationTtlMs ? { reservationTtlMs } : {}),
  })
  const { fetch, calls } = recordingFetch(server.handler)
  const recording = recordingSigner()
  const events: JobsClientEvent[] = []
  let count = 0
  const client = createJobsClient({
    signer: recording.signer,
    fetch,
    clock,
    baseUrl: 'https://api.test',
    logger: (event) => events.push(event),
    requestId: () => `req_${++count}`,
    retry: { random: () => 0.5 },
    ...clientOptions,
  })
  return { clock, server, calls, messages: recording.messages, events, client }
}
