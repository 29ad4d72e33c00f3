import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { InputError } from './input.js'

/**
 * The CLI's state folder: `--state DIR` when given, else `$AGENTPMT_STATE_DIR`, else
 * `$XDG_STATE_HOME/agentpmt`, else `~/.local/state/agentpmt`. An empty variable counts as unset,
 * and a relative `XDG_STATE_HOME` is ignored, as the XDG base directory specification asks.
 * The path is absolute (a relative `--state` or `AGENTPMT_STATE_DIR` is resolved against the
 * current directory).
 *
 * @example
 * ```ts
 * import { stateDirOf } from './state.js'
 *
 * stateDirOf({ XDG_STATE_HOME: '/home/me/.local/state' }) // '/home/me/.local/state/agentpmt'
 * stateDirOf({}, 'run-state') // '<current directory>/run-state'
 * ```
 */
export function stateDirOf(
  env: Readonly<Record<string, string | undefined>>,
  option?: string | undefined,
): string {
  if (option !== undefined && option !== '') return resolve(option)
  const own = env.AGENTPMT_STATE_DIR
  if (own !== undefined && own !== '') return resolve(own)
  const xdg = env.XDG_STATE_HOME
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'agentpmt')
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir()
  return join(home, '.local', 'state', 'agentpmt')
}

/**
 * The folder of the job journal inside a state folder.
 *
 * @example
 * ```ts
 * import { journalDirOf } from './state.js'
 *
 * journalDirOf('/home/me/.local/state/agentpmt') // '/home/me/.local/state/agentpmt/journal'
 * ```
 */
export function journalDirOf(stateDir: string): string {
  return join(stateDir, 'journal')
}

/**
 * Creates the state folder (and its parents) with mode 0700 when missing; an existing folder is
 * left as it is. Done before a job is reserved: a journal that cannot be written would hold the
 * job for nothing. Throws an {@link InputError} naming the folder and the way out.
 *
 * @example
 * ```ts
 * import { prepareStateDir, stateDirOf } from './state.js'
 *
 * const stateDir = await prepareStateDir(stateDirOf(process.env))
 * ```
 */
export async function prepareStateDir(stateDir: string): Promise<string> {
  try {
    await mkdir(journalDirOf(stateDir), { recursive: true, mode: 0o700 })
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    throw new InputError(
      `The state folder ${stateDir} cannot be used${typeof code === 'string' ? ` (${code})` : ''}: give --state <dir>, or --no-state to run without a journal.`,
      { cause },
    )
  }
  return stateDir
}
