#!/usr/bin/env node
// `pnpm bench`: `agentpmt mcp --state` put through MCP_KILLS SIGKILLs (100 by default), spread
// evenly over the stages of the loop (reserve_job, complete_job in flight and just answered,
// job_status in flight), then checked against the sandbox's record; its figures written as a
// section of BENCHMARKS.md. CI runs the same test with 20 kills
// (packages/cli/src/commands/mcpKills.test.ts, harness in packages/cli/test/mcpKills.mjs).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeSection } from './section.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const kills = process.env.MCP_KILLS ?? '100'
const folder = mkdtempSync(join(tmpdir(), 'mcp-kills-'))
const report = join(folder, 'report.json')
const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', 'packages/cli/src/commands/mcpKills.test.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MCP_KILLS: kills, MCP_KILLS_REPORT: report },
  },
)
const figures = JSON.parse(readFileSync(report, 'utf8'))
rmSync(folder, { recursive: true, force: true })
const section = [
  '## MCP server under kills',
  '',
  `\`agentpmt mcp --state DIR\` killed with SIGKILL ${figures.kills} times, spread evenly over five`,
  'stages (reserve_job in flight, just answered; complete_job in flight, just answered; job_status',
  `in flight), on ${figures.jobs} social-share jobs driven 4 at a time on one state folder, each job`,
  'finished by a run that is not killed; checked against the sandbox record.',
  '',
  '| kills | server starts | jobs | verified | lost | doubled | temp files left | files holding the key | seconds |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  `| ${figures.kills} | ${figures.starts} | ${figures.jobs} | ${figures.perJob.filter((job) => job.verified === 1).length} | ${figures.lost} | ${figures.doubled} | ${figures.tempFiles.length} | ${figures.filesWithKey.length} | ${figures.seconds.toFixed(0)} |`,
  '',
]
writeSection(join(root, 'BENCHMARKS.md'), section)
console.error(
  `wrote the MCP kill run to BENCHMARKS.md (${result.status === 0 ? 'passed' : 'FAILED'})`,
)
process.exit(result.status ?? 1)
