/**
 * `@agentpmt-kit/jobs-client/file-journal`: the crash-safe journal of `client.run` on disk, for
 * Node.js (one JSON file per wallet and job; write, fsync, rename).
 *
 * @module file-journal
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { InvalidArgumentError } from './arguments.js'
import { byUpdatedAt, journalJobId, journalWallet } from './internal/journal.js'
import { checkJournalEntry, type Journal, type JournalEntry, JournalEntryError } from './Journal.js'

/**
 * Options of {@link createFileJournal}.
 *
 * @example
 * ```ts
 * import type { FileJournalOptions } from '@agentpmt-kit/jobs-client/file-journal'
 *
 * const options: FileJournalOptions = { dir: '.agentpmt/journal' }
 * ```
 */
export type FileJournalOptions = {
  /** The journal's folder; created (mode 0o700) on the first write. Relative to the current directory. */
  dir: string
}

/** Temp files older than this are left over from a crash: no write takes a minute. */
const staleTempMs = 60_000
/** Encoded names longer than this are replaced by a hash (file names stop at 255 bytes). */
const maxEncodedLength = 150

/**
 * A journal on disk that survives crashes (`SIGKILL`, power loss): one JSON file per wallet and
 * job, `<dir>/<wallet>/<job id>.json`. Node.js only.
 *
 * - A write goes to a unique temp file in the same folder, is `fsync`ed, renamed over the entry
 *   and the folder `fsync`ed: a reader sees the old entry or the new one, never a torn one.
 * - Folders are created with mode 0o700 and files with 0o600: entries hold reservations and
 *   proofs (never a secret: `write` refuses them).
 * - A job id becomes a safe file name whatever it holds (`..`, `/`, unicode, any case): every
 *   character but `a-z 0-9 _ -` is percent-encoded as lower-case UTF-8 bytes, and a name longer
 *   than 150 characters is replaced by its SHA-256; the real id stays inside the file.
 * - `read` of a missing entry gives `undefined`; a file that is not a valid entry (truncated,
 *   edited, moved) throws `JournalEntryError` naming the file. Temp files are ignored; those a
 *   crash left in the middle of a write (their writer's process is gone, or they are older than
 *   a minute) are deleted when a wallet's folder is first used, and by every `list`.
 *
 * @example
 * ```ts
 * import { createFileJournal } from '@agentpmt-kit/jobs-client/file-journal'
 *
 * const journal = createFileJournal({ dir: '.agentpmt/journal' })
 * const wallet = '0x1111111111111111111111111111111111111111'
 * for (const entry of await journal.list(wallet)) console.log(entry.jobId, entry.step)
 * ```
 */
export function createFileJournal(options: FileJournalOptions): Journal {
  const { dir } = (options ?? {}) as { dir?: unknown }
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError({ argument: 'dir', reason: 'must be a folder path' })
  // Resolved once: a later process.chdir() must not move the journal.
  const root = resolve(dir)
  // Temp files a killed writer left are removed once per wallet folder, before its first use:
  // a run that only reads and writes (never lists) cleans them too.
  const swept = new Map<string, Promise<void>>()
  const opened = (folder: string): Promise<void> => {
    let sweeping = swept.get(folder)
    if (sweeping === undefined) {
      // Best effort: a folder that cannot be read fails the operation itself, with its cause.
      sweeping = removeOrphanTemps(folder).catch(() => {})
      swept.set(folder, sweeping)
    }
    return sweeping
  }
  const walletDir = async (wallet: unknown): Promise<string> => {
    const folder = join(root, journalWallet(wallet))
    await opened(folder)
    return folder
  }

  return {
    async read(wallet, jobId) {
      const folder = await walletDir(wallet)
      const file = join(folder, entryFileName(journalJobId(jobId)))
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return undefined
        throw error
      }
      return parseEntry(text, file, { wallet: journalWallet(wallet), jobId })
    },

    async write(entry) {
      const checked = checkJournalEntry(entry)
      const folder = await walletDir(checked.wallet)
      const created = await mkdir(folder, { recursive: true, mode: 0o700 })
      // A new folder is an entry of its parent: make it durable too.
      if (created !== undefined) {
        await syncFolder(root)
        if (created !== folder) await syncFolder(dirname(root))
      }
      const target = join(folder, entryFileName(checked.jobId))
      // The writer's pid in the name: a temp file whose writer is gone is an orphan at once.
      const temp = join(folder, `.${process.pid}-${randomBytes(8).toString('hex')}.tmp`)
      try {
        const handle = await open(temp, 'wx', 0o600)
        try {
          await handle.writeFile(`${JSON.stringify(checked, null, 2)}\n`, 'utf8')
          await handle.sync()
        } finally {
          await handle.close()
        }
        await rename(temp, target)
      } catch (error) {
        await unlink(temp).catch(() => {})
        throw error
      }
      await syncFolder(folder)
    },

    async remove(wallet, jobId) {
      const folder = await walletDir(wallet)
      try {
        await unlink(join(folder, entryFileName(journalJobId(jobId))))
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return
        throw error
      }
      await syncFolder(folder)
    },

    async list(wallet) {
      const key = journalWallet(wallet)
      const folder = await walletDir(wallet)
      let names: string[]
      try {
        names = await readdir(folder)
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return []
        throw error
      }
      const entries: JournalEntry[] = []
      for (const name of names) {
        const file = join(folder, name)
        if (isTempFileName(name)) {
          await removeIfOrphan(folder, name)
          continue
        }
        if (name.startsWith('.') || !name.endsWith('.json')) continue
        let text: string
        try {
          text = await readFile(file, 'utf8')
        } catch (error) {
          // Removed since readdir, or not a file: not an entry.
          const code = errorCode(error)
          if (code === 'ENOENT' || code === 'EISDIR') continue
          throw error
        }
        const entry = parseEntry(text, file, { wallet: key })
        if (entryFileName(entry.jobId) !== name)
          throw new JournalEntryError({
            field: 'jobId',
            reason: 'does not match the file name (was the file renamed or copied?)',
            file,
          })
        entries.push(entry)
      }
      return entries.sort(byUpdatedAt)
    },
  }
}

