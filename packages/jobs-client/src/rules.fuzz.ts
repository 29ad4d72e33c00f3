/**
 * One rule per value, in message-builder: for any string, every entry point that takes a job id
 * (the message builders, `apiPaths`, the client before it sends anything) accepts it or refuses
 * it alike, and the rule's own verdict decides.
 */

import {
  apiPaths,
  fieldProblem,
  jobReserveMessage,
  jobStatusMessage,
} from '@agentpmt-kit/message-builder'
import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { createJobsClient } from './createJobsClient.js'
import { signer } from './test/fakes.js'

const numRuns = Number(process.env.FC_NUM_RUNS ?? 200)

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

test.prop([jobIds], { numRuns })('every entry point follows the jobId rule', async (jobId) => {
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
})
