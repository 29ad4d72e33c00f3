export {
  createViemSigner,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
  type ViemSignerSource,
} from './createViemSigner.js'
export {
  InvalidMessageError,
  InvalidSignatureError,
  recoverMessageSigner,
  verifyMessageSignature,
} from './verify.js'
