import { type ErrorReply, errorReply } from '../errorBody.js'

/**
 * Reads a request body as one JSON object, never more than `maxBytes` of it: 413 when larger,
 * 400 when it is not UTF-8, not JSON, not an object, nested deeper than `maxDepth`, or holds a
 * value no canonical form exists for (a lone surrogate, a number beyond the double range). So
 * nothing later (hashing, the canonical form) can fail or cost more than the body's size allows.
 * An empty body reads as `{}` when `allowEmpty`.
 */
export async function readJsonObject(
  request: Request,
  maxBytes: number,
  allowEmpty = false,
  maxDepth = 32,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; error: ErrorReply }> {
  // The rest of the body is never read: `startSandbox` closes the connection once the answer is
  // written, instead of draining what may be a gigabyte on its way.
  const tooLarge = {
    ok: false as const,
    error: errorReply('EXTERNAL_PAYLOAD_TOO_LARGE', {
      detail: `The request body is larger than ${maxBytes} bytes.`,
      details: { max_body_bytes: maxBytes },
    }),
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) return tooLarge
  const chunks: Uint8Array[] = []
  let size = 0
  if (request.body) {
    const reader = request.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel().catch(() => {})
        return tooLarge
      }
      chunks.push(value)
    }
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  const invalid = (detail: string) => ({
    ok: false as const,
    error: errorReply('EXTERNAL_REQUEST_INVALID', {
      detail,
      checklist: ['Send a JSON object, UTF-8 encoded, with Content-Type: application/json.'],
    }),
  })
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return invalid('The request body is not valid UTF-8.')
  }
  if (text.trim() === '')
    return allowEmpty
      ? { ok: true, value: {} }
      : invalid('The request body is empty; send a JSON object.')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return invalid('The request body is not valid JSON.')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return invalid('The request body must be a JSON object.')
  const problem = valueProblem(value, maxDepth)
  if (problem)
    return {
      ok: false,
      error: errorReply('EXTERNAL_REQUEST_INVALID', {
        detail: `${problem.field} ${problem.reason}.`,
        details: { field: problem.field, max_json_depth: maxDepth },
      }),
    }
  return { ok: true, value: value as Record<string, unknown> }
}

/** The first value under `root` that is too deep or has no canonical form, by top-level field. */
function valueProblem(
  root: object,
  maxDepth: number,
): { field: string; reason: string } | undefined {
  const stack: Array<[value: unknown, depth: number, field: string]> = []
  for (const [key, value] of Object.entries(root)) {
    if (!key.isWellFormed()) return { field: 'body', reason: 'has a key with a lone surrogate' }
    stack.push([value, 1, key])
  }
  while (stack.length > 0) {
    const [value, depth, field] = stack.pop()!
    if (typeof value === 'string') {
      if (!value.isWellFormed())
        return { field, reason: 'must not contain a lone surrogate (it cannot be UTF-8 encoded)' }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value))
        return { field, reason: 'holds a number beyond the double range' }
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= maxDepth) return { field, reason: `nests deeper than ${maxDepth} levels` }
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) return { field, reason: 'has a key with a lone surrogate' }
        stack.push([item, depth + 1, field])
      }
    }
  }
  return undefined
}
