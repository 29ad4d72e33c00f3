/**
 * What a command reads and writes: the process streams and environment by default, anything
 * stream-like in tests or when the CLI is embedded.
 *
 * @example
 * ```ts
 * import type { CliIo } from '@agentpmt-kit/cli'
 *
 * const lines: string[] = []
 * const io: CliIo = {
 *   stdout: { write: (text: string) => lines.push(text) },
 *   stderr: { write: (text: string) => lines.push(text) },
 *   stdin: process.stdin,
 *   env: {},
 * }
 * ```
 */
export type CliIo = {
  stdout: Writer
  stderr: Writer
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined }
  env: Readonly<Record<string, string | undefined>>
}

/**
 * Where text goes: `process.stdout`, `process.stderr`, or anything with `write`. `isTTY` turns
 * on the live status line of `demo`.
 *
 * @example
 * ```ts
 * import type { Writer } from '@agentpmt-kit/cli'
 *
 * const writer: Writer = { write: (text: string) => void text, isTTY: false }
 * ```
 */
export type Writer = { write(text: string): unknown; isTTY?: boolean | undefined }

/**
 * What every command is given: the io of one run.
 *
 * @example
 * ```ts
 * import type { Context } from './context.js'
 *
 * const write = (context: Context, text: string) => context.stdout.write(text)
 * ```
 */
export type Context = CliIo
