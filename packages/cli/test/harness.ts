import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const repoRoot = join(cliRoot, '..', '..')
/** The built binary the tests run, as a user would. */
export const binPath: string = join(cliRoot, 'dist', 'bin.js')

const workspaceDeps = [
  'canonical-json',
  'message-builder',
  'error-recovery',
  'signer-viem',
  'sandbox',
  'jobs-client',
  'mcp',
  'cli',
]

/**
 * Builds the CLI and the packages under it when `dist/bin.js` is missing or older than any of
 * their sources. Test files run in parallel workers, so the build holds a lock directory and
 * the others wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(
    tmpdir(),
    `agentpmt-cli-build-${Buffer.from(repoRoot).toString('hex').slice(-24)}`,
  )
  for (;;) {
    if (!stale()) return
    try {
      mkdirSync(lock)
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500))
      continue
    }
    try {
      if (!stale()) return
      const result = spawnSync('pnpm', ['--filter', '@agentpmt-kit/cli...', 'build'], {
        cwd: repoRoot,
        encoding: 'utf8',
      })
      if (result.status !== 0)
        throw new Error(`building the CLI failed:\n${result.stdout}\n${result.stderr}`)
      return
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
}

function stale(): boolean {
  if (!existsSync(binPath)) return true
  const built = statSync(binPath).mtimeMs
  return workspaceDeps.some((name) => newestSource(join(repoRoot, 'packages', name, 'src')) > built)
}

function newestSource(directory: string): number {
  let newest = 0
  if (!existsSync(directory)) return newest
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (/\.ts$/.test(entry.name) && !/\.(test|fuzz|bench)\.ts$|\.test-d\.ts$/.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** What a run of the command line gave. */
export type CliResult = { code: number | null; stdout: string; stderr: string }

/** How {@link runCli} runs the command line. */
export type RunOptions = {
  stdin?: string
  env?: Record<string, string>
  /** Runs the built binary in a process of its own, in this folder. */
  cwd?: string
  /** The run's code is `null` after this long (a process is killed). */
  timeoutMs?: number
  /**
   * Runs the built binary in a process of its own, as a user does (`dist/bin.js`: the exit code
   * of the process, what a closed pipe does). By default the command line runs in this process,
   * through the same `run()` that `bin.js` calls, with its own io: a process costs about a second
   * of CPU to load viem and the packages, and the CLI's tests start hundreds.
   */
  process?: boolean
}

/**
 * Runs `agentpmt <args>`. `AGENTPMT_PRIVATE_KEY` is removed from the inherited environment; pass
 * it in `env` when a test needs it.
 */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return options.process === true || options.cwd !== undefined
    ? runBinary(args, options)
    : runInProcess(args, options)
}

function environment(options: RunOptions): Record<string, string | undefined> {
  const { AGENTPMT_PRIVATE_KEY: _, ...inherited } = process.env
  return { ...inherited, NO_COLOR: '1', ...options.env }
}

async function runInProcess(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const { run } = await import('../src/program.js')
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin ? [Buffer.from(options.stdin)] : []),
    env: environment(options),
  }
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.timeoutMs ?? 60_000)
  })
  const code = await Promise.race([run(['node', 'agentpmt', ...args], { io }), timedOut])
  clearTimeout(timer)
  return { code, stdout, stderr }
}

function runBinary(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? cliRoot,
      env: environment(options),
      stdio: 'pipe',
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(options.stdin ?? '')
  })
}

/** Starts `agentpmt <args>` and returns the child, for long-running commands such as `sandbox`. */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  const { AGENTPMT_PRIVATE_KEY: _, ...inherited } = process.env
  return spawn(process.execPath, [binPath, ...args], {
    cwd: cliRoot,
    env: { ...inherited, ...env },
    stdio: 'pipe',
  })
}

/** A one-line error: exactly one line on stderr, starting with `error:`, no stack frame. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.split('\n').filter((line) => line !== '')
  return lines.length === 1 && lines[0]!.startsWith('error:') && !/\n\s+at /.test(stderr)
}

/** A temporary directory for input files, removed by the caller. */
export function tempDir(): string {
  const path = join(
    tmpdir(),
    `agentpmt-cli-test-${process.pid}-${Math.random().toString(36).slice(2)}`,
  )
  mkdirSync(path, { recursive: true })
  return path
}
