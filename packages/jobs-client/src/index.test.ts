import { expect, test } from 'vitest'
import * as jobsClient from './index.js'

test('public surface', () => {
  expect(Object.keys(jobsClient).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "CompletionAlreadySentError",
      "CompletionUnknownError",
      "InvalidArgumentError",
      "InvalidResponseError",
      "JournalEntryError",
      "NoSubmissionError",
      "ProofCheckError",
      "ReservationDeadlineError",
      "ResponseTooLargeError",
      "SecretInRequestError",
      "SignatureRejectedError",
      "WorkflowTokenMissingError",
      "checkJournalEntry",
      "checkProof",
      "createJobsClient",
      "createMemoryJournal",
      "exchange",
      "findSecret",
      "parseTimestamp",
      "readCompleteAnswer",
      "readListAnswer",
      "readReserveAnswer",
      "readSessionAnswer",
      "readStatusAnswer",
      "readWorkflowAnswer",
      "secretPattern",
      "systemClock",
    ]
  `)
})

test('every error is a BaseError named JobsClient.<Name>', async () => {
  const { BaseError } = await import('@agentpmt-kit/canonical-json')
  const { parseApiError } = await import('@agentpmt-kit/error-recovery')
  const apiError = parseApiError(409, { error_code: 'EXTERNAL_SIGNATURE_REQUEST_REPLAY' })
  const errors = [
    new jobsClient.CompletionAlreadySentError({ reservationId: 'r', reason: 'in-progress' }),
    new jobsClient.CompletionUnknownError({ reservation: {} as never, cause: apiError }),
    new jobsClient.InvalidArgumentError({ argument: 'jobId', reason: 'r' }),
    new jobsClient.InvalidResponseError({ path: '/p', field: 'f', expected: 'e', raw: null }),
    new jobsClient.JournalEntryError({ field: 'step', reason: 'r' } as never),
    new jobsClient.ResponseTooLargeError({ path: '/p', maxBytes: 1 }),
    new jobsClient.NoSubmissionError({ jobId: 'j' }),
    new jobsClient.ProofCheckError({ issues: [{ path: 'p', reason: 'r' }] }),
    new jobsClient.ReservationDeadlineError({ reservationId: 'r' }),
    new jobsClient.SecretInRequestError({ field: 'path' }),
    new jobsClient.SignatureRejectedError({
      diagnosis: { problems: [], findings: [], summary: 's' },
      cause: apiError,
    }),
    new jobsClient.WorkflowTokenMissingError({ reservationId: 'r' }),
  ]
  // BaseError is canonical-json's, re-exported so that users import it from any package.
  expect(jobsClient.BaseError).toBe(BaseError)
  const exported = Object.keys(jobsClient).filter(
    (name) => name.endsWith('Error') && name !== 'BaseError',
  )
  expect(errors.map((error) => error.name.replace('JobsClient.', '')).sort()).toEqual(
    exported.sort(),
  )
  for (const error of errors) {
    expect(error).toBeInstanceOf(BaseError)
    expect(error.docsPath).toMatch(
      /^\/documents\/(Run_the_job_loop\.html#|What_the_client_needs_from_a_server\.html)/,
    )
  }
})
