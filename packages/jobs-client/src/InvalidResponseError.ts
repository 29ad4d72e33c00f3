import { BaseError } from '@agentpmt-kit/canonical-json'
import { redactText } from '@agentpmt-kit/error-recovery'

const excerptLength = 160

/**
 * A success answer the client cannot read: it names the endpoint (`path`), the JSON path of the
 * value (`field`), what the client expected there, and a short redacted excerpt of what came.
 * The whole answer stays on `raw`. When a reserve answer cannot be read, `jobMayBeHeld` is
 * `true`: the server may have reserved the job for this wallet all the same (it lapses at the
 * server's deadline; read `client.status(jobId)`).
 *
 * @example
 * ```ts
 * import { InvalidResponseError } from '@agentpmt-kit/jobs-client'
 *
 * const error = new InvalidResponseError({
 *   path: '/api/external/auth/session',
 *   field: 'session_nonce',
 *   expected: 'a non-empty string',
 *   raw: { nonce: 'abc' },
 * })
 * error.name // 'JobsClient.InvalidResponseError'
 * error.field // 'session_nonce'
 * ```
 */
export class InvalidResponseError extends BaseError {
  override name = 'JobsClient.InvalidResponseError'
  /** The endpoint that answered. */
  readonly path: string
  /** The JSON path of the value that could not be read, `(body)` for the whole answer. */
  readonly field: string
  /** What the client expected at `field`. */
  readonly expected: string
  /** The answer as received (parsed JSON, or text). */
  readonly raw: unknown
  /** Whether the server may have reserved the job although the answer could not be read. */
  readonly jobMayBeHeld: boolean
  constructor({
    path,
    field,
    expected,
    raw,
    found,
    jobMayBeHeld = false,
  }: {
    path: string
    field: string
    expected: string
    raw: unknown
    /** The value found at `field`, when it differs from `raw`. */
    found?: unknown
    jobMayBeHeld?: boolean | undefined
  }) {
    super(`Unexpected answer from ${path}: ${field} must be ${expected}.`, {
      details: `Found: ${excerpt(found === undefined ? raw : found)}`,
      metaMessages: jobMayBeHeld
        ? [
            'The job may now be held by this wallet: the server answered 2xx to the reservation.',
            'It lapses at the server deadline; read status() of the job before reserving again.',
          ]
        : [],
      docsPath: '/documents/What_the_client_needs_from_a_server.html',
    })
    this.path = path
    this.field = field
    this.expected = expected
    this.raw = raw
    this.jobMayBeHeld = jobMayBeHeld
  }
}

/** A short, redacted rendering of a value for an error message. */
function excerpt(value: unknown): string {
  let text: string
  if (value === undefined) text = 'nothing'
  else if (typeof value === 'string') text = JSON.stringify(value)
  else {
    try {
      text = JSON.stringify(value) ?? String(value)
    } catch {
      text = String(value)
    }
  }
  const redacted = redactText(text)
  return redacted.length > excerptLength ? `${redacted.slice(0, excerptLength)}…` : redacted
}
