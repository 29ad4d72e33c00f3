import { BaseError } from '@agentpmt-kit/canonical-json'
import { isAddress } from '@agentpmt-kit/message-builder'
import { byUpdatedAt, journalJobId, journalWallet } from './internal/journal.js'

/**
 * Where a job of this wallet stands in the loop, as last recorded:
 * - `reserving`: the reserve call may have been sent, its answer is not recorded; a resumed run
 *   reserves again (a wallet asking again for a job it holds gets its reservation back);
 * - `reserved`: the reservation is recorded (`reservation`); a resumed run reads the job's status,
 *   and works on it again unless the server holds a submission or the deadline passed;
 * - `completing`: the proof is recorded (`proof`) and may have been sent; a resumed run reads the
 *   status: it follows a submission the server holds, and otherwise sends the recorded proof;
 * - `completed`: the completion was accepted; a resumed run follows it to its verdict (and, should
 *   the server hold no submission after all, sends the recorded proof again).
 *
 * @example
 * ```ts
 * import type { JournalStep } from '@agentpmt-kit/jobs-client'
 *
 * const step: JournalStep = 'reserved'
 * ```
 */
export type JournalStep = 'reserving' | 'reserved' | 'completing' | 'completed'

/**
 * One record of a {@link Journal}: the last recorded step of one job of one wallet. It never holds
 * a secret: {@link checkJournalEntry} refuses signatures, tokens and private keys.
 *
 * @example
 * ```ts
 * import type { JournalEntry } from '@agentpmt-kit/jobs-client'
 *
 * const entry: JournalEntry = {
 *   version: 1,
 *   wallet: '0x1111111111111111111111111111111111111111',
 *   jobId: 'job_share_linkedin',
 *   step: 'reserving',
 *   updatedAt: new Date().toISOString(),
 * }
 * ```
 */
export type JournalEntry = {
  version: 1
  /** Lower-case wallet address. */
  wallet: string
  jobId: string
  step: JournalStep
  /**
   * The reservation as saved JSON (what `JSON.stringify(reservation)` gives: never a workflow
   * token). Required from the step `reserved` on.
   */
  reservation?: Record<string, unknown> | undefined
  /** The completion proof, recorded before it is sent. Required at the step `completing`. */
  proof?: Record<string, unknown> | undefined
  /** ISO-8601 UTC of this record. */
  updatedAt: string
}

/**
 * Where the job loop records its progress, so that a restarted agent resumes a job instead of
 * reserving it twice or losing a submission. {@link createMemoryJournal} keeps entries for the
 * life of the process; `createFileJournal` from `@agentpmt-kit/jobs-client/file-journal` keeps
 * them on disk, across crashes.
 *
 * Every method takes the wallet in any case (entries hold it in lower case). `write` checks the
 * entry with {@link checkJournalEntry} first and throws {@link JournalEntryError} without
 * recording anything.
 *
 * @example
 * ```ts
 * import { createMemoryJournal, type Journal } from '@agentpmt-kit/jobs-client'
 *
 * const journal: Journal = createMemoryJournal()
 * const wallet = '0x1111111111111111111111111111111111111111'
 * await journal.write({
 *   version: 1,
 *   wallet,
 *   jobId: 'job_1',
 *   step: 'reserving',
 *   updatedAt: new Date().toISOString(),
 * })
 * for (const entry of await journal.list(wallet)) console.log(entry.jobId, entry.step)
 * await journal.remove(wallet, 'job_1')
 * ```
 */
export type Journal = {
  /** The entry of (wallet, jobId), or `undefined` when there is none. */
  read(wallet: string, jobId: string): Promise<JournalEntry | undefined>
  /**
   * Replaces the entry of (wallet, jobId) atomically: after a crash, either the old or the new
   * entry is read, never a torn one.
   */
  write(entry: JournalEntry): Promise<void>
  /** Removes the entry of (wallet, jobId); removing a missing entry does nothing. */
  remove(wallet: string, jobId: string): Promise<void>
  /** Every entry of this wallet (for a resume command), oldest `updatedAt` first. */
  list(wallet: string): Promise<JournalEntry[]>
}

/**
 * A journal in memory: entries live as long as the process, stored and returned as deep copies
 * (changing an entry after `write` or `read` changes nothing recorded). For tests, and for agents
 * that do not need to survive a crash.
 *
 * @example
 * ```ts
 * import { createMemoryJournal } from '@agentpmt-kit/jobs-client'
 *
 * const journal = createMemoryJournal()
 * const entry = await journal.read('0x1111111111111111111111111111111111111111', 'job_1')
 * entry // undefined
 * ```
 */