/**
 * The file name of a job's entry. Only `a-z 0-9 _ -` are kept, everything else (upper case too,
 * for case-insensitive file systems; `.` and `%` too, so no name is `.`, `..` or hidden) becomes
 * `%` and two lower-case hex digits per UTF-8 byte: a name decodes to exactly one id. Windows device
 * names (`con`, `nul`, ...) get their first letter encoded. A long name becomes `<sha256>.sha256`,
 * which no encoded name can be (they hold no `.`).
 */
function entryFileName(jobId: string): string {
  let encoded = ''
  for (const byte of new TextEncoder().encode(jobId))
    encoded += isKept(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`
  if (/^(?:con|prn|aux|nul|com\d|lpt\d)$/.test(encoded))
    encoded = `%${encoded.charCodeAt(0).toString(16)}${encoded.slice(1)}`
  if (encoded.length > maxEncodedLength)
    return `${createHash('sha256').update(jobId, 'utf8').digest('hex')}.sha256.json`
  return `${encoded}.json`
}

function isKept(byte: number): boolean {
  return (
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x5f || // _
    byte === 0x2d // -
  )
}

/** `.<pid>-<16 hex>.tmp`, or `.<16 hex>.tmp` as written before the pid was in the name. */
const tempFileName = /^\.(?:(\d+)-)?[0-9a-f]{16}\.tmp$/

function isTempFileName(name: string): boolean {
  return tempFileName.test(name)
}

function parseEntry(
  text: string,
  file: string,
  expected: { wallet: string; jobId?: string },
): JournalEntry {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new JournalEntryError({ field: '', reason: 'is not JSON', file, cause })
  }
  let entry: JournalEntry
  try {
    entry = checkJournalEntry(value)
  } catch (error) {
    if (error instanceof JournalEntryError)
      throw new JournalEntryError({
        field: error.field,
        reason: error.reason,
        file,
      })
    throw error
  }
  if (entry.wallet !== expected.wallet)
    throw new JournalEntryError({ field: 'wallet', reason: 'is not the folder wallet', file })
  if (expected.jobId !== undefined && entry.jobId !== expected.jobId)
    throw new JournalEntryError({ field: 'jobId', reason: 'is not the job id of this file', file })
  return entry
}

/** Removes the orphan temp files of a wallet folder (see {@link removeIfOrphan}). */
async function removeOrphanTemps(folder: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(folder)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return
    throw error
  }
  for (const name of names) if (isTempFileName(name)) await removeIfOrphan(folder, name)
}

/**
 * Removes a temp file that no write will rename any more: its writer (the pid in its name) is
 * gone, or it is older than a minute (a writer on another machine, a pid reused, an old name).
 * A write in progress in another process on this machine is left alone.
 */
async function removeIfOrphan(folder: string, name: string): Promise<void> {
  const file = join(folder, name)
  const pid = Number(tempFileName.exec(name)?.[1] ?? Number.NaN)
  try {
    if (Number.isSafeInteger(pid) && pid !== process.pid && !isRunning(pid)) await unlink(file)
    else if (Date.now() - (await stat(file)).mtimeMs > staleTempMs) await unlink(file)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error
  }
}

/** Whether a process with this pid runs on this machine (signal 0 checks, sends nothing). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return errorCode(error) === 'EPERM'
  }
}

/** Makes a folder's entries (a rename, a new file, a removal) durable. */
async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch (error) {
    // Windows cannot open or fsync a folder; its renames are journaled by NTFS.
    const code = errorCode(error)
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error
  } finally {
    await handle?.close()
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined
}
