import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { InvalidArgumentError } from './arguments.js'
import { createFileJournal } from './fileJournal.js'
import { JournalEntryError } from './Journal.js'
import { entry, journalContract, walletA, walletB } from './test/journalContract.js'

const folders: string[] = []
async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'agentpmt-journal-'))
  folders.push(folder)
  return folder
}
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

journalContract(async () => createFileJournal({ dir: join(await tempFolder(), 'journal') }))

const posix = process.platform !== 'win32'

describe('files', () => {
  test('one JSON file per wallet and job, readable by a person', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    await journal.write(entry())
    await journal.write(entry({ wallet: walletB, jobId: 'Job.2' }))
    expect((await readdir(dir)).sort()).toEqual([walletA, walletB])
    expect(await readdir(join(dir, walletA))).toEqual(['job_1.json'])
    expect(await readdir(join(dir, walletB))).toEqual(['%4aob%2e2.json'])
    const text = await readFile(join(dir, walletA, 'job_1.json'), 'utf8')
    expect(JSON.parse(text)).toEqual(entry())
    expect(text.endsWith('}\n')).toBe(true)
  })

  test('odd job ids become safe names inside the wallet folder', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    const ids = ['..', '.', '/', '../../x', 'CON', 'nul', '%41', '工作', 'A', 'a']
    for (const jobId of ids)
      await journal.write(
        entry({ jobId, step: 'reserving', reservation: undefined, proof: undefined }),
      )
    expect(await readdir(dir)).toEqual([walletA])
    expect((await readdir(join(dir, walletA))).sort()).toMatchInlineSnapshot(`
      [
        "%2541.json",
        "%2e%2e%2f%2e%2e%2fx.json",
        "%2e%2e.json",
        "%2e.json",
        "%2f.json",
        "%41.json",
        "%43%4f%4e.json",
        "%6eul.json",
        "%e5%b7%a5%e4%bd%9c.json",
        "a.json",
      ]
    `)
  })

  test('a long job id is hashed; the real id stays inside the file', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    const jobId = 'j'.repeat(256)
    await journal.write(entry({ jobId }))
    const name = `${createHash('sha256').update(jobId).digest('hex')}.sha256.json`
    expect(await readdir(join(dir, walletA))).toEqual([name])
    expect(JSON.parse(await readFile(join(dir, walletA, name), 'utf8')).jobId).toBe(jobId)
    expect((await journal.read(walletA, jobId))?.jobId).toBe(jobId)
    expect((await journal.list(walletA)).map((item) => item.jobId)).toEqual([jobId])
    // 150 encoded characters still fit; one more is hashed.
    await journal.write(entry({ jobId: 'k'.repeat(150) }))
    await journal.write(entry({ jobId: 'k'.repeat(151) }))
    const names = await readdir(join(dir, walletA))
    expect(names).toContain(`${'k'.repeat(150)}.json`)
    expect(names.filter((item) => item.endsWith('.sha256.json'))).toHaveLength(2)
  })

  test.runIf(posix)('folders are created 0o700, files 0o600', async () => {
    const dir = join(await tempFolder(), 'nested', 'journal')
    const journal = createFileJournal({ dir })
    await journal.write(entry())
    await journal.write(entry({ step: 'completed' })) // a replaced file keeps the mode
    expect((await stat(join(dir, '..'))).mode & 0o777).toBe(0o700)
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, walletA))).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, walletA, 'job_1.json'))).mode & 0o777).toBe(0o600)
  })

  test('a relative dir is resolved once, when the journal is made', async () => {
    const dir = await tempFolder()
    const cwd = process.cwd()
    process.chdir(dir)
    let journal: ReturnType<typeof createFileJournal>
    try {
      journal = createFileJournal({ dir: 'journal' })
    } finally {
      process.chdir(cwd)
    }
    await journal.write(entry())
    expect(await readdir(join(dir, 'journal'))).toEqual([walletA])
  })

  test('options that are not a folder are refused', () => {
    expect(() => createFileJournal({ dir: '' })).toThrow(InvalidArgumentError)
    expect(() => createFileJournal(undefined as never)).toThrow(InvalidArgumentError)
    expect(() => createFileJournal({ dir: 7 as never })).toThrow(InvalidArgumentError)
  })
})

