import { setTimeout as sleep } from 'node:timers/promises'
import { clientVariables } from '@agentpmt-kit/conformance'
import type { CompletionProof } from '@agentpmt-kit/jobs-client'
import type { Context } from '../../../context.js'
import { ExitError } from '../../../exit.js'
import { InputError } from '../../../input.js'
import { signerFromEnv } from '../../../key.js'
import { socialPost } from '../../../proof.js'

// The scenarios run on loopback with deadlines of seconds: a margin of one second is ample there.
const safetyMarginMs = 1_000

/**
 * `agentpmt conformance agent`: the toolkit's jobs-client as a client under test. It runs the job
 * `AGENTPMT_JOB_ID` with `run()`: reserve, work for `AGENTPMT_WORK_MS` (stopped by the
 * reservation's signal), complete with one post at `AGENTPMT_POST_URL`, wait for verification.
 * Exits 0 when the job was verified, 1 otherwise.
 *
 * @example
 * ```ts
 * import { runAgent } from './agent.js'
 *
 * declare const context: Parameters<typeof runAgent>[0]
 * await runAgent(context)
 * ```
 */
export async function runAgent(context: Context): Promise<void> {
  const env = context.env
  const [baseUrl, jobId, postUrl] = [
    clientVariables.baseUrl,
    clientVariables.jobId,
    clientVariables.postUrl,
  ].map((name) => {
    const value = env[name]
    if (value === undefined || value === '') throw new InputError(`${name} is not set.`)
    return value
  }) as [string, string, string]
  const workMs = Number(env[clientVariables.workMs] ?? '0')
  if (!(workMs >= 0)) throw new InputError(`${clientVariables.workMs} must be milliseconds.`)
  const [signer, { createJobsClient }] = await Promise.all([
    signerFromEnv(env),
    import('@agentpmt-kit/jobs-client'),
  ])
  const client = createJobsClient({ signer, baseUrl, safetyMarginMs })
  const result = await client.run(jobId, async (reservation) => {
    // The work: it is stopped when the reservation's safety deadline comes first.
    await sleep(workMs, undefined, { signal: reservation.signal })
    const platform = reservation.platform ?? ''
    return {
      proof_text: `Published one ${platform} post with the tracked link.`,
      social_posts: [socialPost({ platform, trackedUrl: reservation.trackedUrl ?? '', postUrl })],
    } satisfies CompletionProof
  })
  context.stdout.write(`${JSON.stringify({ outcome: result.outcome })}\n`)
  if (result.outcome !== 'verified') throw new ExitError(1, `The job ended ${result.outcome}.`)
}
