export { BaseError } from '@agentpmt-kit/canonical-json'
export { createClock, type SandboxClock } from './clock.js'
export {
  createFaultProxy,
  type FaultKind,
  type FaultProxyFetch,
  type FaultProxyOptions,
  type FaultProxyStats,
  type FetchFunction,
  faultKinds,
} from './createFaultProxy.js'
export {
  createSandboxApp,
  type SandboxApp,
  type SandboxControls,
  type SandboxStats,
} from './createSandboxApp.js'
export {
  type SandboxDialect,
  sandboxDialects,
  UnknownDialectError,
} from './dialects.js'
export type { ErrorReply } from './errorBody.js'
export {
  createFaults,
  type FaultController,
  type FaultDecision,
  type FaultRule,
  type InjectedRefusal,
  type RouteName,
} from './faults.js'
export {
  type SandboxAppOptions,
  type SandboxOptions,
  type SandboxRequestLog,
  sandboxDefaults,
} from './options.js'
export { createRandom, type SandboxRandom } from './random.js'
export { defaultJobs, type SandboxJob, type VerificationOutcome } from './seedJobs.js'
export { PortInUseError, type RunningSandbox, startSandbox } from './startSandbox.js'
export {
  createStore,
  type ReservationRecord,
  type SandboxStore,
  type StoreResult,
  type StoreSettings,
  type StoreSnapshot,
  type SubmissionRecord,
  type WorkflowRecord,
} from './store.js'
export { defaultTools, type SandboxTool } from './tools.js'
export { verificationAt } from './verificationTimeline.js'
export {
  type RecoverSigner,
  type SessionRecord,
  type SignatureCheck,
  type SignatureVerdict,
  type SignedScope,
  verifySignature,
} from './verifySignature.js'
