import type { ChildProcess } from 'node:child_process'

/**
 * Kills a process started with `detached: true` and everything in its process group (what a
 * wrapper script started too), with SIGKILL; a process that already ended is left alone.
 *
 * @example
 * ```ts
 * import { spawn } from 'node:child_process'
 * import { killProcessGroup } from './process.js'
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
