export {
  balanceMessage,
  jobActions,
  jobCompleteMessage,
  jobListMessage,
  jobReserveMessage,
  jobStatusMessage,
  type Signing,
  toolInvokeMessage,
} from './jobMessages.js'
export {
  type ActionScope,
  buildMessage,
  InvalidMessageFieldError,
  type MessageFields,
  type MessageInput,
  MessageParseError,
  messagePrefix,
  type PathScope,
  parseMessage,
  type Scope,
} from './message.js'
export { acceptedPathCandidates, canonicalPath, toolInvokePath } from './paths.js'
export { type Envelope, envelopeFields, payloadOf } from './payload.js'
export type { Hex, MessageSigner } from './Signer.js'
