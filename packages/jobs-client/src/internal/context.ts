import type { MessageSigner } from '@agentpmt-kit/message-builder'
import type { Transport, WorkflowTokenHeader } from '../exchange.js'
import type { ServerClock } from '../ServerClock.js'

/** What every module of the client shares: resolved options of `createJobsClient`. */
export type ClientContext = Transport & {
  signer: MessageSigner
  /** The server's clock as measured from its answers; shared by every call of the client. */
  serverClock: ServerClock
  /** The header the server took the workflow token in, once known; shared by every call. */
  workflowToken: { header: WorkflowTokenHeader }
  requestId: () => string
  safetyMarginMs: number
  defaultReservationMs: number
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
