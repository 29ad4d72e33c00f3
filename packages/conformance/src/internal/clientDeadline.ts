import { createJobsClient, readReserveAnswer } from '@agentpmt-kit/jobs-client'
import { apiPaths, type MessageSigner, parseTimestamp } from '@agentpmt-kit/message-builder'
import type { ClockSkew, ProbeCheck, ProbeExchange } from '../probeTypes.js'
import { formatDuration } from './duration.js'
import { asRecord } from './json.js'
import { hasNoOffset } from './serverClock.js'

/** The reservation window the guides' older version gives, for a reservation not really made. */
const assumedWindowMs = 30 * 60_000
const simulatedJob = 'probe_simulated_job'

/**
 * How the job loop's client (`createJobsClient`) reads a reservation's deadline on this server's
 * clock: the session answer and a reserve answer are replayed to a real client through its
 * `fetch`, their `Date` headers written with the server's measured clock (none when the server
 * sends none), and the reservation it makes is looked at: a signal already aborted is a
 * reservation the loop gives up at once. With `reserve`, the server's own reserve answer is
 * replayed; without, a 30-minute reservation in the form of the session's expiry (`expires_at`
 * as the server writes it, or `expires_in`). Nothing reaches the server.
 */
export async function clientDeadline(input: {
  signer: MessageSigner
  session: ProbeExchange
  /** The server's reserve answer, with `--reserve`. */
  reserve?: { jobId: string; body: unknown } | undefined
  /** The server's clock against ours; `null` when it gave no way to tell. */
  skew: ClockSkew | null
  /** Whether the server's answers carry a `Date` header. */
  sendsDate: boolean
}): Promise<{ status: ProbeCheck['status']; detail: string; deadlineHere?: number | undefined }> {
  const skewMs = input.skew?.skewMs ?? 0
  const serverNow = (): number => Date.now() + skewMs
  const simulated =
    input.reserve === undefined ? simulatedReserve(input.session, serverNow()) : undefined
  if (input.reserve === undefined && simulated === undefined)
    return {
      status: 'not-checked',
      detail:
        'the session gives no expiry: the form of a reservation deadline is unknown without reserve (--reserve)',
    }
  const jobId = input.reserve?.jobId ?? simulatedJob
  const reserveBody = input.reserve?.body ?? simulated
  const headers = (): Record<string, string> => ({
    'content-type': 'application/json',
    ...(input.sendsDate ? { date: new Date(serverNow()).toUTCString() } : {}),
  })
  const replay = async (request: string | URL | Request): Promise<Response> => {
    const url = new URL(request instanceof Request ? request.url : String(request))
    if (url.pathname === apiPaths.session)
      return new Response(input.session.text, { status: 200, headers: headers() })
    if (url.pathname === apiPaths.reserve(jobId))
      return new Response(JSON.stringify(reserveBody), { status: 200, headers: headers() })
    return new Response('{}', { status: 404, headers: headers() })
  }
  const client = createJobsClient({
    signer: input.signer,
    baseUrl: 'http://probe.invalid',
    fetch: replay as typeof fetch,
  })
  let reservation: Awaited<ReturnType<typeof client.reserve>>
  try {
    reservation = await client.reserve(jobId)
  } catch (error) {
    return {
      status: 'not-checked',
      detail: `the client did not read the reservation (${(error as Error).message})`,
    }
  }
  const now = Date.now()
  const clientLeftMs = reservation.deadline - now
  const serverDeadline = readReserveAnswer(reserveBody, { sentAt: serverNow(), jobId }).value
    .expiresAtMs
  const serverLeft =
    serverDeadline === undefined ? 'none' : formatSeconds(serverDeadline - serverNow())
  const clock =
    input.skew === null
      ? "the server's clock unknown: no Date header"
      : `the server's clock ${describeOffset(input.skew.skewMs)}`
  const deadlineHere = reservation.deadline
  const what =
    input.reserve === undefined
      ? `a ${assumedWindowMs / 60_000}-minute reservation in the session's form`
      : 'the reservation'
  if (reservation.signal.aborted)
    return {
      status: 'differs',
      detail: `the client would give ${what} up at once: ${formatSeconds(clientLeftMs)} left by its reading, ${serverLeft} by the server's (${clock})`,
      deadlineHere,
    }
  if (reservation.deadlineSource === 'default')
    return {
      status: 'guessed',
      detail: `no expiry given: the client works to its default deadline, ${formatSeconds(clientLeftMs)} (${clock})`,
      deadlineHere,
    }
  return {
    status: 'found',
    detail: `${formatSeconds(clientLeftMs)} left by the client's reading of ${what}, ${serverLeft} by the server's (${clock})`,
    deadlineHere,
  }
}

/** A reserve answer with a 30-minute deadline in the session's form, or none when it gives none. */
function simulatedReserve(
  session: ProbeExchange,
  serverNow: number,
): Record<string, unknown> | undefined {
  const body = asRecord(session.json)
  const base = { reservation_id: 'probe_simulated_reservation', job_id: simulatedJob }
  const expiresAt = body?.expires_at
  if (typeof expiresAt === 'string' && parseTimestamp(expiresAt) !== undefined) {
    const iso = new Date(serverNow + assumedWindowMs).toISOString()
    return { ...base, expires_at: hasNoOffset(expiresAt) ? iso.replace(/Z$/, '') : iso }
  }
  if (typeof body?.expires_in === 'number') return { ...base, expires_in: assumedWindowMs / 1000 }
  return undefined
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`
}

function describeOffset(skewMs: number): string {
  if (Math.abs(skewMs) < 1500) return "agrees with this machine's"
  return `is ${formatDuration(Math.abs(Math.round(skewMs / 1000) * 1000))} ${skewMs > 0 ? 'ahead of' : 'behind'} this machine's`
}
