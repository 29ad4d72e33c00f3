import type { Dialect } from './types.js'

/**
 * `authorization-header`: the workflow endpoints take the token as `Authorization: Bearer
 * <token>` only (AgentPMT's published agent skill), and answer a request without it as a Django
 * REST framework server does: 401, `{ "detail": "Authentication credentials were not
 * provided." }`, no `error_code`.
 */
export const authorizationHeader: Dialect = { workflowTokenHeader: 'Authorization' }
