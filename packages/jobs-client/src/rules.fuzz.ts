/**
 * One rule per value, in message-builder: for any string, every entry point that takes a job id
 * (the message builders, `apiPaths`, the client before it sends anything, the sandbox's routes)
 * accepts it or refuses it alike, and the rule's own verdict decides. (The CLI takes job ids
 * through the client.)
 */

import {
  apiPaths,
  fieldProblem,
  jobReserveMessage,
  jobStatusMessage,
} from '@agentpmt-kit/message-builder'
import { createSandboxApp } from '@agentpmt-kit/sandbox'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { createJobsClient } from './createJobsClient.js'
import { signer } from './test/fakes.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)
// Each run signs and serves a request: CI's 5,000 runs take about a minute, more on a busy machine.
const propertyTimeoutMs = Math.max(60_000, numRuns * 30)

/** Strings near every edge of the rule, and any others. */
const jobIds = fc.oneof(
  fc.constantFrom(
    '',
    '-',
    '.',
    '..',
    '...',
    'job_1',
    'a\nb',
    'a\rb',
    '\ud800',
    'a/b',
    ' ',
    '%0A',
    '-x',
  ),
  fc.string({ unit: 'grapheme-composite' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('-', '.', '\n', '\r', 'a', '/', '\ud800', '\udc00') }),
)

const signing = {
  wallet: signer.address,
  session: 'nonce',
  request: 'request',
}

function accepts(call: () => unknown): boolean {
  try {
    call()
    return true
  } catch (error) {
    if ((error as Error).name !== 'MessageBuilder.InvalidMessageFieldError') throw error
    return false
  }
}

test.prop([jobIds], { numRuns })(
  'every entry point follows the jobId rule',
  async (jobId) => {
    const expected = fieldProblem('jobId', jobId) === undefined
    expect(accepts(() => jobReserveMessage(signing, jobId))).toBe(expected)
    expect(accepts(() => jobStatusMessage(signing, jobId))).toBe(expected)
    expect(accepts(() => apiPaths.reserve(jobId))).toBe(expected)
    expect(accepts(() => apiPaths.complete(jobId))).toBe(expected)

    let sent = false
    const client = createJobsClient({
      signer,
      baseUrl: 'https://api.example',
      fetch: async () => {
        sent = true
        return new Response('{}', { status: 418 })
      },
      retry: { maxAttempts: 1 },
    })
    const refusal = await client.reserve(jobId).then(
      () => undefined,
      (error: Error) => error,
    )
    const refusedBeforeSending = refusal?.name === 'JobsClient.InvalidArgumentError'
    expect(refusedBeforeSending).toBe(!expected)
    expect(sent).toBe(expected)

    // The sandbox, holding a job of that very id: reserved through the client when the rule
    // accepts the id; a 404 naming no job when it refuses it (and it can be sent at all).
    const sandbox = createSandboxApp({
      seed: 1,
      jobs: [
        {
          jobId,
          jobType: 'social_share',
          title: 'Share',
          rewardCredits: 1,
          platform: 'x',
          targetUrl: 'https://www.agentpmt.com/',
          instructions: 'Post it.',
        },
      ],
    })
    if (expected) {
      const held = createJobsClient({
        signer,
        baseUrl: 'http://sandbox.local',
        fetch: sandbox.fetch,
      })
      expect((await held.reserve(jobId)).job_id).toBe(jobId)
    } else if (jobId.isWellFormed()) {
      const response = await sandbox.fetch(
        `/api/external/jobs/${encodeURIComponent(jobId)}/reserve`,
        {
          method: 'POST',
          body: '{}',
        },
      )
      expect(response.status).toBe(404)
    }
  },
  propertyTimeoutMs,
)
