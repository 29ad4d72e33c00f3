import { BaseError } from '@agentpmt-kit/canonical-json'

/** A JSON object, or `undefined`. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/**
 * Checks that a success body has the fields the client reads, with the right types; extra fields
 * are kept (a real server may send more). Throws {@link InvalidResponseError} otherwise.
 */
export function expectFields<shape>(
  path: string,
  body: unknown,
  fields: Readonly<Record<string, 'string' | 'number' | 'object' | 'array' | 'date'>>,
): shape {
  const record = asRecord(body)
  if (record === undefined) throw new InvalidResponseError({ path, reason: 'not a JSON object' })
  for (const [name, kind] of Object.entries(fields)) {
    const value = record[name]
    const valid =
      kind === 'array'
        ? Array.isArray(value)
        : kind === 'object'
          ? asRecord(value) !== undefined
          : kind === 'date'
            ? typeof value === 'string' && !Number.isNaN(Date.parse(value))
            : typeof value === kind
    if (!valid)
      throw new InvalidResponseError({
        path,
        reason: `field "${name}" must be ${kind === 'date' ? 'an ISO-8601 date' : `a ${kind}`}`,
      })
  }
  return record as shape
}

/**
 * A success response whose body is not what the API documents: the client cannot read it.
 *
 * @example
 * ```ts
 * import { InvalidResponseError } from '@agentpmt-kit/jobs-client'
 *
 * new InvalidResponseError({ path: '/api/external/jobs/list', reason: 'not a JSON object' }).name
 * // 'JobsClient.InvalidResponseError'
 * ```
 */
export class InvalidResponseError extends BaseError {
  override name = 'JobsClient.InvalidResponseError'
  /** The endpoint that answered. */
  readonly path: string
  constructor({ path, reason }: { path: string; reason: string }) {
    super(`Unexpected response from ${path}: ${reason}.`, {
      docsPath: '/documents/Run_the_job_loop.html#errors',
    })
    this.path = path
  }
}
