import type {
  CompletionProof,
  JobsClient,
  Journal,
  JournalStep,
  Reservation,
} from '@agentpmt-kit/jobs-client'

/**
 * The reservations this server may complete: those it made (kept in memory, with their workflow
 * token) and those its journal holds (a server restarted after making them; restored without the
 * token). Nothing else can be completed through the server, whatever the model asks.
 */
export type ReservationBook = {
  /** The reservation held for `jobId`: from memory, else restored from the journal. */
  held(jobId: string): Promise<Reservation | undefined>
  /** Whether the reservation in memory carries a workflow token (false after a restart). */
  hasToken(jobId: string): boolean
  /** Records that a reserve call may be sent (the journal's `reserving`), unless one is held. */
  reserving(jobId: string): Promise<void>
  /** Drops the `reserving` record of a reserve call the server refused for sure. */
  reserveRefused(jobId: string): Promise<void>
  /** Keeps a new reservation (memory and journal). */
  reserved(reservation: Reservation): Promise<void>
  /** Records a step after `reserved`, with the proof for `completing` and `completed`. */
  step(reservation: Reservation, step: JournalStep, proof?: CompletionProof): Promise<void>
  /** Forgets a job: the reservation lapsed, or its submission reached a final verdict. */
  forget(jobId: string): Promise<void>
  /** Every reservation held, memory and journal, oldest first. */
  list(): Promise<Reservation[]>
}

/** @see {@link ReservationBook} */
export function createReservationBook(client: JobsClient, journal: Journal): ReservationBook {
  const wallet = client.address
  const memory = new Map<string, Reservation>()
  const withToken = new Set<string>()

  const write = (
    jobId: string,
    step: JournalStep,
    reservation?: Reservation,
    proof?: CompletionProof,
  ): Promise<void> =>
    journal.write({
      version: 1,
      wallet,
      jobId,
      step,
      ...(reservation === undefined ? {} : { reservation: savedForm(reservation) }),
      ...(proof === undefined ? {} : { proof: savedForm(proof) }),
      updatedAt: new Date().toISOString(),
    })

  const restore = (saved: Record<string, unknown>): Reservation | undefined => {
    try {
      return client.restoreReservation(saved)
    } catch {
      // An entry that is not a reservation (edited by hand) cannot be completed: it is ignored.
      return undefined
    }
  }

  const held = async (jobId: string): Promise<Reservation | undefined> => {
    const known = memory.get(jobId)
    if (known !== undefined) return known
    const entry = await journal.read(wallet, jobId)
    if (entry?.reservation === undefined) return undefined
    const restored = restore(entry.reservation)
    if (restored !== undefined && restored.job_id === jobId) memory.set(jobId, restored)
    return restored?.job_id === jobId ? restored : undefined
  }

  return {
    held,
    hasToken: (jobId) => withToken.has(jobId),
    async reserving(jobId) {
      const entry = await journal.read(wallet, jobId)
      if (entry?.reservation === undefined) await write(jobId, 'reserving')
    },
    async reserveRefused(jobId) {
      const entry = await journal.read(wallet, jobId)
      if (entry !== undefined && entry.reservation === undefined)
        await journal.remove(wallet, jobId)
    },
    async reserved(reservation) {
      memory.set(reservation.job_id, reservation)
      if (reservation.workflowToken !== undefined) withToken.add(reservation.job_id)
      else withToken.delete(reservation.job_id)
      await write(reservation.job_id, 'reserved', reservation)
    },
    step: (reservation, step, proof) => write(reservation.job_id, step, reservation, proof),
    async forget(jobId) {
      memory.delete(jobId)
      withToken.delete(jobId)
      await journal.remove(wallet, jobId)
    },
    async list() {
      const found = new Map<string, Reservation>()
      for (const entry of await journal.list(wallet)) {
        const reservation = await held(entry.jobId)
        if (reservation !== undefined) found.set(entry.jobId, reservation)
      }
      for (const [jobId, reservation] of memory) found.set(jobId, reservation)
      return [...found.values()]
    },
  }
}

/** The JSON a journal keeps: non-enumerable fields (the workflow token, `raw`) are left out. */
function savedForm(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>
}
