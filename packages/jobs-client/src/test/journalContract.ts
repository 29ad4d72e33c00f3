import { describe, expect, test } from 'vitest'
import { InvalidArgumentError } from '../arguments.js'
import { type Journal, type JournalEntry, JournalEntryError } from '../Journal.js'

export const walletA = '0x1111111111111111111111111111111111111111'
export const walletB = '0xabcdefabcdefabcdefabcdefabcdefabcdefabcd'
export const checksummedB = '0xABcDEFabCDefABcdEFaBCdeFABCDEFabcdefABCD'

/** What `JSON.stringify(reservation)` gives for a workflow job (the token is not enumerable). */
export function savedReservation(jobId = 'job_1'): Record<string, unknown> {
  return {
    reservation_id: 'res_1',
    job_id: jobId,
    expires_at: '2026-05-17T14:30:00.000Z',
    instructions: 'Build and publish a workflow.',
    job: { job_id: jobId, job_type: 'workflow_creation', title: 'Build', reward_credits: 60 },
    workflow_access: { expires_at: '2026-05-17T14:30:00.000Z' },
    deadline: Date.parse('2026-05-17T14:30:00.000Z'),
  }
}

export function entry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  const jobId = overrides.jobId ?? 'job_1'
  return {
    version: 1,
    wallet: walletA,
    jobId,
    step: 'completing',
    reservation: savedReservation(jobId),
    proof: { proof_text: 'Published the workflow.', workflow_id: 'wf_1' },
    updatedAt: '2026-05-17T14:05:00.000Z',
    ...overrides,
  }
}

/** Job ids that must each get their own entry, whatever the storage does with names. */
export const oddJobIds: readonly string[] = [
  '...',
  '/',
  'a/b',
  '../../etc/passwd',
  'a\\b',
  'C:',
  'job',
  'JOB',
  'Job',
  '%2e',
  '%2E',
  '%',
  'con',
  'NUL',
  'a.json',
  '.hidden',
  ' leading and trailing ',
  '工作 🚀',
  'e\u0301', // e + combining accent
  '\u00e9', // precomposed: another id, another file
  'x'.repeat(150),
  'x'.repeat(151),
  'y'.repeat(256),
  '日'.repeat(60),
]

