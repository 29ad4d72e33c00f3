import { fc, test as fcTest } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import type { ListedJob as JobListItem, ListAnswer as JobListResponse } from './answers.js'
import { iterateJobs } from './jobsIterator.js'
import { setup } from './test/fakes.js'

const job = (id: number): JobListItem => ({
  job_id: `job_${id}`,
  job_type: 'social_share',
  title: `Job ${id}`,
  reward_credits: 1,
})

/** A live list: `jobs` may change between pages. */
function liveList(jobs: JobListItem[]) {
  const pages: Array<{ limit: number; skip: number }> = []
  const list = async (page: { limit: number; skip: number }): Promise<JobListResponse> => {
    pages.push(page)
    return { jobs: jobs.slice(page.skip, page.skip + page.limit), total: jobs.length, ...page }
  }
  return { list, pages }
}

async function collect(iterator: AsyncIterable<JobListItem>, onJob?: (job: JobListItem) => void) {
  const ids: string[] = []
  for await (const item of iterator) {
    ids.push(item.job_id)
    onJob?.(item)
  }
  return ids
}

describe('jobs()', () => {
  test('a still list: every job once, pages overlapping by one', async () => {
    const jobs = Array.from({ length: 10 }, (_, i) => job(i))
    const { list, pages } = liveList(jobs)
    expect(await collect(iterateJobs(list, { pageSize: 4 }))).toEqual(jobs.map((j) => j.job_id))
    expect(pages.map((page) => page.skip)).toEqual([0, 3, 6, 9])
  })

  test('jobs reserved while iterating (shifting later ones back) are not skipped', async () => {
    const jobs = Array.from({ length: 10 }, (_, i) => job(i))
    const { list } = liveList(jobs)
    // The consumer reserves every job it sees: each leaves the list.
    const ids = await collect(iterateJobs(list, { pageSize: 3 }), (item) => {
      jobs.splice(
        jobs.findIndex((j) => j.job_id === item.job_id),
        1,
      )
    })
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `job_${i}`))
  })

  test('jobs added at the front while iterating cause no duplicates', async () => {
    const jobs = Array.from({ length: 8 }, (_, i) => job(i))
    const { list } = liveList(jobs)
    let next = 100
    const ids = await collect(iterateJobs(list, { pageSize: 3 }), () => {
      jobs.unshift(job(next++))
    })
    expect(new Set(ids).size).toBe(ids.length)
    for (let i = 0; i < 8; i++) expect(ids).toContain(`job_${i}`)
  })

  fcTest.prop(
    [
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 2, max: 7 }),
      fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.boolean()), { maxLength: 60 }),
    ],
    { numRuns: Number(process.env.FC_NUM_RUNS ?? 100) },
  )(
    'whatever moves, no duplicates; every job open throughout is yielded',
    async (count, pageSize, moves) => {
      const jobs = Array.from({ length: count }, (_, i) => job(i))
      const removed = new Set<string>()
      const { list } = liveList(jobs)
      let step = 0
      let next = 1000
      const ids = await collect(iterateJobs(list, { pageSize }), () => {
        const move = moves[step++]
        if (move === undefined) return
        const [at, insert, removeOther] = move
        if (insert) jobs.splice(at % (jobs.length + 1), 0, job(next++))
        if (removeOther && jobs.length > 0) {
          const [gone] = jobs.splice(at % jobs.length, 1)
          removed.add(gone!.job_id)
        }
      })
      expect(new Set(ids).size).toBe(ids.length)
      for (let i = 0; i < count; i++)
        if (!removed.has(`job_${i}`)) expect(ids).toContain(`job_${i}`)
    },
  )

  test('pageSize below 2 is refused', async () => {
    const { list } = liveList([])
    await expect(collect(iterateJobs(list, { pageSize: 1 }))).rejects.toThrow(RangeError)
  })

  test('through the client: signed list calls with limit and skip', async () => {
    const { client, calls } = setup()
    const ids: string[] = []
    for await (const item of client.jobs({ pageSize: 2 })) ids.push(item.job_id)
    expect(ids).toEqual(['job_share_linkedin', 'job_workflow_1'])
    expect(calls.filter((c) => c.path.endsWith('/list')).map((c) => c.body.skip)).toEqual([0, 1])
  })
})
