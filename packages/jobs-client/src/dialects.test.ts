import {
  type RunningSandbox,
  type SandboxDialect,
  sandboxDialects,
  startSandbox,
} from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterEach, describe, expect, test } from 'vitest'
import { createJobsClient } from './createJobsClient.js'
import type { JobsClientEvent } from './Logger.js'
import { shareProof } from './test/shareProof.js'

const sandboxes: RunningSandbox[] = []
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()))
})

async function setup(dialect: SandboxDialect) {
  const running = await startSandbox({ port: 0, verificationDelayMs: 20, dialect })
  sandboxes.push(running)
  const events: JobsClientEvent[] = []
  const client = createJobsClient({
    signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
    baseUrl: running.url,
    retry: { baseDelayMs: 20 },
    logger: (event) => events.push(event),
  })
  return { running, client, events }
}

const fast = { verification: { intervalMs: 20, maxIntervalMs: 100 } }

describe.each(sandboxDialects)('dialect %s', (dialect) => {
  test('list, jobs(), run() of a social-share and a workflow job to verified, status()', async () => {
    const { running, client, events } = await setup(dialect)

    const page = await client.listJobs({ limit: 3 })
    expect(page.jobs).toHaveLength(3)
    expect(page.raw).toBeDefined()
    const all: string[] = []
    for await (const job of client.jobs({ pageSize: 4 })) all.push(job.job_id)
    expect(new Set(all).size).toBe(all.length)
    expect(all).toEqual(expect.arrayContaining(running.state().jobs.map((job) => job.job_id)))

    const share = await client.run('job_share_linkedin', shareProof, fast)
    expect(share.error).toBeUndefined()
    expect(share.outcome).toBe('verified')
    expect(share.reservation.trackedUrl).toMatch(
      /^https:\/\/.*utm_campaign=agent_job_job_share_linkedin/,
    )
    expect(share.reservation.deadline).toBeGreaterThan(Date.now())

    const workflow = await client.run(
      'job_workflow_ticket_triage',
      async (reservation, { signal }) => {
        const created = await client.createWorkflow(
          reservation,
          {
            name: 'Ticket triage',
            description: 'Routes tickets',
            nodes: [{ id: 'read' }],
            edges: [],
          },
          { signal },
        )
        const published = await client.publishWorkflow(reservation, created.workflow_id, { signal })
        return { proof_text: 'Published the triage workflow.', workflow_id: published.workflow_id }
      },
      fast,
    )
    expect(workflow.error).toBeUndefined()
    expect(workflow.outcome).toBe('verified')

    const status = await client.status('job_share_linkedin')
    expect(status.submission?.verification.status).toBe('verified')
    // The server's record: one submission per job, both verified.
    const submissions = running.state().submissions
    expect(submissions).toHaveLength(2)
    // Nothing the client read came from a field only the default dialect sends, unnoticed.
    if (dialect === 'minimal' || dialect === 'expires-in-only')
      expect(events).toContainEqual(expect.objectContaining({ type: 'guess', field: 'expires_at' }))
  })
})

test('a taken job under another error code is still a conflict (other-error-codes)', async () => {
  const { running, client } = await setup('other-error-codes')
  const other = createJobsClient({
    signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
    baseUrl: running.url,
  })
  await client.reserve('job_share_x')
  const error = await other.reserve('job_share_x').catch((caught: unknown) => caught)
  expect(error).toMatchObject({
    name: 'ErrorRecovery.JobAlreadyReservedError',
    status: 409,
    errorCode: 'JOB_NOT_AVAILABLE',
    classifiedBy: 'status',
  })
})
