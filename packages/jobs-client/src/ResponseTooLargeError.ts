import { BaseError } from '@agentpmt-kit/canonical-json'

/**
 * An answer larger than the client's `maxResponseBytes` (default 10 MB): it was not read, so a
 * broken or hostile server cannot make the client buffer without limit.
 *
 * @example
 * ```ts
 * import { ResponseTooLargeError } from '@agentpmt-kit/jobs-client'
 *
 * new ResponseTooLargeError({ path: '/api/external/jobs/list', maxBytes: 10_000_000 }).name
 * // 'JobsClient.ResponseTooLargeError'
 * ```
 */
export class ResponseTooLargeError extends BaseError {
  override name = 'JobsClient.ResponseTooLargeError'
  readonly path: string
  readonly maxBytes: number
  constructor({ path, maxBytes }: { path: string; maxBytes: number }) {
    super(`The answer from ${path} is larger than ${maxBytes} bytes; it was not read.`, {
      details: 'Raise the maxResponseBytes option of createJobsClient if the server is right.',
      docsPath: '/documents/What_the_client_needs_from_a_server.html',
    })
    this.path = path
    this.maxBytes = maxBytes
  }
}
