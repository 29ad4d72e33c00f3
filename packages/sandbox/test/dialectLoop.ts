// One whole job loop driven with raw signed requests, recording every answer as it came over the
// wire. It reads each answer defensively (any dialect's shape) through small helpers of its own,
// never through jobs-client, so that the dialect tests check the answers themselves.
import { apiPaths, workflowTokenHeader } from '@agentpmt-kit/message-builder'
import { privateKeyToAccount } from 'viem/accounts'
import type { RunningSandbox } from '../src/index.js'
import { type Json, post, type Reply, type SignOptions, testWallet } from './client.js'

/** One answer of the loop, as the wire carried it. */
export type RecordedAnswer = {
  step: string
  status: number
  contentType: string | null
  retryAfter: string | null
  text: string
  /** The parsed JSON body, or `null` when the body is not JSON. */
  body: Json
}

/** Well-known development keys (Anvil's accounts 1 to 3): public, for tests only. */
const keys = {
  main: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  other: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  stranger: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
} as const

const transient = new Set([429, 502, 503])

/** A signed or unsigned call, retried (as a client with 3 attempts would) on 429, 502 and 503. */
async function attempt(
  answers: RecordedAnswer[],
  step: string,
  send: (attemptNumber: number) => Promise<Reply>,
): Promise<Reply> {
  let reply: Reply | undefined
  for (let number = 1; number <= 3; number++) {
    reply = await send(number)
    answers.push({
      step: number === 1 ? step : `${step} (attempt ${number})`,
      status: reply.status,
      contentType: reply.headers.get('content-type'),
      retryAfter: reply.headers.get('retry-after'),
      text: reply.text,
      body: reply.body,
    })
    if (!transient.has(reply.status) || reply.body !== null) break
  }
  return reply as Reply
}

/** The reservation id of a reserve answer, wherever the dialect put it. */
export function reservationIdOf(body: Json): string {
  return body?.reservation_id ?? body?.reservation?.reservation_id ?? body?.job?.reservation_id
}

/** The first tracked link of a reserve answer, given as a string or as an object with `url`. */
export function trackedUrlOf(body: Json): string {
  const link = body?.job?.social_share?.tracking_links?.[0]
  return typeof link === 'string' ? link : link?.url
}

/**
 * Runs the loop against `sandbox` (made with `startingCredits: 1` and `verificationDelayMs:
 * 1000`): two wallets, a social-share job and a workflow job to the end, and one of each error
 * the sandbox answers. Request ids are fixed, so a fixed seed and clock give fixed answers.
 */
export async function runDialectLoop(sandbox: RunningSandbox): Promise<RecordedAnswer[]> {
  const answers: RecordedAnswer[] = []
  const base = sandbox.url
  const main = testWallet(base, privateKeyToAccount(keys.main))
  const other = testWallet(base, privateKeyToAccount(keys.other))
  const stranger = privateKeyToAccount(keys.stranger)

  const openSession = async (step: string, address: string): Promise<string> => {
    const reply = await attempt(answers, step, () =>
      post(base, apiPaths.session, { wallet_address: address }),
    )
    return reply.body?.session_nonce
  }
  let mainSession = await openSession('session main', main.account.address)
  const otherSession = await openSession('session other', other.account.address)

  type Call = (options: SignOptions) => Promise<Reply>
  const signed = (step: string, session: string, call: Call): Promise<Reply> =>
    attempt(answers, step, (number) =>
      call({ session, requestId: `req-${step.replaceAll(' ', '-')}-${number}` }),
    )
  const asMain = (step: string, call: Call) => signed(step, mainSession, call)

  await asMain('list', (o) => main.list({ limit: 50, skip: 0 }, o))
  await asMain('invoke short', (o) => main.invoke('calculator', 'add', { a: 1, b: 2 }, o))
  const share = 'job_share_linkedin'
  const reserved = await asMain('reserve share', (o) => main.reserve(share, o))
  const reservationId = reservationIdOf(reserved.body)
  await signed('reserve taken', otherSession, (o) => other.reserve(share, o))
  await asMain('reserve unknown', (o) => main.reserve('job_nope', o))
  await asMain('reserve mismatch', (o) =>
    main.reserve(share, { ...o, scope: { action: 'job_list' } }),
  )
  await asMain('complete invalid', (o) =>
    main.complete(share, { reservation_id: reservationId, social_posts: [] }, o),
  )
  const proof = {
    proof_text: 'Published the required AgentPMT social post.',
    reservation_id: reservationId,
    social_posts: [
      {
        platform: 'linkedin',
        post_url: 'https://social.example/linkedin/posts/1',
        target_url_used: trackedUrlOf(reserved.body),
        message_text: 'Paid AgentPMT share: a useful workflow for this process.',
        posted_at: '2026-05-17T14:30:00Z',
      },
    ],
  }
  await asMain('complete share', (o) => main.complete(share, proof, o))
  await asMain('complete again', (o) => main.complete(share, proof, o))
  await asMain('status queued', (o) => main.status(share, o))
  sandbox.advance(3000)
  await asMain('status verified', (o) => main.status(share, o))
  await asMain('status untouched', (o) => main.status('job_share_x', o))

  const workflowJob = 'job_workflow_ticket_triage'
  const workflowReserved = await asMain('reserve workflow', (o) => main.reserve(workflowJob, o))
  const token = workflowReserved.body?.workflow_access?.access_token
  const definition = { name: 'Triage', description: 'Routes tickets.', nodes: [], edges: [] }
  const workflowCall = (step: string, path: string, body: unknown, bearer: string) =>
    attempt(answers, step, () =>
      // Both headers a server may read it from (authorization-header reads only the second).
      post(base, path, body, {
        [workflowTokenHeader]: `Bearer ${bearer}`,
        authorization: `Bearer ${bearer}`,
      }),
    )
  await workflowCall('workflow forbidden', apiPaths.workflowCreate(workflowJob), definition, 'nope')
  const created = await workflowCall(
    'workflow create',
    apiPaths.workflowCreate(workflowJob),
    definition,
    token,
  )
  const workflowId = created.body?.workflow_id
  await workflowCall(
    'workflow publish',
    apiPaths.workflowPublish(workflowJob, workflowId),
    {},
    token,
  )
  await asMain('complete workflow', (o) =>
    main.complete(
      workflowJob,
      {
        proof_text: 'Published the triage workflow.',
        reservation_id: reservationIdOf(workflowReserved.body),
        workflow_id: workflowId,
      },
      o,
    ),
  )
  await asMain('status workflow', (o) => main.status(workflowJob, o))

  const late = await asMain('reserve late', (o) => main.reserve('job_share_x', o))
  sandbox.advance(30 * 60_000)
  mainSession = await openSession('session main again', main.account.address)
  await asMain('complete expired', (o) =>
    main.complete(
      'job_share_x',
      { ...proof, reservation_id: reservationIdOf(late.body), social_posts: [] },
      o,
    ),
  )
  await asMain('status expired', (o) => main.status('job_share_x', o))
  await asMain('list bad page', (o) => main.list({ limit: 1000, skip: 0 }, o))
  await asMain('balance', (o) => main.balance(o))
  // A wallet the session was not issued to: an unknown nonce for it.
  const strangerWallet = testWallet(base, stranger)
  await asMain('reserve foreign session', (o) => strangerWallet.reserve(share, o))
  return answers
}
