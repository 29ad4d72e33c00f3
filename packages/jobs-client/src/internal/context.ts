import type { RetryPolicy } from '@agentpmt-kit/error-recovery'
import type { MessageSigner } from '@agentpmt-kit/message-builder'
import type { Clock } from '../Clock.js'
import type { JobsClientEvent, JobsClientLogger } from '../Logger.js'
import type { ServerClock } from '../ServerClock.js'

/** The headers a workflow token may travel in: the jobs guides' and AgentPMT's agent skill's. */
export type WorkflowTokenHeader = 'X-Job-Workflow-Token' | 'Authorization'

/** What every module of the client shares: resolved options of `createJobsClient`. */
export type ClientContext = {
  signer: MessageSigner
  baseUrl: string
  fetch: typeof globalThis.fetch
  retry: RetryPolicy
  clock: Clock
  /** The server's clock as measured from its answers; shared by every call of the client. */
  serverClock: ServerClock
  /** The header the server took the workflow token in, once known; shared by every call. */
  workflowToken: { header: WorkflowTokenHeader }
  requestId: () => string
  /** Patterns of the `secrets` option: a request holding one is refused before it is sent. */
  secrets?: readonly RegExp[] | undefined
  safetyMarginMs: number
  timeoutMs: number
  maxResponseBytes: number
  defaultReservationMs: number
  log: (event: JobsClientEvent) => void
}

/** Logs each guess a reader made, as a `guess` event. */
export function logNotes(
  context: ClientContext,
  path: string,
  notes: readonly { field: string; guess: string }[],
): void {
  for (const note of notes)
    context.log({ type: 'guess', path, field: note.field, guess: note.guess })
}

/** Wraps the user's logger so that a throwing logger never breaks a request. */
export function safeLogger(logger: JobsClientLogger | undefined): (event: JobsClientEvent) => void {
  if (logger === undefined) return () => {}
  return (event) => {
    try {
      logger(event)
    } catch {}
  }
}
