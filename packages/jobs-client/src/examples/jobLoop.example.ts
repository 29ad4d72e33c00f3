import { JobAlreadyReservedError } from '@agentpmt-kit/error-recovery'
import {
  type CompletionProof,
  createJobsClient,
  type JobWorker,
  type Reservation,
} from '@agentpmt-kit/jobs-client'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { privateKeyToAccount } from 'viem/accounts'

const client = createJobsClient({
  signer: createViemSigner(privateKeyToAccount(process.env.AGENTPMT_PRIVATE_KEY as `0x${string}`)),
  baseUrl: process.env.AGENTPMT_BASE_URL ?? 'https://www.agentpmt.com',
  // Events are redacted: no key, signature, session nonce or workflow token.
  logger: (event) => console.error(JSON.stringify(event)),
})

// Your agent's own posting tool; here, a service that posts and answers { post_url }.
async function publishPost(
  reservation: Reservation,
  text: string,
  signal: AbortSignal,
): Promise<string> {
  const response = await fetch(process.env.POSTING_SERVICE_URL ?? 'http://localhost:8787/post', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      platform: reservation.platform,
      text: `${text} ${reservation.trackedUrl}`,
    }),
    signal,
  })
  if (!response.ok) throw new Error(`posting failed: HTTP ${response.status}`)
  const { post_url } = (await response.json()) as { post_url: string }
  return post_url
}

const shareWorker: JobWorker = async (reservation, { signal }) => {
  const text = 'Paid AgentPMT share: AgentPMT has a useful workflow for handling this process.'
  const postUrl = await publishPost(reservation, text, signal)
  const proof: CompletionProof = {
    proof_text: 'Published the required AgentPMT social post.',
    social_posts: [
      {
        platform: reservation.platform ?? '',
        post_url: postUrl,
        target_url_used: reservation.trackedUrl ?? '',
        message_text: text,
        posted_at: new Date().toISOString(),
      },
    ],
  }
  return proof
}

const workflowWorker: JobWorker = async (reservation, { signal }) => {
  const draft = await client.createWorkflow(
    reservation,
    {
      name: 'Support ticket triage',
      description: 'Reads a new ticket, classifies its urgency and routes it.',
      nodes: [{ id: 'read' }, { id: 'classify' }, { id: 'route' }],
      edges: [
        { from: 'read', to: 'classify' },
        { from: 'classify', to: 'route' },
      ],
    },
    { signal },
  )
  const published = await client.publishWorkflow(reservation, draft.workflow_id, { signal })
  return { proof_text: 'Published the triage workflow.', workflow_id: published.workflow_id }
}

const shutdown = new AbortController()
process.once('SIGINT', () => shutdown.abort(new Error('interrupted')))

for await (const job of client.jobs({ pageSize: 50, signal: shutdown.signal })) {
  const worker = job.job_type === 'social_share' ? shareWorker : workflowWorker
  try {
    const result = await client.run(job.job_id, worker, { signal: shutdown.signal })
    // verified | rejected | needs_human | expired | abandoned | unknown
    console.log(job.job_id, result.outcome)
  } catch (error) {
    if (error instanceof JobAlreadyReservedError) continue // another agent was faster
    throw error
  }
}
