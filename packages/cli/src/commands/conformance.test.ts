import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunReport } from '@agentpmt-kit/conformance'
import { beforeAll, describe, expect, test } from 'vitest'
import { binPath, ensureBuilt, runCli, tempDir } from '../../test/harness.js'

beforeAll(ensureBuilt, 300_000)

const cliRoot = fileURLToPath(new URL('../../', import.meta.url))
const repoRoot = join(cliRoot, '..', '..')
const adapters = join(repoRoot, 'packages', 'conformance', 'fixtures')
const broken = join(adapters, 'broken.mjs')
const dir = tempDir()

type Vector = Record<string, unknown> & { id: string }
const vectors = (file: string): Vector[] =>
  (JSON.parse(readFileSync(join(repoRoot, 'vectors', file), 'utf8')) as { cases: Vector[] }).cases

async function conformance(
  command: readonly string[],
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<{
  code: number | null
  report: RunReport & { requiredMissing: string[] }
  stderr: string
}> {
  const result = await runCli(['conformance', 'run', '--json', ...args, '--', ...command], {
    env,
    timeoutMs: 120_000,
  })
  return { code: result.code, report: JSON.parse(result.stdout), stderr: result.stderr }
}

const notPassed = (report: RunReport): string[] =>
  report.cases
    .filter((item) => item.status !== 'pass' && item.status !== 'skip')
    .map((item) => item.id)

describe('agentpmt conformance run', () => {
  test('the TypeScript reference adapter passes every case of every capability', async () => {
    // A busy machine takes seconds over the deepest refusal (1,000,001 nested arrays).
    const { code, report } = await conformance(
      [process.execPath, binPath, 'conformance', 'adapter'],
      ['--timeout', '60s'],
    )
    expect(code).toBe(0)
    expect(report.verdict).toBe('pass')
    expect(report.implementation?.language).toBe('typescript')
    const counts = Object.fromEntries(
      Object.entries(report.capabilities).map(([name, summary]) => [
        name,
        [summary.pass, summary.total],
      ]),
    )
    expect(counts).toEqual({
      canonicalize: [172, 172],
      hash: [172, 172],
      message: [42, 42],
      sign: [79, 79],
      recover: [41, 41],
      request: [14, 14],
      refuse: [113, 113],
    })
  }, 120_000)

  test('the Python adapter passes the capabilities it declares', async () => {
    // Debian's python3-ecdsa and python3-pycryptodome, installed as the docs test installs Chromium.
    spawnSync('bash', [join(adapters, 'python', 'ensure-deps.sh')], { stdio: 'inherit' })
    const python = ['/usr/bin/python3', 'python3'].find(
      (candidate) => spawnSync(candidate, ['-c', 'import json'], { stdio: 'ignore' }).status === 0,
    )
    if (python === undefined) {
      if (process.env.CI) throw new Error('python3 is missing: CI must run the Python adapter')
      console.warn('conformance: SKIPPED the Python adapter (python3 is not installed)')
      return
    }
    const { code, report, stderr } = await conformance(
      [python, join(adapters, 'python', 'adapter.py')],
      ['--timeout', '60s'],
    )
    expect(notPassed(report)).toEqual([])
    expect(code).toBe(0)
    for (const capability of ['canonicalize', 'hash', 'message', 'refuse'] as const)
      expect(report.capabilities[capability].declared).toBe(true)
    const signing = report.capabilities.sign
    if (!signing.declared) {
      const reason = `conformance: the Python adapter cannot sign: ${signing.unsupported ?? stderr}`
      if (process.env.CI) throw new Error(reason)
      console.warn(reason)
    } else {
      expect(report.capabilities.sign.pass).toBe(79)
      expect(report.capabilities.request.pass).toBe(14)
    }
    // Skipped: only what Python cannot express.
    const skipped = report.cases.filter((item) => item.status === 'skip')
    expect(skipped.every((item) => item.tags?.includes('javascript-only'))).toBe(true)
  }, 120_000)

  test('the broken fixture fails exactly the cases its mistakes touch', async () => {
    const html = join(dir, 'broken.html')
    const { code, report } = await conformance(['node', broken], ['--html', html])
    expect(code).toBe(1)
    const astral = vectors('canonical-json/cases.json')
      .filter(
        (item) => (item.divergence as { kind?: string } | undefined)?.kind === 'astral_key_order',
      )
      .map((item) => item.id)
    // Envelope fields hashed: every signed request with a payload (the balance check has none).
    const hashed = vectors('requests/cases.json')
      .filter(
        (item) =>
          (item.expected as { payload: unknown }).payload !== null &&
          (item.expected as { signature: unknown }).signature !== null,
      )
      .map((item) => `request/${item.id}`)
    expect(astral.length).toBeGreaterThan(0)
    expect(notPassed(report).sort()).toEqual(
      [
        ...astral.map((id) => `canonicalize/${id}`),
        ...astral.map((id) => `hash/${id}`),
        ...hashed,
      ].sort(),
    )
    expect(report.capabilities.sign).toMatchObject({ declared: false, unsupported: 'a fixture' })
    await checkHtmlInChromium(html, report)
  }, 120_000)

  test('a crash, a hang and garbage are reported per case and never hang the run', async () => {
    const env = {
      BROKEN_MISBEHAVE: 'crash:hash/empty_array,hang:hash/empty_object,garbage:hash/nested_objects',
    }
    const { code, report } = await conformance(
      ['node', broken],
      ['--only', 'hash', '--timeout', '1s'],
      env,
    )
    expect(code).toBe(1)
    const problems = Object.fromEntries(
      report.cases.filter((item) => item.status === 'error').map((item) => [item.id, item.problem]),
    )
    expect(problems).toEqual({
      'hash/empty_object': 'timeout',
      'hash/empty_array': 'crash',
      'hash/nested_objects': 'garbage',
    })
    expect(report.restarts).toBe(3)
    expect(report.capabilities.hash.total).toBe(172)
  }, 120_000)

  test('an implementation that does not start fails with the reason; --require names what is missing', async () => {
    const silent = await conformance(['node', '-e', 'process.exit(4)'])
    expect(silent.code).toBe(1)
    expect(silent.report.startError).toMatch(/exited before answering start \(code 4\)/)
    const failed = (report: RunReport): string[] =>
      report.checks.filter((check) => check.status === 'fail').map((check) => check.id)
    expect(failed(silent.report)).toEqual(['adapter-starts'])
    const partial = await conformance(['node', broken], ['--only', 'request', '--require', 'sign'])
    expect(partial.report.requiredMissing).toEqual(['sign'])
    expect(failed(partial.report)).toEqual(['request', 'required-not-skipped'])
    const text = await runCli(['conformance', 'run', '--only', 'nope', '--', 'true'])
    expect(text.code).toBe(2)
    expect(text.stderr).toMatch(/capabilities are canonicalize/)
  }, 120_000)
})

describe('agentpmt conformance run, in the terminal', () => {
  test('a failing case shows expected against actual; the failed checks are named', async () => {
    const result = await runCli(['conformance', 'run', '--only', 'hash', '--', 'node', broken], {
      timeoutMs: 120_000,
    })
    expect(result.code).toBe(1)
    const lines = result.stdout.split('\n')
    expect(lines).toContain('✗ hash: 5 of 172 cases failed')
    // The broken fixture sorts keys by code point: both hashes of an astral-key case differ.
    const at = lines.findIndex((line) => line.startsWith('  FAIL hash/'))
    expect(lines[at]).toMatch(/^ {2}FAIL hash\/\S+: raw_sha256, ascii_sha256 differ$/)
    expect(lines[at + 1]).toMatch(/^ {6}raw_sha256 expected "[0-9a-f]{64}"$/)
    expect(lines[at + 2]).toMatch(/^ {17}actual {3}"[0-9a-f]{64}"$/)
    expect(lines[at + 3]).toMatch(/^ {6}ascii_sha256 expected "[0-9a-f]{64}"$/)
    expect(result.stdout).toMatch(/Verdict: FAIL/)
  }, 120_000)
})

/** The HTML report in headless Chromium: it renders, and each failing case shows its sides. */
async function checkHtmlInChromium(path: string, report: RunReport): Promise<void> {
  const executablePath = '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    if (process.env.CI)
      throw new Error(`${executablePath} is missing: run scripts/ensure-chromium.sh`)
    console.warn('conformance: the HTML report was not opened (no /usr/bin/chromium)')
    return
  }
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
  try {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`file://${path}`)
    expect(await page.title()).toContain('broken-fixture')
    expect(await page.locator('#verdict').textContent()).toContain('FAIL')
    const failing = page.locator('tr.case[data-status="fail"]')
    const expectedFailing = report.cases.filter((item) => item.status === 'fail').length
    expect(await failing.count()).toBe(expectedFailing)
    const first = failing.first()
    expect(await first.isVisible()).toBe(true)
    expect(await first.locator('pre.expected').isVisible()).toBe(true)
    expect(await first.locator('pre.actual').isVisible()).toBe(true)
    const box = await first.locator('pre.expected').boundingBox()
    const other = await first.locator('pre.actual').boundingBox()
    // Side by side: same row, the actual to the right of the expected.
    expect(box && other && other.x > box.x && Math.abs(other.y - box.y) < 40).toBe(true)
    expect(errors).toEqual([])
  } finally {
    await browser.close()
  }
}
