import { isObject, successBody } from './json.js'
import type { Dialect } from './types.js'

/**
 * `link-objects`: `job.social_share.tracking_links` as `[{ platform, url }]`, the URL the very
 * string the default dialect sends (a completion must send it back as `target_url_used`).
 */
export const linkObjects: Dialect = {
  rewrite(answer, { route }) {
    const body = route === 'reserve' ? successBody(answer) : undefined
    const job = body?.job
    const share = isObject(job) ? job.social_share : undefined
    if (!body || !isObject(job) || !isObject(share) || !Array.isArray(share.tracking_links))
      return answer
    const links = share.tracking_links.map((link) => {
      if (typeof link !== 'string') return link
      const platform =
        share.platform ?? job.platform ?? new URL(link).searchParams.get('utm_source') ?? null
      return { platform, url: link }
    })
    return {
      ...answer,
      body: { ...body, job: { ...job, social_share: { ...share, tracking_links: links } } },
    }
  },
}
