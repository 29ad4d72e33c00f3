import { pick, successBody } from './json.js'
import type { Dialect, JsonObject } from './types.js'

const reservationKeys = ['reservation_id', 'job_id', 'expires_at', 'instructions'] as const

/**
 * `nested-reservation`: the reserve answer's own fields under `reservation`
 * (`{ reservation: { reservation_id, job_id, expires_at, instructions }, job, workflow_access }`).
 * The status answer's `reservation` is left as it is.
 */
export const nestedReservation: Dialect = {
  rewrite(answer, { route }) {
    const body = route === 'reserve' ? successBody(answer) : undefined
    if (!body || !('reservation_id' in body)) return answer
    const nested: JsonObject = { reservation: pick(body, reservationKeys) }
    for (const [key, value] of Object.entries(body))
      if (!(reservationKeys as readonly string[]).includes(key)) nested[key] = value
    return { ...answer, body: nested }
  },
}
