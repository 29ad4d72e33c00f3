import { expect, test } from 'vitest'
import * as signerEthers from './index.js'

test('public surface', () => {
  expect(Object.keys(signerEthers).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "InvalidMessageError",
      "InvalidSignatureError",
      "SignerMismatchError",
      "SigningFailedError",
      "UnsupportedSourceError",
      "createEthersSigner",
      "recoverMessageSigner",
      "verifyMessageSignature",
    ]
  `)
})