export function createMemoryJournal(): Journal {
  const wallets = new Map<string, Map<string, JournalEntry>>()
  return {
    async read(wallet, jobId) {
      const key = journalWallet(wallet)
      const id = journalJobId(jobId)
      const entry = wallets.get(key)?.get(id)
      return entry === undefined ? undefined : structuredClone(entry)
    },
    async write(entry) {
      const checked = checkJournalEntry(entry)
      const jobs = wallets.get(checked.wallet) ?? new Map<string, JournalEntry>()
      jobs.set(checked.jobId, structuredClone(checked))
      wallets.set(checked.wallet, jobs)
    },
    async remove(wallet, jobId) {
      const key = journalWallet(wallet)
      const id = journalJobId(jobId)
      const jobs = wallets.get(key)
      jobs?.delete(id)
      if (jobs?.size === 0) wallets.delete(key)
    },
    async list(wallet) {
      const jobs = wallets.get(journalWallet(wallet))
      return [...(jobs?.values() ?? [])].sort(byUpdatedAt).map((entry) => structuredClone(entry))
    },
  }
}

const steps: readonly JournalStep[] = ['reserving', 'reserved', 'completing', 'completed']
const entryKeys = new Set([
  'version',
  'wallet',
  'jobId',
  'step',
  'reservation',
  'proof',
  'updatedAt',
])
const utcDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/
/** Key names that hold a secret, compared in lower case without `_` and `-`. */
const secretKeys = new Set(['signature', 'accesstoken', 'workflowtoken', 'privatekey'])
const privateKeyPattern = /^(?:0x)?[0-9a-fA-F]{64}$/
const signaturePattern = /^(?:0x)?[0-9a-fA-F]{130}$/
const maxDepth = 64

/**
 * Checks that a value is a {@link JournalEntry} that may be recorded, and returns a copy of it that
 * holds only JSON (properties set to `undefined` are left out). Throws {@link JournalEntryError}
 * naming the first field that is wrong:
 * - `version` 1, `wallet` a lower-case address, `jobId` a non-empty string, `step` one of the
 *   {@link JournalStep}s, `updatedAt` an ISO-8601 UTC date-time (`Date.prototype.toISOString`);
 * - `reservation` (required from `reserved` on) and `proof` (required at `completing`) plain JSON
 *   objects; a reservation's `job_id`, when present, is the entry's `jobId`;
 * - no secret at any depth: no key named `signature`, `access_token`, `workflowToken` or
 *   `private_key`/`privateKey` (in any case, with or without `_`/`-`), and no string that looks
 *   like a 32-byte private key (64 hex, with or without `0x`) or a 65-byte signature (130 hex).
 *   A journal is a file on disk: a secret in it outlives the process that needed it.
 *
 * @example
 * ```ts
 * import { checkJournalEntry, JournalEntryError } from '@agentpmt-kit/jobs-client'
 *
 * try {
 *   checkJournalEntry(JSON.parse('{"version":2}'))
 * } catch (error) {
 *   if (error instanceof JournalEntryError) console.log(error.field) // 'version'
 * }
 * ```
 */
export function checkJournalEntry(value: unknown): JournalEntry {
  if (!isPlainObject(value)) throw new JournalEntryError({ field: '', reason: 'must be an object' })
  for (const key of Object.keys(value))
    if (!entryKeys.has(key) && value[key] !== undefined)
      throw new JournalEntryError({ field: key, reason: 'is not a field of a journal entry' })
  const { version, wallet, jobId, step, reservation, proof, updatedAt } = value
  if (version !== 1) throw new JournalEntryError({ field: 'version', reason: 'must be 1' })
  if (!isAddress(wallet) || wallet !== wallet.toLowerCase())
    throw new JournalEntryError({
      field: 'wallet',
      reason: 'must be a lower-case address (0x + 40 hex)',
    })
  if (typeof jobId !== 'string' || jobId === '' || !jobId.isWellFormed())
    throw new JournalEntryError({
      field: 'jobId',
      reason: 'must be a non-empty string without lone surrogates',
    })
  checkString(jobId, 'jobId')
  if (typeof step !== 'string' || !steps.includes(step as JournalStep))
    throw new JournalEntryError({ field: 'step', reason: `must be one of ${steps.join(', ')}` })
  if (typeof updatedAt !== 'string' || !isUtcDateTime(updatedAt))
    throw new JournalEntryError({
      field: 'updatedAt',
      reason: 'must be an ISO-8601 UTC date-time such as 2026-05-17T14:30:00.000Z',
    })
  const entry: JournalEntry = { version, wallet, jobId, step: step as JournalStep, updatedAt }
  if (reservation !== undefined) entry.reservation = copyObject(reservation, 'reservation')
  else if (step !== 'reserving')
    throw new JournalEntryError({ field: 'reservation', reason: `is required at the step ${step}` })
  if (proof !== undefined) entry.proof = copyObject(proof, 'proof')
  else if (step === 'completing')
    throw new JournalEntryError({ field: 'proof', reason: 'is required at the step completing' })
  const reservedJobId = entry.reservation?.job_id
  if (reservedJobId !== undefined && reservedJobId !== jobId)
    throw new JournalEntryError({
      field: 'reservation.job_id',
      reason: 'must be the job id of the entry',
    })
  return entry
}

