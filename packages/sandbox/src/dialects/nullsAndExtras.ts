import { errorBody, isObject, successBody } from './json.js'
import type { Dialect, JsonObject } from './types.js'

const serverVersion = '2.3.1'

/** Sets `key` to null when it is absent. */
function nullIfAbsent(object: JsonObject, key: string): void {
  if (!(key in object)) object[key] = null
}

/**
 * `nulls-and-extras`: absent optionals as `null`, unknown fields at several levels, and every
 * integer written as a float. Extras: `server_version`, `meta` and `links` at the top, `links`
 * on list items and on `job`, `meta` on `submission`, `trace_id` in error `details`.
 */
export const nullsAndExtras: Dialect = {
  rewrite(answer, { route, now }) {
    const error = errorBody(answer)
    if (error) {
      const details = isObject(error.details) ? error.details : {}
      return {
        ...answer,
        floats: true,
        body: {
          ...error,
          details: { ...details, trace_id: `trace_${route}_${now}` },
          server_version: serverVersion,
        },
      }
    }
    const source = successBody(answer)
    if (!source) return answer
    const body: JsonObject = structuredClone(source)
    if (route === 'list' && Array.isArray(body.jobs))
      body.jobs = body.jobs.map((item) =>
        isObject(item)
          ? {
              ...item,
              ...('platform' in item ? {} : { platform: null }),
              links: { self: `/api/external/jobs/${String(item.job_id)}` },
            }
          : item,
      )
    if (route === 'reserve') {
      nullIfAbsent(body, 'workflow_access')
      if (isObject(body.job)) {
        nullIfAbsent(body.job, 'platform')
        nullIfAbsent(body.job, 'social_share')
        body.job.links = { self: `/api/external/jobs/${String(body.job.job_id)}` }
      }
    }
    if (route === 'complete' || route === 'status') {
      nullIfAbsent(body, 'submission')
      if (route === 'status') nullIfAbsent(body, 'reservation')
      if (isObject(body.submission)) {
        if (isObject(body.submission.verification))
          nullIfAbsent(body.submission.verification, 'reason')
        body.submission.meta = { verifier: 'sandbox', attempts: 1 }
      }
    }
    body.server_version = serverVersion
    body.meta = { served_at: new Date(now).toISOString(), deprecations: [] }
    body.links = { docs: 'https://www.agentpmt.com/docs/external-api' }
    return { ...answer, floats: true, body }
  },
}
