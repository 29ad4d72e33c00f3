import { BaseError } from '@agentpmt-kit/canonical-json'

/** Hex digits, with or without `0x`: a key is matched in any letter case, with or without it. */
const hexSecret = /^(?:0x)?([0-9a-f]+)$/i

/** Shorter secrets are not matched: they would turn up in ordinary text by chance. */
const minSecretLength = 8

/**
 * The one rule of the toolkit for finding a secret (the private key above all) in text: a hex
 * secret in any letter case, with or without `0x`; any other one literally. A global pattern,
 * for `replace` (redaction) and `search` (refusal); `undefined` for a secret shorter than 8
 * characters, which would match ordinary text by chance. Only the secret's own characters go
 * into the pattern, so it matches nothing else: another 64-hex value (a transaction hash
 * quoted in a proof) is not a match.
 *
 * @example
 * ```ts
 * import { secretPattern } from '@agentpmt-kit/jobs-client'
 *
 * const key = `0x${'ab'.repeat(32)}`
 * const pattern = secretPattern(key)!
 * `job ${'AB'.repeat(32)}`.search(pattern) // 4: found without 0x and in upper case
 * 'ok'.replace(pattern, '<redacted>') // 'ok'
 * ```
 */
export function secretPattern(secret: string): RegExp | undefined {
  const value = secret.trim()
  if (value.length < minSecretLength) return undefined
  const hex = hexSecret.exec(value)
  return hex
    ? new RegExp(`(?:0x)?${hex[1]}`, 'gi')
    : new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
}

/**
 * Where `value` holds one of the `secrets` patterns (from {@link secretPattern}): the JSON path of
 * its first string that does (`''` for `value` itself), or of an object key that does, written
 * `<key>` (never quoted), or `undefined`. The field a {@link SecretInRequestError} names.
 *
 * @example
 * ```ts
 * import { findSecret, secretPattern } from '@agentpmt-kit/jobs-client'
 *
 * const key = `0x${'ab'.repeat(32)}`
 * findSecret({ job_id: 'job_1', proof: [`see ${key.slice(2)}`] }, [secretPattern(key)!]) // 'proof[0]'
 * ```
 */
export function findSecret(value: unknown, secrets: readonly RegExp[]): string | undefined {
  const holds = (text: string): boolean => secrets.some((secret) => text.search(secret) !== -1)
  const stack: Array<[value: unknown, at: string, depth: number]> = [[value, '', 0]]
  while (stack.length > 0) {
    const [item, at, depth] = stack.pop()!
    if (typeof item === 'string') {
      if (holds(item)) return at
    } else if (typeof item === 'object' && item !== null && depth < maxDepth) {
      // Pushed last to first, so that the first field holding a secret is the one named.
      for (const [key, child] of Object.entries(item).reverse()) {
        const path = Array.isArray(item) ? `${at}[${key}]` : at === '' ? key : `${at}.${key}`
        // Named by its parent: the key itself is the secret.
        if (holds(key)) return at === '' ? '<key>' : `${at}.<key>`
        stack.push([child, path, depth + 1])
      }
    }
  }
  return undefined
}

/** Deeper values are not walked (the body text as a whole is checked all the same). */
const maxDepth = 64

/**
 * A request would have carried a secret given in `secrets` (the private key, pasted where an id
 * or a proof belongs): nothing was sent. The error names the field, never the value.
 *
 * @example
 * ```ts
 * import { createJobsClient, SecretInRequestError } from '@agentpmt-kit/jobs-client'
 * import type { MessageSigner } from '@agentpmt-kit/message-builder'
 *
 * declare const signer: MessageSigner
 * declare const key: string
 * const client = createJobsClient({ signer, secrets: [key] })
 * try {
 *   await client.reserve(key)
 * } catch (error) {
 *   if (error instanceof SecretInRequestError) error.field // 'path'
 * }
 * ```
 */
export class SecretInRequestError extends BaseError {
  override name = 'JobsClient.SecretInRequestError'
  /** Where the secret was: `path` (the URL path, e.g. the job id) or a JSON path in the body. */
  readonly field: string
  constructor({ field }: { field: string }) {
    super(
      `The request's ${field === 'path' ? 'URL path' : `"${field}"`} holds a secret (the private key?); nothing was sent.`,
      {
        details:
          'An id, nonce, request id or proof field must never hold the private key: pass the id from the server (list or reserve) and keep the key in the signer only.',
        docsPath: '/documents/Run_the_job_loop.html#errors',
      },
    )
    this.field = field
  }
}