/** The behaviour every Journal shares; `create` gives a fresh, empty journal. */
export function journalContract(create: () => Journal | Promise<Journal>): void {
  describe('journal contract', () => {
    test('a missing entry reads as undefined; list of an unknown wallet is empty', async () => {
      const journal = await create()
      expect(await journal.read(walletA, 'job_1')).toBeUndefined()
      expect(await journal.list(walletA)).toEqual([])
    })

    test('round trip: write, read, replace, remove', async () => {
      const journal = await create()
      const reserving = entry({ step: 'reserving', reservation: undefined, proof: undefined })
      await journal.write(reserving)
      expect(await journal.read(walletA, 'job_1')).toEqual({
        version: 1,
        wallet: walletA,
        jobId: 'job_1',
        step: 'reserving',
        updatedAt: '2026-05-17T14:05:00.000Z',
      })
      const completing = entry({ updatedAt: '2026-05-17T14:06:00.000Z' })
      await journal.write(completing)
      expect(await journal.read(walletA, 'job_1')).toEqual(completing)
      await journal.remove(walletA, 'job_1')
      expect(await journal.read(walletA, 'job_1')).toBeUndefined()
      await journal.remove(walletA, 'job_1') // a missing entry: nothing to do
      await journal.remove(walletB, 'never_written')
    })

    test('entries are copies: changing one after write or read changes nothing recorded', async () => {
      const journal = await create()
      const written = entry()
      await journal.write(written)
      ;(written.proof as Record<string, unknown>).proof_text = 'changed'
      const read = await journal.read(walletA, 'job_1')
      expect(read?.proof?.proof_text).toBe('Published the workflow.')
      ;(read!.reservation!.job as Record<string, unknown>).title = 'changed'
      expect((await journal.read(walletA, 'job_1'))?.reservation?.job).toMatchObject({
        title: 'Build',
      })
    })

    test('the wallet is taken in any case; entries hold it in lower case', async () => {
      const journal = await create()
      await journal.write(entry({ wallet: walletB }))
      expect((await journal.read(checksummedB, 'job_1'))?.wallet).toBe(walletB)
      expect(await journal.list(checksummedB)).toHaveLength(1)
      await journal.remove(checksummedB, 'job_1')
      expect(await journal.list(walletB)).toEqual([])
      await expect(journal.write(entry({ wallet: checksummedB }))).rejects.toMatchObject({
        name: 'JobsClient.JournalEntryError',
        field: 'wallet',
      })
    })

    test('two wallets are kept apart', async () => {
      const journal = await create()
      await journal.write(entry({ wallet: walletA, proof: { proof_text: 'a', workflow_id: 'a' } }))
      await journal.write(entry({ wallet: walletB, proof: { proof_text: 'b', workflow_id: 'b' } }))
      expect((await journal.read(walletA, 'job_1'))?.proof?.proof_text).toBe('a')
      expect((await journal.read(walletB, 'job_1'))?.proof?.proof_text).toBe('b')
      await journal.remove(walletA, 'job_1')
      expect(await journal.read(walletA, 'job_1')).toBeUndefined()
      expect((await journal.list(walletB)).map((item) => item.proof?.proof_text)).toEqual(['b'])
    })

    test('list gives every entry of the wallet, oldest record first', async () => {
      const journal = await create()
      await journal.write(entry({ jobId: 'job_c', updatedAt: '2026-05-17T14:03:00.000Z' }))
      await journal.write(entry({ jobId: 'job_a', updatedAt: '2026-05-17T14:09:00.000Z' }))
      await journal.write(entry({ jobId: 'job_b', updatedAt: '2026-05-17T14:03:00.000Z' }))
      await journal.write(entry({ wallet: walletB, jobId: 'job_z' }))
      const listed = await journal.list(walletA)
      expect(listed.map((item) => item.jobId)).toEqual(['job_b', 'job_c', 'job_a'])
      expect(listed[0]).toEqual(entry({ jobId: 'job_b', updatedAt: '2026-05-17T14:03:00.000Z' }))
    })

    test('odd job ids each get their own entry', async () => {
      const journal = await create()
      for (const [index, jobId] of oddJobIds.entries())
        await journal.write(
          entry({ jobId, step: 'reserving', reservation: undefined, proof: { index } }),
        )
      for (const [index, jobId] of oddJobIds.entries()) {
        const read = await journal.read(walletA, jobId)
        expect(read?.jobId).toBe(jobId)
        expect(read?.proof).toEqual({ index })
      }
      const listed = await journal.list(walletA)
      expect(listed.map((item) => item.jobId).sort()).toEqual([...oddJobIds].sort())
      for (const jobId of oddJobIds) await journal.remove(walletA, jobId)
      expect(await journal.list(walletA)).toEqual([])
    })

    test('job ids the jobId rule refuses everywhere are refused here too', async () => {
      const journal = await create()
      for (const jobId of ['.', '..', '-', 'line\nbreak', ''])
        await expect(journal.read(walletA, jobId)).rejects.toMatchObject({
          name: 'JobsClient.InvalidArgumentError',
          argument: 'jobId',
        })
    })

    test('a refused write records nothing and keeps the previous entry', async () => {
      const journal = await create()
      await journal.write(entry())
      const secret = entry({ proof: { proof_text: 'x', signature: `0x${'ab'.repeat(65)}` } })
      await expect(journal.write(secret)).rejects.toBeInstanceOf(JournalEntryError)
      expect(await journal.read(walletA, 'job_1')).toEqual(entry())
      await expect(journal.write(entry({ jobId: 'job_2', step: 'nope' as never }))).rejects.toThrow(
        JournalEntryError,
      )
      expect(await journal.read(walletA, 'job_2')).toBeUndefined()
    })

    test('arguments that are not a wallet or a job id are refused', async () => {
      const journal = await create()
      await expect(journal.read('0x123', 'job_1')).rejects.toBeInstanceOf(InvalidArgumentError)
      await expect(journal.list('../etc')).rejects.toBeInstanceOf(InvalidArgumentError)
      await expect(journal.remove(walletA, '')).rejects.toBeInstanceOf(InvalidArgumentError)
      await expect(journal.read(walletA, '\ud800')).rejects.toBeInstanceOf(InvalidArgumentError)
      await expect(journal.read(walletA, 42 as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    })
  })
}