describe('crash safety', () => {
  test('a temp file left by a crash before the rename is ignored; the old entry is read', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    await journal.write(entry({ step: 'reserved', proof: undefined }))
    // The process died while writing the next entry: half of it in a temp file, never renamed.
    const next = JSON.stringify(entry({ step: 'completing' }))
    await writeFile(join(dir, walletA, '.0123456789abcdef.tmp'), next.slice(0, next.length / 2))
    expect((await journal.read(walletA, 'job_1'))?.step).toBe('reserved')
    expect((await journal.list(walletA)).map((item) => item.step)).toEqual(['reserved'])
  })

  test('list removes temp files older than a minute, and keeps a write in progress', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    await journal.write(entry())
    const stale = join(dir, walletA, '.aaaaaaaaaaaaaaaa.tmp')
    const fresh = join(dir, walletA, '.bbbbbbbbbbbbbbbb.tmp')
    await writeFile(stale, '{"version":1,')
    await writeFile(fresh, '{"version":1,')
    const twoMinutesAgo = new Date(Date.now() - 120_000)
    await utimes(stale, twoMinutesAgo, twoMinutesAgo)
    expect(await journal.list(walletA)).toHaveLength(1)
    expect((await readdir(join(dir, walletA))).sort()).toEqual([
      '.bbbbbbbbbbbbbbbb.tmp',
      'job_1.json',
    ])
  })

  test('temp files a killed writer left are removed when a wallet folder is first used', async () => {
    const dir = join(await tempFolder(), 'journal')
    await createFileJournal({ dir }).write(entry({ step: 'reserved', proof: undefined }))
    // A writer killed between its write and its rename: its process is gone.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!
    const orphan = join(dir, walletA, `.${dead}-aaaaaaaaaaaaaaaa.tmp`)
    // A write in progress in a process that runs (this one), and an old one of the old naming.
    const inProgress = join(dir, walletA, `.${process.pid}-bbbbbbbbbbbbbbbb.tmp`)
    const old = join(dir, walletA, '.cccccccccccccccc.tmp')
    for (const file of [orphan, inProgress, old]) await writeFile(file, '{"version":1,')
    const twoMinutesAgo = new Date(Date.now() - 120_000)
    await utimes(old, twoMinutesAgo, twoMinutesAgo)
    // A new journal (a restarted process) that only reads, as `jobs run` does.
    expect((await createFileJournal({ dir }).read(walletA, 'job_1'))?.step).toBe('reserved')
    expect((await readdir(join(dir, walletA))).sort()).toEqual([
      `.${process.pid}-bbbbbbbbbbbbbbbb.tmp`,
      'job_1.json',
    ])
    // A write cleans too, and a folder that is not there yet is no error.
    const fresh = createFileJournal({ dir })
    await writeFile(orphan, '{"version":1,')
    await fresh.write(entry({ step: 'completing' }))
    expect(await readdir(join(dir, walletA))).not.toContain(`.${dead}-aaaaaaaaaaaaaaaa.tmp`)
    expect(await createFileJournal({ dir }).read(walletB, 'job_1')).toBeUndefined()
  })

  test('concurrent writes of one entry: every read sees one whole entry, never a torn one', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    const big = 'x'.repeat(64 * 1024) // larger than one write() of most systems' pipes and pages
    const written = Array.from({ length: 40 }, (_, index) =>
      entry({ proof: { proof_text: `proof ${index}`, workflow_id: `wf_${index}`, padding: big } }),
    )
    await journal.write(written[0]!)
    let reads = 0
    let writing = true
    const reader = (async () => {
      while (writing) {
        const read = await journal.read(walletA, 'job_1')
        expect(written).toContainEqual(read)
        reads++
      }
    })()
    await Promise.all(written.map((item) => journal.write(item)))
    writing = false
    await reader
    expect(reads).toBeGreaterThan(0)
    expect(written).toContainEqual(await journal.read(walletA, 'job_1'))
    // Every temp file was renamed: nothing is left behind.
    expect(await readdir(join(dir, walletA))).toEqual(['job_1.json'])
  })

  test('concurrent writes of many jobs: each is whole, list sees them all', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    const written = Array.from({ length: 50 }, (_, index) =>
      entry({ jobId: `job_${index}`, proof: { proof_text: `p${index}`, workflow_id: 'wf' } }),
    )
    await Promise.all([
      ...written.map((item) => journal.write(item)),
      ...written.map((item) => journal.write(item)),
    ])
    const listed = await journal.list(walletA)
    expect(listed).toHaveLength(50)
    for (const item of written) expect(await journal.read(walletA, item.jobId)).toEqual(item)
  })

  test('a write that fails leaves no temp file and keeps the old entry', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    await mkdir(join(dir, walletA, 'job_2.json'), { recursive: true }) // rename onto a folder fails
    await expect(journal.write(entry({ jobId: 'job_2' }))).rejects.toMatchObject({
      code: expect.stringMatching(/^E/),
    })
    expect(await readdir(join(dir, walletA))).toEqual(['job_2.json'])
  })
})

