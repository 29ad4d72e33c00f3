import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { BaseError } from '@agentpmt-kit/canonical-json'
import type { Context } from './context.js'

/**
 * Reads a whole input: a file, or stdin for `-` (or no name). Refuses to wait on a terminal:
 * stdin must be piped.
 *
 * @example
 * ```ts
 * import { readText } from './input.js'
 *
 * declare const context: Parameters<typeof readText>[0]
 * const text = await readText(context, 'payload.json')
 * ```
 */
export async function readText(context: Context, source: string | undefined): Promise<string> {
  if (source === undefined || source === '-') {
    if (context.stdin.isTTY)
      throw new InputError('No input: give a file name, or pipe the input on stdin.')
    const chunks: Buffer[] = []
    for await (const chunk of context.stdin)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
    return Buffer.concat(chunks).toString('utf8')
  }
  try {
    return await readFile(source, 'utf8')
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    throw new InputError(
      code === 'ENOENT'
        ? `Cannot read ${source}: no such file.`
        : code === 'EISDIR'
          ? `Cannot read ${source}: it is a directory.`
          : `Cannot read ${source}.`,
    )
  }
}

/**
 * Reads and parses a JSON input (a leading byte order mark is ignored).
 *
 * @example
 * ```ts
 * import { readJson } from './input.js'
 *
 * declare const context: Parameters<typeof readJson>[0]
 * const payload = await readJson(context, '-')
 * ```
 */
export async function readJson(context: Context, source: string | undefined): Promise<unknown> {
  const text = (await readText(context, source)).replace(/^\uFEFF/, '')
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    const name = source === undefined || source === '-' ? 'stdin' : source
    const reason = cause instanceof Error ? cause.message : 'not JSON'
    throw new InputError(`${name} is not valid JSON: ${reason}`)
  }
}

/**
 * Reads a JSON input that must be an object (a payload, an error body).
 *
 * @example
 * ```ts
 * import { readJsonObject } from './input.js'
 *
 * declare const context: Parameters<typeof readJsonObject>[0]
 * const payload = await readJsonObject(context, 'payload.json')
 * ```
 */
export async function readJsonObject(
  context: Context,
  source: string | undefined,
): Promise<Record<string, unknown>> {
  const value = await readJson(context, source)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const name = source === undefined || source === '-' ? 'stdin' : source
    throw new InputError(`${name} must hold a JSON object.`)
  }
  return value as Record<string, unknown>
}

/**
 * Reads a signed message. One trailing `\n`, as editors and `echo` add, is dropped unless
 * `exact`: a valid message never ends with a newline, so this never changes what is signed.
 *
 * @example
 * ```ts
 * import { readMessage } from './input.js'
 *
 * declare const context: Parameters<typeof readMessage>[0]
 * const message = await readMessage(context, 'message.txt')
 * ```
 */
export async function readMessage(
  context: Context,
  source: string | undefined,
  { exact = false }: { exact?: boolean | undefined } = {},
): Promise<string> {
  const text = await readText(context, source)
  return !exact && text.endsWith('\n') && !text.endsWith('\r\n') ? text.slice(0, -1) : text
}

/**
 * Checks, before any work, that the file named by `--save` can be written: not a directory, in a
 * writable directory. A result that cannot be saved after the work would be lost.
 *
 * @throws {InputError} naming `--save` and the path when it cannot be written.
 *
 * @example
 * ```ts
 * import { checkWritable } from './input.js'
 *
 * await checkWritable('reservation.json')
 * ```
 */
export async function checkWritable(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory()) throw new InputError(`--save ${path} is a directory.`)
  try {
    await access(existing ? path : dirname(resolve(path)), constants.W_OK)
  } catch {
    throw new InputError(`--save ${path} cannot be written.`)
  }
}

/**
 * Input that cannot be used: a file that cannot be read, text that is not JSON, no input at all.
 *
 * @example
 * ```ts
 * import { InputError } from './input.js'
 *
 * throw new InputError('payload.json is not valid JSON.')
 * ```
 */
export class InputError extends BaseError {
  override name = 'Cli.InputError'
}
