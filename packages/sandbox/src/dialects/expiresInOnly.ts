import { parseTimestamp } from '@agentpmt-kit/message-builder'
import { mapObjects, renameKey } from './json.js'
import type { Dialect } from './types.js'

/**
 * `expires-in-only`: no `expires_at` anywhere. An object that has `expires_in` already (the
 * session) loses `expires_at`; any other gets `expires_in` in its place: whole seconds from the
 * sandbox clock's now to the deadline, never below 0.
 */
export const expiresInOnly: Dialect = {
  rewrite(answer, { now }) {
    if (answer.text !== undefined) return answer
    const body = mapObjects(answer.body, (object) => {
      const deadline = object.expires_at
      if (typeof deadline !== 'string') return object
      if ('expires_in' in object) {
        const { expires_at: _, ...rest } = object
        return rest
      }
      const at = parseTimestamp(deadline)
      const seconds = at === undefined ? 0 : Math.max(0, Math.floor((at - now) / 1000))
      return renameKey(object, 'expires_at', 'expires_in', seconds)
    })
    return { ...answer, body }
  },
}
