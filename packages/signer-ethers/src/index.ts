export { BaseError } from '@agentpmt-kit/canonical-json'
export {
  InvalidMessageError,
  InvalidSignatureError,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
} from '@agentpmt-kit/message-builder'
export { createEthersSigner, type EthersSignerSource } from './createEthersSigner.js'
export { recoverMessageSigner, verifyMessageSignature } from './verify.js'
