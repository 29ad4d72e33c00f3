import type { RetryPolicy } from '@agentpmt-kit/error-recovery'
import type { MessageSigner } from '@agentpmt-kit/message-builder'
import type { Clock } from '../Clock.js'
import type { JobsClientEvent, JobsClientLogger } from '../Logger.js'

/** What every module of the client shares: resolved options of `createJobsClient`. */
export type ClientContext = {
  signer: MessageSigner
  baseUrl: string
  fetch: typeof globalThis.fetch
  retry: RetryPolicy
  clock: Clock
  requestId: () => string
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
