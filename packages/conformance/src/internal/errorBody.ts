import type { ProbeExchange } from '../probeTypes.js'
import { asRecord, typeOf, withoutNulls } from './json.js'

/** One guaranteed part of an error body (PROTOCOL section 5), found or not. */
export type ErrorBodyField = {
  field: 'error_code' | 'detail' | 'details.checklist'
  found: boolean
  detail: string
}

/**
 * The guaranteed parts of an error answer's body: `error_code` (a non-empty string), `detail`
 * (a string) and `details.checklist`; a Python server's `null` reads as absent.
 */
export function errorBodyFields(answer: ProbeExchange): {
  body: Record<string, unknown> | undefined
  fields: ErrorBodyField[]
} {
  const body = asRecord(withoutNulls(answer.json))
  if (body === undefined) {
    const type = answer.headers.get('content-type') ?? 'no content-type'
    const detail = `the HTTP ${answer.status} body is not a JSON object (${type})`
    return {
      body,
      fields: (['error_code', 'detail', 'details.checklist'] as const).map((field) => ({
        field,
        found: false,
        detail,
      })),
    }
  }
  const code = body.error_code
  const checklist = asRecord(body.details)?.checklist
  return {
    body,
    fields: [
      typeof code === 'string' && code !== ''
        ? { field: 'error_code', found: true, detail: code }
        : { field: 'error_code', found: false, detail: 'must be a non-empty string' },
      typeof body.detail === 'string'
        ? { field: 'detail', found: true, detail: 'a string' }
        : {
            field: 'detail',
            found: false,
            detail: `must be a string, found ${typeOf(body.detail)}`,
          },
      Array.isArray(checklist)
        ? { field: 'details.checklist', found: true, detail: `${checklist.length} items` }
        : checklist !== undefined
          ? { field: 'details.checklist', found: true, detail: `${typeOf(checklist)}, not a list` }
          : { field: 'details.checklist', found: false, detail: 'absent' },
    ],
  }
}
