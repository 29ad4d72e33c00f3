import { expect, test } from 'vitest'
import * as signerViem from './index.js'

test('public surface', () => {
  expect(Object.keys(signerViem).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "InvalidMessageError",
      "InvalidSignatureError",
      "SignerMismatchError",
      "SigningFailedError",
      "UnsupportedSourceError",
      "createViemSigner",
      "recoverMessageSigner",
      "verifyMessageSignature",
    ]
  `)
})
