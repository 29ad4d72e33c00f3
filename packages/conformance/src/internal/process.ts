import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process'

/**
 * Starts an implementation under test (`command` is the program and its arguments) in its own
 * process group, so that {@link killProcessGroup} reaches what a wrapper script started too; `env`
 * is added to this process's environment.
 *
 * @example
 * ```ts
 * import { startProcessGroup } from '@agentpmt-kit/conformance'
 *
 * const child = startProcessGroup(['python3', 'adapter.py'], { stdio: ['pipe', 'pipe', 'pipe'] })
 * ```
 */
export function startProcessGroup(
  command: readonly string[],
  options: {
    stdio: StdioOptions
    env?: Readonly<Record<string, string | undefined>> | undefined
    cwd?: string | undefined
  },
): ChildProcess {
  const [file, ...args] = command
  return spawn(file as string, args, {
    stdio: options.stdio,
    cwd: options.cwd,
    env: { ...process.env, ...options.env } as NodeJS.ProcessEnv,
    detached: process.platform !== 'win32',
  })
}

/**
 * Kills a process started with `detached: true` and everything in its process group (what a
 * wrapper script started too), with SIGKILL; a process that already ended is left alone.
 *
 * @example
 * ```ts
 * import { spawn } from 'node:child_process'
 * import { killProcessGroup } from '@agentpmt-kit/conformance'
 *
 * const child = spawn('sleep', ['60'], { detached: true })
 * killProcessGroup(child)
 * ```
 */
export function killProcessGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}
