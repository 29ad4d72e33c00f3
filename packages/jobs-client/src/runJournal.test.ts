/**
 * `run()` with a journal: a run of the same job after a crash resumes from what was recorded,
 * and the server's record decides (never a second reservation, never a second submission).
 */
import { createSandboxApp, type SandboxApp } from '@agentpmt-kit/sandbox'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { systemClock } from './Clock.js'
import { createJobsClient, type JobsClient, type JobsClientOptions } from './createJobsClient.js'
import { createMemoryJournal, type Journal, type JournalStep } from './Journal.js'
import type { Reservation } from './Reservation.js'
import { shareProof } from './test/shareProof.js'

const jobId = 'job_share_linkedin'
const fast = { verification: { intervalMs: 10, maxIntervalMs: 50 } }

function setup(): {
  sandbox: SandboxApp
  client: (options?: Partial<JobsClientOptions>) => JobsClient
  journal: Journal
} {
  const sandbox = createSandboxApp({ verificationDelayMs: 10 })
  const signer = createViemSigner(privateKeyToAccount(generatePrivateKey()))
  // Each call is a new process: a new client, the same wallet and the same journal.
  const client = (options: Partial<JobsClientOptions> = {}) =>
    createJobsClient({ signer, baseUrl: 'http://sandbox.local', fetch: sandbox.fetch, ...options })
  return { sandbox, client, journal: createMemoryJournal() }
}

/** What a crashed run left: the entry as `run()` writes it at `step`. */
async function crashedAt(
  step: JournalStep,
  { client, journal }: ReturnType<typeof setup>,
  options: { complete?: boolean } = {},
): Promise<Reservation> {
  const first = client()
  const reservation = await first.reserve(jobId)
  const saved = JSON.parse(JSON.stringify(reservation)) as Record<string, unknown>
  const proof = shareProof(reservation)
  if (options.complete) await first.complete(reservation, proof)
  await journal.write({
    version: 1,
    wallet: first.address,
    jobId,
    step,
    reservation: saved,
    ...(step === 'completing' || step === 'completed' ? { proof: { ...proof } } : {}),
    updatedAt: new Date().toISOString(),
  })
  return reservation
}

test('no entry: reserve, work, complete; the entry is gone after the verdict', async () => {
  const setupResult = setup()
  const { client, journal, sandbox } = setupResult
  const steps: string[] = []
  const recording: Journal = {
    ...journal,
    write: async (entry) => {
      steps.push(entry.step)
      await journal.write(entry)
    },
  }
  const result = await client().run(jobId, shareProof, { ...fast, journal: recording })
  expect(result.outcome).toBe('verified')
  expect(steps).toEqual(['reserving', 'reserved', 'completing', 'completed'])
  expect(await journal.list(client().address)).toEqual([])
  expect(sandbox.state().submissions).toHaveLength(1)
})

test('crashed after reserving: the worker runs again on the held reservation, no second reserve', async () => {
  const context = setup()
  const reservation = await crashedAt('reserved', context)
  let worked = 0
  const result = await context.client().run(
    jobId,
    (held) => {
      worked++
      expect(held.reservation_id).toBe(reservation.reservation_id)
      return shareProof(held)
    },
    { ...fast, journal: context.journal },
  )
  expect(result).toMatchObject({ outcome: 'verified', resumed: true })
  expect(worked).toBe(1)
  expect(context.sandbox.stats().byRoute.reserve).toBe(1)
  expect(context.sandbox.state().submissions).toHaveLength(1)
})

test('crashed while completing, nothing on record: completes with the recorded proof, no worker', async () => {
  const context = setup()
  await crashedAt('completing', context)
  const result = await context.client().run(
    jobId,
    () => {
      throw new Error('the worker must not run again')
    },
    { ...fast, journal: context.journal },
  )
  expect(result).toMatchObject({ outcome: 'verified', resumed: true })
  expect(context.sandbox.state().submissions).toHaveLength(1)
  expect(context.sandbox.stats().byRoute.reserve).toBe(1)
})

test('crashed after the server took the completion: adopts it and follows it to the verdict', async () => {
  for (const step of ['completing', 'completed'] as const) {
    const context = setup()
    await crashedAt(step, context, { complete: true })
    const result = await context.client().run(
      jobId,
      () => {
        throw new Error('the worker must not run again')
      },
      { ...fast, journal: context.journal },
    )
    expect(result.outcome).toBe('verified')
    expect(result.completion?.adopted).toBe(true)
    expect(context.sandbox.stats().byRoute.complete).toBe(1)
    expect(context.sandbox.state().submissions).toHaveLength(1)
  }
})

test('a recorded reservation that expired meanwhile: expired, the entry removed', async () => {
  // By the client's clock (here the sandbox's): nothing is sent.
  const context = setup()
  await crashedAt('reserved', context)
  context.sandbox.advance(31 * 60_000)
  const synced = context.client({
    clock: { now: () => context.sandbox.clock.now(), setTimeout: systemClock.setTimeout },
  })
  const result = await synced.run(jobId, shareProof, { ...fast, journal: context.journal })
  expect(result.outcome).toBe('expired')
  expect(context.sandbox.stats().byRoute.complete ?? 0).toBe(0)
  expect(await context.journal.read(synced.address, jobId)).toBeUndefined()

  // The client's clock behind the server's: the resumed run reads status first, which measures
  // the server's clock, so the saved deadline is read on it and nothing is sent either.
  const behind = setup()
  await crashedAt('reserved', behind)
  behind.sandbox.advance(31 * 60_000)
  const late = await behind.client().run(jobId, shareProof, { ...fast, journal: behind.journal })
  expect(late.outcome).toBe('expired')
  expect(behind.sandbox.stats().byRoute.complete ?? 0).toBe(0)
  expect(behind.sandbox.state().submissions).toHaveLength(0)
})

test('a reservation refused for sure leaves no entry to resume', async () => {
  const context = setup()
  const other = createJobsClient({
    signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
    baseUrl: 'http://sandbox.local',
    fetch: context.sandbox.fetch,
  })
  await other.reserve(jobId)
  const client = context.client()
  await expect(client.run(jobId, shareProof, { journal: context.journal })).rejects.toMatchObject({
    name: 'ErrorRecovery.JobAlreadyReservedError',
  })
  expect(await context.journal.read(client.address, jobId)).toBeUndefined()
})
