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
 * Where a request about to be sent holds one of the `secrets` patterns: the JSON path of the
 * body's first string (or key) that does, `path` when only the URL path does, or undefined.
 *
 * @internal
 */
export function secretIn(
  secrets: readonly RegExp[],
  request: { path: string; body: string },
): string | undefined {
  const holds = (text: string): boolean => secrets.some((secret) => text.search(secret) !== -1)
  if (secrets.length === 0 || !(holds(request.path) || holds(request.body))) return undefined
  let body: unknown
  try {
    body = JSON.parse(request.body)
  } catch {
    return holds(request.body) ? 'body' : 'path'
  }
  const stack: Array<[value: unknown, at: string]> = [[body, '']]
  while (stack.length > 0) {
    const [value, at] = stack.pop()!
    if (typeof value === 'string') {
      if (holds(value)) return at
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value).reverse()) {
        const path = Array.isArray(value) ? `${at}[${key}]` : at === '' ? key : `${at}.${key}`
        if (holds(key)) return path
        stack.push([item, path])
      }
    }
  }
  return 'path'
}

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
