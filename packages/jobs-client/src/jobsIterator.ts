import type { ListAnswer, ListedJob } from './answers.js'

/** Bound on list requests when the server gives no `total`. */
const maxRequestsWithoutTotal = 10_000

/**
 * Options of `client.jobs()`.
 *
 * @example
 * ```ts
 * import type { JobsOptions } from '@agentpmt-kit/jobs-client'
 *
 * const options: JobsOptions = { pageSize: 50 }
 * ```
 */
export type JobsOptions = {
  /** Jobs per request, at least 2. Default 50. */
  pageSize?: number | undefined
  signal?: AbortSignal | undefined
}

/**
 * Iterates over every open job, page by page, each job once. The list moves while it is read (a
 * job reserved by anyone leaves it, shifting the later ones back; a new job pushes them on), so
 * pages overlap by one job and each page must hold a job already seen. When none is, jobs have
 * moved back past the page boundary, and the iterator steps back a page until it finds one it
 * has seen (or the start). Every job open for the whole iteration is yielded exactly once; a job opened meanwhile
 * may or may not be. The number of requests is capped (ten times what a still list needs).
 *
 * @internal
 */
export async function* iterateJobs(
  list: (page: { limit: number; skip: number }) => Promise<ListAnswer>,
  options: JobsOptions = {},
): AsyncGenerator<ListedJob, void, undefined> {
  const limit = options.pageSize ?? 50
  if (!Number.isInteger(limit) || limit < 2)
    throw new RangeError(`pageSize must be an integer >= 2, got ${limit}`)
  const seen = new Set<string>()
  let skip = 0
  let previousIds: string | undefined
  let repeats = 0
  let requests = 0
  let maxRequests = Number.POSITIVE_INFINITY
  while (requests < maxRequests) {
    requests++
    const page = await list({ limit, skip })
    if (maxRequests === Number.POSITIVE_INFINITY)
      maxRequests =
        page.total === undefined
          ? maxRequestsWithoutTotal
          : 10 * (Math.ceil(Math.max(page.total, 1) / (limit - 1)) + 1)
    if (skip > 0 && !page.jobs.some((job) => seen.has(job.job_id))) {
      skip = Math.max(0, skip - (limit - 1))
      continue
    }
    for (const job of page.jobs) {
      if (seen.has(job.job_id)) continue
      seen.add(job.job_id)
      yield job
    }
    if (page.jobs.length < limit) return
    // Without a total to bound the requests, a server that ignores `skip` answers the same page
    // again and again: three in a row end the list.
    const ids = page.jobs.map((job) => job.job_id).join('\n')
    repeats = page.total === undefined && ids === previousIds ? repeats + 1 : 0
    if (repeats >= 2) return
    previousIds = ids
    skip += limit - 1
  }
}
