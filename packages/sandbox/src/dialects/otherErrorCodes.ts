import type { RouteName } from '../faults.js'
import { errorBody } from './json.js'
import type { Dialect } from './types.js'

const jobRoutes: readonly RouteName[] = ['list', 'reserve', 'complete', 'status']

/** Our code -> the other server's code and status. Signature codes are never in here. */
const codes: Readonly<Record<string, readonly [code: string, status: number]>> = {
  EXTERNAL_JOB_ALREADY_RESERVED: ['JOB_NOT_AVAILABLE', 409],
  EXTERNAL_RESERVATION_EXPIRED: ['RESERVATION_EXPIRED', 410],
  EXTERNAL_JOB_ALREADY_SUBMITTED: ['ALREADY_SUBMITTED', 409],
  EXTERNAL_REQUEST_INVALID: ['VALIDATION_ERROR', 422],
  EXTERNAL_PROOF_INVALID: ['VALIDATION_ERROR', 422],
  EXTERNAL_CREDITS_INSUFFICIENT: ['INSUFFICIENT_CREDITS', 402],
  EXTERNAL_FORBIDDEN: ['FORBIDDEN', 403],
  EXTERNAL_RATE_LIMITED: ['RATE_LIMIT_EXCEEDED', 429],
  EXTERNAL_INTERNAL_ERROR: ['INTERNAL_ERROR', 500],
  EXTERNAL_SERVICE_UNAVAILABLE: ['SERVICE_UNAVAILABLE', 503],
  EXTERNAL_PAYLOAD_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 413],
}

/**
 * `other-error-codes`: every error but the five signature codes under another server's codes,
 * some with other statuses (410 for an expired reservation, 422 for a body that does not match
 * the schema or a refused proof); the body keeps its shape.
 */
export const otherErrorCodes: Dialect = {
  rewrite(answer, { route }) {
    const body = errorBody(answer)
    if (!body) return answer
    const code = String(body.error_code)
    const mapped =
      code === 'EXTERNAL_NOT_FOUND'
        ? ([jobRoutes.includes(route) ? 'JOB_NOT_FOUND' : 'NOT_FOUND', 404] as const)
        : codes[code]
    if (!mapped) return answer
    return { ...answer, status: mapped[1], body: { ...body, error_code: mapped[0] } }
  },
}
