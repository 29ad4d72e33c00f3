/** Where the documentation site is published; `docsPath` values are relative to it. */
const docsBaseUrl = 'https://agentpmt-kit.github.io/agentpmt-kit'

/**
 * Parameters of {@link BaseError}.
 *
 * @example
 * ```ts
 * import { BaseError } from '@agentpmt-kit/canonical-json'
 *
 * const parameters: BaseError.Parameters = { details: 'limit must be an integer' }
 * throw new BaseError('Invalid request.', parameters)
 * ```
 */
export declare namespace BaseError {
  type Parameters = {
    /** The error this one was raised from. */
    cause?: unknown
    /** One line on what exactly was wrong, shown under the short message. */
    details?: string | undefined
    /** A page of the docs site (`/guides/errors`), linked from the message. */
    docsPath?: string | undefined
    /** Further lines shown between the short message and the details. */
    metaMessages?: readonly string[] | undefined
  }
}

/**
 * The one error shape of the whole toolkit: every error that an `@agentpmt-kit/*` package throws
 * extends it, so `error instanceof BaseError` separates our errors from everything else and
 * `error.name` tells them apart.
 *
 * @example
 * ```ts
 * import { BaseError, canonicalize } from '@agentpmt-kit/canonical-json'
 *
 * try {
 *   canonicalize({ amount: Number.NaN })
 * } catch (error) {
 *   if (error instanceof BaseError) console.log(error.name, error.shortMessage)
 * }
 * ```
 */
export class BaseError extends Error {
  override name = 'BaseError'
  /** The first line of the message, without details or the docs link. */
  readonly shortMessage: string
  /** What exactly was wrong. */
  readonly details: string | undefined
  /** A page of the docs site that explains this error. */
  readonly docsPath: string | undefined
  /** Further explanation lines. */
  readonly metaMessages: readonly string[] | undefined

  constructor(shortMessage: string, parameters: BaseError.Parameters = {}) {
    const causeDetails =
      parameters.cause instanceof BaseError
        ? parameters.cause.details
        : parameters.cause instanceof Error
          ? parameters.cause.message
          : undefined
    const details = parameters.details ?? causeDetails
    const lines = [
      shortMessage,
      ...(parameters.metaMessages?.length ? ['', ...parameters.metaMessages] : []),
      ...(details ? ['', `Details: ${details}`] : []),
      ...(parameters.docsPath ? [`Docs: ${docsBaseUrl}${parameters.docsPath}`] : []),
    ]
    super(
      lines.join('\n'),
      parameters.cause === undefined ? undefined : { cause: parameters.cause },
    )
    this.shortMessage = shortMessage
    this.details = details
    this.docsPath = parameters.docsPath
    this.metaMessages = parameters.metaMessages
  }

  /**
   * Walks the `cause` chain, starting with this error, and returns the first error for which
   * `predicate` holds, or the deepest error when no predicate is given.
   *
   * @example
   * ```ts
   * import { BaseError } from '@agentpmt-kit/canonical-json'
   *
   * const error = new BaseError('Outer.', { cause: new TypeError('inner') })
   * error.walk((e) => e instanceof TypeError) // the TypeError
   * ```
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this
    for (;;) {
      if (predicate?.(current)) return current
      const next = current instanceof Error ? current.cause : undefined
      if (next === undefined) return predicate ? undefined : current
      current = next
    }
  }
}