function copyObject(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value))
    throw new JournalEntryError({ field, reason: 'must be a plain JSON object' })
  return copyJson(value, field, 0, new Set()) as Record<string, unknown>
}

/** A JSON copy of `value`, refusing what JSON cannot hold and every secret. */
function copyJson(value: unknown, field: string, depth: number, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new JournalEntryError({ field, reason: 'must be a finite number' })
    return value
  }
  if (typeof value === 'string') return checkString(value, field)
  if (typeof value !== 'object')
    throw new JournalEntryError({ field, reason: `cannot be a ${typeof value} (JSON only)` })
  if (depth >= maxDepth)
    throw new JournalEntryError({ field, reason: `nests deeper than ${maxDepth} levels` })
  if (ancestors.has(value)) throw new JournalEntryError({ field, reason: 'is a cycle' })
  ancestors.add(value)
  let copy: unknown
  if (Array.isArray(value)) {
    copy = value.map((item, index) => {
      const itemField = `${field}[${index}]`
      if (item === undefined)
        throw new JournalEntryError({ field: itemField, reason: 'cannot be undefined (JSON only)' })
      return copyJson(item, itemField, depth + 1, ancestors)
    })
  } else if (isPlainObject(value)) {
    const object: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const itemField = `${field}.${key}`
      if (secretKeys.has(key.toLowerCase().replace(/[-_]/g, '')))
        throw new JournalEntryError({
          field: itemField,
          reason: 'is a secret (signature, token or private key) and is never recorded',
        })
      if (item !== undefined) object[key] = copyJson(item, itemField, depth + 1, ancestors)
    }
    copy = object
  } else {
    throw new JournalEntryError({ field, reason: 'must be plain JSON (no class instances)' })
  }
  ancestors.delete(value)
  return copy
}

function checkString(value: string, field: string): string {
  const trimmed = value.trim()
  if (privateKeyPattern.test(trimmed) || signaturePattern.test(trimmed))
    throw new JournalEntryError({
      field,
      reason: `looks like a ${trimmed.length >= 130 ? 'signature' : 'private key'} and is never recorded`,
    })
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function isUtcDateTime(value: string): boolean {
  if (!utcDateTime.test(value)) return false
  const time = Date.parse(value)
  // Date.parse rolls 2026-02-30 over into March; a real date prints back as itself.
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 19) === value.slice(0, 19)
}

/**
 * A journal entry that cannot be recorded or was read damaged: `field` names what is wrong (a path
 * such as `reservation.workflow_access.access_token`, or `''` for the whole value) and `file` the
 * journal file it was read from, if any. A secret's value is never repeated in the message.
 *
 * @example
 * ```ts
 * import { JournalEntryError } from '@agentpmt-kit/jobs-client'
 *
 * declare const error: unknown
 * if (error instanceof JournalEntryError) console.log(error.field, error.file)
 * ```
 */
export class JournalEntryError extends BaseError {
  override name = 'JobsClient.JournalEntryError'
  /** The path of the wrong field in the entry; `''` for the entry as a whole. */
  readonly field: string
  /** What is wrong with the field. */
  readonly reason: string
  /** The journal file the entry was read from; `undefined` for an entry being written. */
  readonly file: string | undefined
  constructor({
    field,
    reason,
    file,
    cause,
  }: {
    field: string
    reason: string
    file?: string | undefined
    cause?: unknown
  }) {
    super(
      file === undefined
        ? 'The journal entry cannot be recorded.'
        : `The journal file ${file} is not a valid entry.`,
      {
        details: `${field === '' ? 'the entry' : field} ${reason}`,
        metaMessages:
          file === undefined
            ? undefined
            : [
                'It was truncated or edited by hand. Check the job with client.status(jobId), then delete the file.',
              ],
        docsPath: '/documents/Run_the_job_loop.html#errors',
        cause,
      },
    )
    this.field = field
    this.reason = reason
    this.file = file
  }
}
