import type { Tool } from '@modelcontextprotocol/sdk/types.js'
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation'
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv'
import { afterEach, describe, expect, test } from 'vitest'
import { mcpToolNames } from './index.js'
import { connect, type Session, sandboxAndWallet, serverOptions } from './test/harness.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function session(options: Parameters<typeof connect>[0]): Promise<Session> {
  const connected = await connect(options)
  cleanups.push(() => connected.close())
  return connected
}

/** Arguments each tool takes as valid. */
const validArgs: Record<string, Record<string, unknown>> = {
  list_jobs: {},
  reserve_job: { job_id: 'job_share_x' },
  complete_job: { job_id: 'job_share_x', proof_text: 'done' },
  job_status: { job_id: 'job_share_x' },
  create_workflow: { job_id: 'job_workflow_x', name: 'n', description: 'd', nodes: [], edges: [] },
  publish_workflow: { job_id: 'job_workflow_x', workflow_id: 'wf_1' },
  diagnose_refusal: {},
}

/** A JSON Schema check of a value against a tool's advertised output schema (the SDK's AJV). */
function outputCheck(tool: Tool | undefined): (value: unknown) => boolean {
  const validator = new AjvJsonSchemaValidator().getValidator(
    (tool?.outputSchema ?? {}) as JsonSchemaType,
  )
  return (value) => validator(value).valid
}

describe('error results', () => {
  test('every tool answers a failure as structuredContent { error } too, valid against its output schema', async () => {
    const { sandbox, key, signer } = await sandboxAndWallet()
    cleanups.push(() => sandbox.close())
    const client = await session(serverOptions(sandbox, signer, key))
    const tools = (await client.client.listTools()).tools
    const calls: [string, Record<string, unknown>, string][] = [
      ['list_jobs', { limit: 0 }, 'invalid_input'],
      ['reserve_job', { job_id: 'job_nope' }, 'not_found'],
      ['complete_job', validArgs.complete_job!, 'not_reserved_here'],
      ['job_status', { job_id: 'job_share_x', wait: 5 }, 'invalid_input'],
      ['create_workflow', validArgs.create_workflow!, 'not_reserved_here'],
      ['publish_workflow', validArgs.publish_workflow!, 'not_reserved_here'],
      ['diagnose_refusal', { error_body: 'not an object' }, 'invalid_input'],
      ['no_such_tool', {}, 'invalid_input'],
    ]
    expect(new Set(calls.map(([name]) => name))).toEqual(new Set([...mcpToolNames, 'no_such_tool']))
    for (const [name, args, code] of calls) {
      // The SDK's client validates structured content against the output schema, errors
      // included (v1): an error the schema did not admit would throw here.
      const { result } = await client.call(name, args)
      const where = `${name} ${JSON.stringify(args)}`
      expect(result.isError, where).toBe(true)
      const error = (result.structuredContent as { error: Record<string, unknown> }).error
      expect(Object.keys(result.structuredContent ?? {}), where).toEqual(['error'])
      expect(error.code, where).toBe(code)
      expect(error.message, where).toEqual(expect.any(String))
      expect(error.next_step, where).toEqual(expect.any(String))
      // The text a model reads says the same, and the JSON text block is the same object.
      const [text, json] = result.content.map((block) => (block.type === 'text' ? block.text : ''))
      expect(text, where).toMatch(new RegExp(`^Error \\(${code}\\): `))
      expect(text, where).toContain(String(error.message))
      expect(text, where).toContain(`Next: ${String(error.next_step)}`)
      expect(JSON.parse(json ?? ''), where).toEqual(result.structuredContent)
      const tool = tools.find((listed) => listed.name === name)
      if (tool !== undefined) expect(outputCheck(tool)(result.structuredContent), where).toBe(true)
    }
    const notFound = client.calls[1]?.data.error
    expect(notFound).toMatchObject({ http_status: 404, error_code: 'EXTERNAL_NOT_FOUND' })
    expect(client.calls[3]?.data.error).toMatchObject({
      message: expect.stringMatching(
        /unknown argument wait: job_status takes job_id, wait_seconds/,
      ),
    })
  })

  test('the output schemas still hold a success to its fields', async () => {
    const { sandbox, key, signer } = await sandboxAndWallet()
    cleanups.push(() => sandbox.close())
    const client = await session(serverOptions(sandbox, signer, key))
    const tools = (await client.client.listTools()).tools
    const check = outputCheck(tools.find((tool) => tool.name === 'list_jobs'))
    const listed = (await client.call('list_jobs', {})).data
    expect(check(listed)).toBe(true)
    const { jobs: _, ...withoutJobs } = listed
    expect(check(withoutJobs)).toBe(false)
    expect(check({ ...listed, total: 'many' })).toBe(false)
    const error = { code: 'not_found', message: 'm', next_step: 'n' }
    expect(check({ error })).toBe(true)
    // An error stands alone, and is a failure the server can give.
    expect(check({ ...listed, error })).toBe(false)
    expect(check({ error: { ...error, code: 'oops' } })).toBe(false)
    expect(check({})).toBe(false)
  })
})

describe('a server without a wallet', () => {
  test('lists its tools, and every call says what is missing and how to set it', async () => {
    const logLines: string[] = []
    const client = await session({
      notConfigured: {
        message: 'AGENTPMT_PRIVATE_KEY is not set.',
        fix: 'Set AGENTPMT_PRIVATE_KEY in the env of this server, then restart it.',
      },
      log: (line) => logLines.push(line),
    })
    const tools = (await client.client.listTools()).tools
    expect(tools.map((tool) => tool.name).sort()).toEqual([...mcpToolNames].sort())
    for (const name of mcpToolNames) {
      const { result, data, text } = await client.call(name, validArgs[name])
      expect(result.isError, name).toBe(true)
      expect(data, name).toEqual({
        error: {
          code: 'not_configured',
          message: 'AGENTPMT_PRIVATE_KEY is not set.',
          next_step: 'Set AGENTPMT_PRIVATE_KEY in the env of this server, then restart it.',
        },
      })
      expect(text, name).toMatch(/^Error \(not_configured\): AGENTPMT_PRIVATE_KEY is not set\./)
    }
    expect(logLines.map((line) => JSON.parse(line).result)).toContain('not_configured')
  })
})
