import { findSecret } from '../secrets.js'

/**
 * Where a request about to be sent holds one of the `secrets` patterns: the JSON path in the
 * body (`findSecret`), `path` when only the URL path does, `body` when the body is not
 * JSON, or undefined.
 */
export function secretIn(
  secrets: readonly RegExp[],
  request: { path: string; body: string },
): string | undefined {
  const holds = (text: string): boolean => secrets.some((secret) => text.search(secret) !== -1)
  if (secrets.length === 0) return undefined
  const inBody = holds(request.body)
  if (!inBody) return holds(request.path) ? 'path' : undefined
  try {
    return findSecret(JSON.parse(request.body), secrets) ?? 'body'
  } catch {
    return 'body'
  }
}
