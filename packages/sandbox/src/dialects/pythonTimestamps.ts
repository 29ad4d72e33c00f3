import { mapObjects } from './json.js'
import type { Dialect } from './types.js'

const isoUtc = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/
const deadlineKeys = new Set(['expires_at', 'reserved_until'])

/**
 * `python-timestamps`: every ISO timestamp as `datetime.isoformat()` writes an aware UTC time
 * (`2026-11-28T21:00:00.123456+00:00`); a reservation's own deadline (reserve and status, any
 * `expires_at` or `reserved_until` outside `workflow_access`) as a naive one, with no offset.
 */
export const pythonTimestamps: Dialect = {
  rewrite(answer, { route }) {
    if (answer.text !== undefined) return answer
    const naiveDeadlines = route === 'reserve' || route === 'status'
    const body = mapObjects(answer.body, (object, path) => {
      for (const [key, value] of Object.entries(object)) {
        if (typeof value !== 'string') continue
        const match = isoUtc.exec(value)
        if (!match) continue
        const micros = (match[2] ?? '').padEnd(6, '0')
        const naive = naiveDeadlines && deadlineKeys.has(key) && !path.includes('workflow_access')
        object[key] = `${match[1]}.${micros}${naive ? '' : '+00:00'}`
      }
      return object
    })
    return { ...answer, body }
  },
}
