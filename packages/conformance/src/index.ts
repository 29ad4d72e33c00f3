export { BaseError } from '@agentpmt-kit/canonical-json'
export {
  type Capability,
  type ConformanceCase,
  type ConformanceSuite,
  capabilities,
  findVectorsDir,
  type Judgement,
  loadCases,
  type Mismatch,
  VectorsNotFoundError,
  vectorFiles,
} from './cases.js'
export {
  type CheckClientOptions,
  type ClientReport,
  checkClient,
  clientVariables,
  type ScenarioResult,
} from './checkClient.js'
export {
  type CheckServerOptions,
  checkServer,
  type ServerCheck,
  type ServerCheckGroup,
  type ServerCheckId,
  type ServerReport,
  serverCheckGroups,
} from './checkServer.js'
export { ProbeNetworkError } from './internal/wire.js'
export {
  describeRefusals,
  judgeScenario,
  type Refusal,
  type ScenarioJudgement,
  type ScenarioRecord,
  type Verdict,
  type VerdictStatus,
} from './judgeScenario.js'
export { type ProbeOptions, probe } from './probe.js'
export { probeTranscript } from './probeTranscript.js'
export {
  type ClockSkew,
  type ProbeCheck,
  type ProbeCheckId,
  type ProbeExchange,
  type ProbeGuess,
  type ProbePart,
  type ProbeReport,
  type ProbeVerdict,
  probeCheckIds,
} from './probeTypes.js'
export { type Exchange, type RecordedSandbox, startRecordedSandbox } from './recorder.js'
export { referenceAdapter, serveAdapter } from './referenceAdapter.js'
export { type RunCheck, type RunCheckId, runChecks } from './runChecks.js'
export {
  type CapabilitySummary,
  type CaseResult,
  type Implementation,
  type InProcessAdapter,
  protocolVersion,
  type RunReport,
  type RunVectorsOptions,
  runVectors,
} from './runVectors.js'
export {
  type Behaviour,
  behaviours,
  type Scenario,
  type ScenarioOutcome,
  scenarios,
} from './scenarios.js'
