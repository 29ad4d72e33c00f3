import { expect, test } from 'vitest'
import { jobListMessage, jobReserveMessage } from './jobMessages.js'
import { apiPaths } from './wire.js'

// What each refusal says (jobMessages.test.ts and wire.test.ts check the field it names); found by
// mutation testing.

const signing = { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' }

/** The short message of what `build` throws. */
function refusal(build: () => unknown): string {
  try {
    build()
  } catch (error) {
    return (error as { shortMessage: string }).shortMessage
  }
  throw new Error('nothing was thrown')
}

test('a page that is not a whole number from 0 says so', () => {
  expect(refusal(() => jobListMessage(signing, { limit: 1.5, skip: 0 }))).toBe(
    'Invalid message field "limit": must be a whole number from 0 up (it is hashed as sent).',
  )
})

test('a job id says what rule it breaks, in a message and in a path', () => {
  expect(refusal(() => jobReserveMessage(signing, '-'))).toBe(
    'Invalid message field "jobId": must not be "-", which stands for no product.',
  )
  expect(refusal(() => apiPaths.workflowPublish('job_1', '..'))).toBe(
    'Invalid message field "workflowId": must not be "." or "..", which a URL resolves into another path.',
  )
})