describe('damaged files', () => {
  async function damaged(damage: (file: string) => Promise<void>) {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    await journal.write(entry())
    const file = join(dir, walletA, 'job_1.json')
    await damage(file)
    const error = await journal.read(walletA, 'job_1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(JournalEntryError)
    expect((error as JournalEntryError).file).toBe(file)
    expect((error as JournalEntryError).message).toContain(file)
    // list refuses it too, rather than leaving a job out of a resume.
    await expect(journal.list(walletA)).rejects.toMatchObject({ file })
    return error as JournalEntryError
  }

  test('truncated', async () => {
    const error = await damaged(async (file) => truncate(file, 20))
    expect(error.field).toBe('')
    expect(error.reason).toBe('is not JSON')
  })

  test('empty', async () => {
    expect((await damaged(async (file) => truncate(file, 0))).reason).toBe('is not JSON')
  })

  test('edited: a step that does not exist', async () => {
    const error = await damaged(async (file) => {
      const value = JSON.parse(await readFile(file, 'utf8'))
      await writeFile(file, JSON.stringify({ ...value, step: 'done' }))
    })
    expect(error.field).toBe('step')
  })

  test('edited: a secret added by hand', async () => {
    const error = await damaged(async (file) => {
      const value = JSON.parse(await readFile(file, 'utf8'))
      await writeFile(file, JSON.stringify({ ...value, proof: { ...value.proof, signature: 's' } }))
    })
    expect(error.field).toBe('proof.signature')
  })

  test('copied from another job', async () => {
    const error = await damaged(async (file) => {
      const value = JSON.parse(await readFile(file, 'utf8'))
      const reservation = { ...value.reservation, job_id: 'job_9' }
      await writeFile(file, JSON.stringify({ ...value, jobId: 'job_9', reservation }))
    })
    expect(error.field).toBe('jobId')
  })

  test('moved from another wallet', async () => {
    const error = await damaged(async (file) => {
      const value = JSON.parse(await readFile(file, 'utf8'))
      await writeFile(file, JSON.stringify({ ...value, wallet: walletB }))
    })
    expect(error.field).toBe('wallet')
  })

  test('files that are not entries are left alone', async () => {
    const dir = join(await tempFolder(), 'journal')
    const journal = createFileJournal({ dir })
    await journal.write(entry())
    await writeFile(join(dir, walletA, 'notes.txt'), 'hello')
    await writeFile(join(dir, walletA, '.DS_Store'), '')
    await mkdir(join(dir, walletA, 'sub'))
    expect((await journal.list(walletA)).map((item) => item.jobId)).toEqual(['job_1'])
  })
})
