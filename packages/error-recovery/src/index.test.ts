import { expect, test } from 'vitest'
import * as errorRecovery from './index.js'

test('the public surface', () => {
  expect(Object.keys(errorRecovery).sort()).toMatchInlineSnapshot(`
    [
      "ApiError",
      "BaseError",
      "ConflictError",
      "CreditsInsufficientError",
      "ForbiddenError",
      "InternalServerError",
      "JobAlreadyReservedError",
      "JobAlreadySubmittedError",
      "NetworkError",
      "NotFoundError",
      "PayloadTooLargeError",
      "ProofInvalidError",
      "RateLimitedError",
      "RequestAbortedError",
      "RequestInvalidError",
      "RequestReplayError",
      "ReservationExpiredError",
      "ServiceUnavailableError",
      "SessionNonceExpiredError",
      "SessionNonceInvalidError",
      "SignatureError",
      "SignatureMalformedError",
      "TimeoutError",
      "TransportError",
      "UnknownApiError",
      "UnknownAuthError",
      "WalletMismatchError",
      "createRetryBudget",
      "diagnoseCanonicalJson",
      "diagnoseSignature",
      "errorCodes",
      "parseApiError",
      "parseRetryAfter",
      "payloadHashHypotheses",
      "recoveryFor",
      "redactText",
      "retryPolicy",
      "toTransportError",
    ]
  `)
})
