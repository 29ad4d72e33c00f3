import { expect, test } from 'vitest'
import * as MessageBuilder from './index.js'

test('public surface', () => {
  expect(Object.keys(MessageBuilder).sort()).toMatchInlineSnapshot(`
    [
      "InvalidMessageFieldError",
      "MessageParseError",
      "acceptedPathCandidates",
      "apiPaths",
      "balanceMessage",
      "buildMessage",
      "canonicalPath",
      "envelopeFields",
      "isIsoDateTime",
      "jobActions",
      "jobCompleteMessage",
      "jobListMessage",
      "jobReserveMessage",
      "jobStatusMessage",
      "messagePrefix",
      "parseMessage",
      "payloadOf",
      "socialPostIssues",
      "toolInvokeMessage",
      "toolInvokePath",
      "workflowTokenHeader",
    ]
  `)
})
