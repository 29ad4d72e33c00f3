import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { tempDir } from '../test/harness.js'
import { InputError } from './input.js'
import { journalDirOf, prepareStateDir, stateDirOf } from './state.js'

const dir = tempDir()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('stateDirOf', () => {
  test('--state, then AGENTPMT_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state', () => {
    const env = {
      AGENTPMT_STATE_DIR: '/srv/agent/state',
      XDG_STATE_HOME: '/home/me/.state',
      HOME: '/home/me',
    }
    expect(stateDirOf(env, '/tmp/run-state')).toBe('/tmp/run-state')
    expect(stateDirOf(env)).toBe('/srv/agent/state')
    expect(stateDirOf({ ...env, AGENTPMT_STATE_DIR: '' })).toBe('/home/me/.state/agentpmt')
    expect(stateDirOf({ HOME: '/home/me' })).toBe('/home/me/.local/state/agentpmt')
    expect(stateDirOf({})).toBe(join(homedir(), '.local', 'state', 'agentpmt'))
  })

  test('relative paths: --state and AGENTPMT_STATE_DIR resolved, a relative XDG_STATE_HOME ignored', () => {
    expect(stateDirOf({}, 'state')).toBe(resolve('state'))
    expect(stateDirOf({ AGENTPMT_STATE_DIR: 'state' })).toBe(resolve('state'))
    expect(stateDirOf({ XDG_STATE_HOME: 'relative', HOME: '/home/me' })).toBe(
      '/home/me/.local/state/agentpmt',
    )
  })
})

describe('prepareStateDir', () => {
  test.skipIf(process.platform === 'win32')('creates the folders with mode 0700', async () => {
    const stateDir = join(dir, 'a', 'b', 'agentpmt')
    await prepareStateDir(stateDir)
    for (const folder of [join(dir, 'a'), stateDir, journalDirOf(stateDir)])
      expect(statSync(folder).mode & 0o777).toBe(0o700)
  })

  test('an existing folder is left as it is', async () => {
    const stateDir = join(dir, 'existing')
    mkdirSync(stateDir, { mode: 0o755 })
    chmodSync(stateDir, 0o755)
    await prepareStateDir(stateDir)
    expect(statSync(stateDir).mode & 0o777).toBe(0o755)
  })

  test('a folder that cannot be made is an InputError naming it and the way out', async () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, '')
    const error = await prepareStateDir(join(file, 'state')).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).shortMessage).toContain(join(file, 'state'))
    expect((error as InputError).shortMessage).toContain('--no-state')
  })
})
