import { BaseError } from '@agentpmt-kit/canonical-json'
import { describe, expect, test } from 'vitest'
import { checkJournalEntry, createMemoryJournal, JournalEntryError } from './Journal.js'
import { entry, journalContract, savedReservation, walletA } from './test/journalContract.js'

journalContract(() => createMemoryJournal())

/** The field a value is refused at, or 'accepted'. */
function refusedAt(value: unknown): string {
  try {
    checkJournalEntry(value)
    return 'accepted'
  } catch (error) {
    if (!(error instanceof JournalEntryError)) throw error
    return error.field
  }
}

describe('checkJournalEntry', () => {
  test('returns a JSON copy of a valid entry, without undefined properties', () => {
    const value = {
      ...entry(),
      proof: { proof_text: 'p', workflow_id: 'wf', social_posts: undefined },
    }
    const checked = checkJournalEntry(value)
    expect(checked).not.toBe(value)
    expect(checked.proof).toEqual({ proof_text: 'p', workflow_id: 'wf' })
    expect(Object.keys(checked.proof!)).toEqual(['proof_text', 'workflow_id'])
    expect(checkJournalEntry(JSON.parse(JSON.stringify(checked)))).toEqual(checked)
    expect(
      checkJournalEntry({
        ...entry({ step: 'reserving' }),
        reservation: undefined,
        proof: undefined,
      }),
    ).toEqual({
      version: 1,
      wallet: walletA,
      jobId: 'job_1',
      step: 'reserving',
      updatedAt: '2026-05-17T14:05:00.000Z',
    })
  })

  test('every step', () => {
    expect(refusedAt(entry({ step: 'reserving', reservation: undefined, proof: undefined }))).toBe(
      'accepted',
    )
    expect(refusedAt(entry({ step: 'reserved', proof: undefined }))).toBe('accepted')
    expect(refusedAt(entry({ step: 'completing' }))).toBe('accepted')
    expect(refusedAt(entry({ step: 'completed' }))).toBe('accepted')
    expect(refusedAt(entry({ step: 'completed', proof: undefined }))).toBe('accepted')
  })

  test('names the field that is wrong', () => {
    expect({
      notObject: refusedAt('entry'),
      array: refusedAt([entry()]),
      version: refusedAt(entry({ version: 2 as never })),
      noVersion: refusedAt({ ...entry(), version: undefined }),
      walletUpperCase: refusedAt(entry({ wallet: walletA.replace('0x', '0X') })),
      walletChecksummed: refusedAt(entry({ wallet: '0xABcDEFabCDefABcdEFaBCdeFABCDEFabcdefABCD' })),
      walletShort: refusedAt(entry({ wallet: '0x1234' })),
      jobIdEmpty: refusedAt(entry({ jobId: '' })),
      jobIdNumber: refusedAt({ ...entry(), jobId: 7 }),
      jobIdLoneSurrogate: refusedAt(entry({ jobId: 'a\udc00' })),
      step: refusedAt(entry({ step: 'done' as never })),
      updatedAtLocal: refusedAt(entry({ updatedAt: '2026-05-17T14:05:00+02:00' })),
      updatedAtDateOnly: refusedAt(entry({ updatedAt: '2026-05-17' })),
      updatedAtRollover: refusedAt(entry({ updatedAt: '2026-02-30T14:05:00Z' })),
      updatedAtNumber: refusedAt({ ...entry(), updatedAt: Date.now() }),
      unknownField: refusedAt({ ...entry(), note: 'x' }),
      reservationMissing: refusedAt(entry({ step: 'reserved', reservation: undefined })),
      reservationArray: refusedAt({ ...entry(), reservation: [] }),
      reservationOtherJob: refusedAt(entry({ reservation: savedReservation('job_2') })),
      proofMissing: refusedAt(entry({ proof: undefined })),
      proofString: refusedAt({ ...entry(), proof: 'done' }),
      notFinite: refusedAt(entry({ proof: { n: Number.NaN } })),
      bigint: refusedAt(entry({ proof: { n: 1n } })),
      func: refusedAt(entry({ proof: { f: () => {} } })),
      date: refusedAt(entry({ proof: { at: new Date() } })),
      map: refusedAt(entry({ proof: { m: new Map() } })),
      undefinedItem: refusedAt(entry({ proof: { list: [1, undefined] } })),
    }).toMatchInlineSnapshot(`
      {
        "array": "",
        "bigint": "proof.n",
        "date": "proof.at",
        "func": "proof.f",
        "jobIdEmpty": "jobId",
        "jobIdLoneSurrogate": "jobId",
        "jobIdNumber": "jobId",
        "map": "proof.m",
        "noVersion": "version",
        "notFinite": "proof.n",
        "notObject": "",
        "proofMissing": "proof",
        "proofString": "proof",
        "reservationArray": "reservation",
        "reservationMissing": "reservation",
        "reservationOtherJob": "reservation.job_id",
        "step": "step",
        "undefinedItem": "proof.list[1]",
        "unknownField": "note",
        "updatedAtDateOnly": "updatedAt",
        "updatedAtLocal": "updatedAt",
        "updatedAtNumber": "updatedAt",
        "updatedAtRollover": "updatedAt",
        "version": "version",
        "walletChecksummed": "wallet",
        "walletShort": "wallet",
        "walletUpperCase": "wallet",
      }
    `)
  })

  test('refuses cycles and deep nesting', () => {
    const cycle: Record<string, unknown> = { a: 1 }
    cycle.self = cycle
    expect(refusedAt(entry({ proof: cycle }))).toBe('proof.self')
    let deep: Record<string, unknown> = {}
    for (let index = 0; index < 100; index++) deep = { d: deep }
    expect(refusedAt(entry({ proof: deep }))).toMatch(/^proof(\.d)+$/)
    // The same object twice, not inside itself, is not a cycle.
    const shared = { x: 1 }
    expect(refusedAt(entry({ proof: { a: shared, b: [shared, shared] } }))).toBe('accepted')
  })

  describe('refuses every kind of secret, at any depth, without repeating it', () => {
    const privateKey = '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
    const signature = `0x${'1b'.repeat(65)}`
    const cases: [string, Record<string, unknown>, string][] = [
      ['key signature', { proof_text: 'p', signature: 'anything' }, 'proof.signature'],
      ['key Signature', { meta: { Signature: 'x' } }, 'proof.meta.Signature'],
      [
        'key access_token',
        { workflow_access: { access_token: 't' } },
        'proof.workflow_access.access_token',
      ],
      ['key accessToken', { accessToken: 't' }, 'proof.accessToken'],
      ['key workflowToken', { workflowToken: 'wft_1' }, 'proof.workflowToken'],
      ['key private_key', { list: [{ private_key: 'k' }] }, 'proof.list[0].private_key'],
      ['key privateKey', { privateKey: 'k' }, 'proof.privateKey'],
      ['key private-key', { 'private-key': 'k' }, 'proof.private-key'],
      ['0x private key', { note: `0x${privateKey}` }, 'proof.note'],
      ['bare private key', { note: privateKey }, 'proof.note'],
      ['upper-case private key', { note: privateKey.toUpperCase() }, 'proof.note'],
      ['padded private key', { note: ` ${privateKey}\n` }, 'proof.note'],
      ['private key in an array', { notes: ['a', `0x${privateKey}`] }, 'proof.notes[1]'],
      ['signature value', { note: signature }, 'proof.note'],
    ]
    for (const [name, proof, field] of cases)
      test(name, () => {
        let caught: unknown
        try {
          checkJournalEntry(entry({ proof }))
        } catch (error) {
          caught = error
        }
        expect(caught).toBeInstanceOf(JournalEntryError)
        const error = caught as JournalEntryError
        expect(error.field).toBe(field)
        expect(error.message).not.toContain(privateKey)
        expect(error.message.toLowerCase()).not.toContain(privateKey)
        expect(error.message).not.toContain(signature)
      })

    test('in the reservation: the wire answer with its workflow token', () => {
      const wire = {
        ...savedReservation(),
        workflow_access: { access_token: 'wft_secret', expires_at: '2026-05-17T14:30:00.000Z' },
      }
      expect(refusedAt(entry({ reservation: wire }))).toBe(
        'reservation.workflow_access.access_token',
      )
      expect(
        refusedAt(entry({ reservation: { ...savedReservation(), workflowToken: 'wft_secret' } })),
      ).toBe('reservation.workflowToken')
    })

    test('in the job id', () => {
      expect(
        refusedAt(
          entry({
            jobId: `0x${privateKey}`,
            reservation: undefined,
            step: 'reserving',
            proof: undefined,
          }),
        ),
      ).toBe('jobId')
    })

    test('hashes and addresses that are not 32 or 65 bytes pass', () => {
      expect(
        refusedAt(
          entry({
            proof: {
              address: walletA,
              short: `0x${'ab'.repeat(31)}`,
              long: `0x${'ab'.repeat(33)}`,
              sentence: `tx 0x${privateKey} confirmed`,
              token_count: 3,
            },
          }),
        ),
      ).toBe('accepted')
    })
  })

  test('the error: a BaseError named by its module, with the field and what to do', () => {
    const error = new JournalEntryError({ field: 'step', reason: 'must be one of a, b' })
    expect(error).toBeInstanceOf(BaseError)
    expect(error.name).toBe('JobsClient.JournalEntryError')
    expect(error.docsPath).toMatch(/^\/documents\/Run_the_job_loop\.html#/)
    expect(error.message).toMatchInlineSnapshot(`
      "The journal entry cannot be recorded.

      Details: step must be one of a, b
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Run_the_job_loop.html#errors"
    `)
    const fromFile = new JournalEntryError({ field: '', reason: 'is not JSON', file: '/j/x.json' })
    expect(fromFile.file).toBe('/j/x.json')
    expect(fromFile.message).toMatchInlineSnapshot(`
      "The journal file /j/x.json is not a valid entry.

      It was truncated or edited by hand. Check the job with client.status(jobId), then delete the file.

      Details: the entry is not JSON
      Docs: https://agentpmt-kit.github.io/agentpmt-kit/documents/Run_the_job_loop.html#errors"
    `)
  })
})

test('the memory journal resumes a job: the loop records each step', async () => {
  const journal = createMemoryJournal()
  const at = (minute: number) => `2026-05-17T14:0${minute}:00.000Z`
  await journal.write(
    entry({ step: 'reserving', reservation: undefined, proof: undefined, updatedAt: at(1) }),
  )
  await journal.write(entry({ step: 'reserved', proof: undefined, updatedAt: at(2) }))
  await journal.write(entry({ step: 'completing', updatedAt: at(3) }))
  // A restarted agent finds the proof it may have sent, and asks the status before sending again.
  const [resumed] = await journal.list(walletA)
  expect(resumed?.step).toBe('completing')
  expect(resumed?.proof).toEqual({ proof_text: 'Published the workflow.', workflow_id: 'wf_1' })
  await journal.write(entry({ step: 'completed', updatedAt: at(4) }))
  await journal.remove(walletA, 'job_1')
  expect(await journal.list(walletA)).toEqual([])
})
