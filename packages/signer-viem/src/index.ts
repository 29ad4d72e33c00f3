export { BaseError } from '@agentpmt-kit/canonical-json'
export {
  InvalidMessageError,
  InvalidSignatureError,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
} from '@agentpmt-kit/message-builder'
export { createViemSigner, type ViemSignerSource } from './createViemSigner.js'
export { recoverMessageSigner, verifyMessageSignature } from './verify.js'
