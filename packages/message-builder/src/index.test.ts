import { expect, test } from 'vitest'
import * as MessageBuilder from './index.js'

test('public surface', () => {
  expect(Object.keys(MessageBuilder).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "InvalidMessageError",
      "InvalidMessageFieldError",
      "InvalidSignatureError",
      "MessageParseError",
      "SignerMismatchError",
      "SigningFailedError",
      "UnsupportedSourceError",
      "acceptedPathCandidates",
      "apiPaths",
      "assertSignableMessage",
      "balanceMessage",
      "buildMessage",
      "canonicalPath",
      "createSignatureVerifier",
      "envelopeFields",
      "fieldProblem",
      "isAddress",
      "isIsoDateTime",
      "jobActions",
      "jobCompleteMessage",
      "jobListMessage",
      "jobReserveMessage",
      "jobStatusMessage",
      "messageLines",
      "messagePrefix",
      "parseHttpDate",
      "parseMessage",
      "parseTimestamp",
      "payloadOf",
      "readAddress",
      "readSignature",
      "serializeSignature",
      "socialPostIssues",
      "toMessageSigner",
      "toolInvokeMessage",
      "toolInvokePath",
      "workflowTokenHeader",
    ]
  `)
})
