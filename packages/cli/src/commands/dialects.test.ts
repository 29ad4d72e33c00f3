import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sandboxDialects, startSandbox } from '@agentpmt-kit/sandbox'
import { Wallet } from 'ethers'
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, runCli, tempDir } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

const dir = tempDir()
const workflowFile = join(dir, 'workflow.json')
writeFileSync(
  workflowFile,
  JSON.stringify({
    name: 'Ticket triage',
    description: 'Reads a ticket, classifies its urgency, routes it.',
    nodes: [
      { id: 'trigger', type: 'trigger', config: { event: 'ticket.created' } },
      { id: 'route', type: 'router', config: { field: 'urgency' } },
    ],
    edges: [{ from: 'trigger', to: 'route' }],
  }),
)

const defaultJobIds = [
  'job_share_linkedin',
  'job_share_x',
  'job_share_reddit',
  'job_share_facebook',
  'job_share_bluesky',
  'job_workflow_ticket_triage',
  'job_workflow_invoice_digest',
]

// Each dialect has its own sandbox, wallet and state folder, so they run side by side.
describe.concurrent('the built CLI against every sandbox dialect', () => {
  for (const dialect of sandboxDialects)
    test(`${dialect}: jobs list, a social share and a workflow job run to verified`, async () => {
      const sandbox = await startSandbox({ dialect, verificationDelayMs: 20 })
      const env = {
        AGENTPMT_PRIVATE_KEY: Wallet.createRandom().privateKey,
        // Where jobs run keeps its journal: never the developer's own state folder.
        AGENTPMT_STATE_DIR: join(dir, `state-${dialect}`),
        XDG_STATE_HOME: join(dir, `xdg-${dialect}`),
      }
      const jobs = (args: readonly string[]) =>
        runCli(['jobs', ...args, '--base-url', sandbox.url, '--json'], { env, timeoutMs: 90_000 })
      try {
        const list = await jobs(['list'])
        expect(list.code, list.stderr).toBe(0)
        const page = JSON.parse(list.stdout) as { jobs: { job_id: unknown }[] }
        expect(page.jobs.map((job) => job.job_id)).toEqual(defaultJobIds)

        const share = await jobs([
          'run',
          'job_share_linkedin',
          '--post-url',
          'https://www.linkedin.com/feed/update/urn:li:activity:1',
        ])
        expect(share.code, share.stderr).toBe(0)
        const shared = JSON.parse(share.stdout)
        expect(shared.outcome).toBe('verified')
        expect(shared.status.submission.verification.status).toBe('verified')

        const workflow = await jobs([
          'run',
          'job_workflow_ticket_triage',
          '--workflow',
          workflowFile,
        ])
        expect(workflow.code, workflow.stderr).toBe(0)
        expect(JSON.parse(workflow.stdout).outcome).toBe('verified')

        // The sandbox's own record agrees: one verified submission per job, both published.
        const state = sandbox.state()
        expect(
          state.submissions.map((submission) => [submission.jobId, submission.verification]),
        ).toEqual([
          ['job_share_linkedin', 'verified'],
          ['job_workflow_ticket_triage', 'verified'],
        ])
        expect(state.workflows.map((item) => [item.jobId, item.status])).toEqual([
          ['job_workflow_ticket_triage', 'published'],
        ])
      } finally {
        await sandbox.close()
      }
    })
})
