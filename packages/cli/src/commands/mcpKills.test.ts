import { writeFileSync } from 'node:fs'
import { beforeAll, expect, test } from 'vitest'
import { binPath, ensureBuilt } from '../../test/harness.js'
// @ts-expect-error: plain JavaScript, shared with bench/mcp-kills.mjs
import { killStages, mcpKills } from '../../test/mcpKills.mjs'

beforeAll(async () => {
  await ensureBuilt()
}, 300_000)

// CI size: 20 kills over 4 jobs, 4 servers at a time on one state folder; `pnpm bench`
// (bench/mcp-kills.mjs) sets MCP_KILLS to 100 or more and reads the report.
const kills = Number(process.env.MCP_KILLS ?? 20)

test(`agentpmt mcp --state killed ${kills} times across the stages: nothing lost, nothing doubled, truthful after restart`, async () => {
  const result = await mcpKills({ binPath, kills, concurrency: 4 })
  if (process.env.MCP_KILLS_REPORT)
    writeFileSync(process.env.MCP_KILLS_REPORT, JSON.stringify(result))
  expect(killStages).toHaveLength(5)
  expect(result.kills).toBe(kills)
  expect(result.lost).toBe(0)
  expect(result.doubled).toBe(0)
  for (const job of result.perJob)
    expect(job).toMatchObject({ reservations: 1, submissions: 1, verified: 1 })
  // The run after the kills tells the truth: the one submission, verified.
  for (const { status } of result.finals)
    expect(status).toMatchObject({ final: true, submission: { verification_status: 'verified' } })
  expect(result.tempFiles).toEqual([])
  expect(result.filesWithKey).toEqual([])
}, 1_800_000)
