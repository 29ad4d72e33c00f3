export {
  createEthersSigner,
  type EthersSignerSource,
  SignerMismatchError,
  SigningFailedError,
  UnsupportedSourceError,
} from './createEthersSigner.js'
export {
  InvalidMessageError,
  InvalidSignatureError,
  recoverMessageSigner,
  verifyMessageSignature,
} from './verify.js'
