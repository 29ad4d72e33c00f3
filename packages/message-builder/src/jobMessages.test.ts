import { expect, test } from 'vitest'
import {
  balanceMessage,
  jobCompleteMessage,
  jobListMessage,
  jobReserveMessage,
  jobStatusMessage,
  toolInvokeMessage,
} from './jobMessages.js'

// Payload hashes computed with Python's json + hashlib (see message.test.ts).
const emptyHash = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
const listHash = '4879729d88891f52ee7d8b54ea2f618e20a75b3817e55e0dbeb84c2bca8f3d93'
const workflowCompletionHash = '3e647bc448eb6bbaa9526c740415b0255333e0a82ce743b1de7880f952b392b6'
const queryHash = '6059a9592619ff9724b5ef39253aefe18aae9c550498264576bdf76f76e15eca'

const signing = { wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', session: 's', request: 'r' }
const scopeAndPayload = (message: string) => message.split('\n').slice(4)

test('job_list hashes { limit, skip }', () => {
  expect(scopeAndPayload(jobListMessage(signing, { limit: 50, skip: 0 }))).toEqual([
    'action:job_list',
    'product:-',
    `payload:${listHash}`,
  ])
})

test('job_reserve and job_status hash {} with the job id as product', () => {
  expect(scopeAndPayload(jobReserveMessage(signing, 'job_7'))).toEqual([
    'action:job_reserve',
    'product:job_7',
    `payload:${emptyHash}`,
  ])
  expect(scopeAndPayload(jobStatusMessage(signing, 'job_7'))).toEqual([
    'action:job_status',
    'product:job_7',
    `payload:${emptyHash}`,
  ])
})

test('job_complete hashes the completion body', () => {
  const completion = {
    reservation_id: 'res_1',
    workflow_id: 'wf_1',
    proof_text: 'Published the workflow.',
  }
  expect(scopeAndPayload(jobCompleteMessage(signing, 'job_7', completion))).toEqual([
    'action:job_complete',
    'product:job_7',
    `payload:${workflowCompletionHash}`,
  ])
})

test('balance has an empty payload line', () => {
  expect(scopeAndPayload(balanceMessage(signing))).toEqual([
    'action:balance',
    'product:-',
    'payload:',
  ])
})

test('tool invoke signs method, path and the parameters hash', () => {
  const message = toolInvokeMessage(signing, {
    path: '/external/tools/web-search/actions/search/invoke',
    parameters: { query: 'agents' },
  })
  expect(scopeAndPayload(message)).toEqual([
    'method:POST',
    'path:/external/tools/web-search/actions/search/invoke',
    `payload:${queryHash}`,
  ])
})

test.each([
  ['limit', undefined],
  ['limit', { skip: 0 }],
  ['limit', { limit: 1.5, skip: 0 }],
  ['skip', { limit: 50, skip: -1 }],
  ['skip', { limit: 50, skip: '0' }],
])('job_list refuses a bad %s: %j', (field, page) => {
  expect(() => jobListMessage(signing, page as never)).toThrowError(
    expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field }),
  )
})

test.each([
  ['reserve', jobReserveMessage],
  ['status', jobStatusMessage],
  ['complete', (signing: never, jobId: never) => jobCompleteMessage(signing, jobId, {})],
] as const)('job_%s refuses a missing job id instead of signing product:-', (_, build) => {
  for (const jobId of [undefined, '', '-'])
    expect(() => build(signing as never, jobId as never)).toThrowError(
      expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field: 'jobId' }),
    )
})

test('job_complete refuses envelope fields in the completion: they are never hashed', () => {
  const completion = { proof_text: 'p', reservation_id: 'res_1', request_id: 'r' }
  expect(() => jobCompleteMessage(signing, 'job_1', completion)).toThrowError(
    expect.objectContaining({ field: 'payload', message: expect.stringContaining('request_id') }),
  )
})
