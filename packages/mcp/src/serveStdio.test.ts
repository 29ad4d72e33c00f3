import { PassThrough } from 'node:stream'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { createMcpServer, serveStdio } from './index.js'
import { initializeRequest } from './test/messages.js'

/** A server on in-memory stdio: lines written to `stdin`, answers read from `answers`. */
async function serve(options: { maxMessageBytes?: number } = {}) {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const server = createMcpServer({
    signer: createViemSigner(privateKeyToAccount(generatePrivateKey())),
    baseUrl: 'http://127.0.0.1:9',
    log: () => {},
  })
  const serving = await serveStdio(server, { stdin, stdout, ...options })
  const answers: Array<Record<string, unknown>> = []
  let pending = ''
  let arrived: () => void = () => {}
  stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) answers.push(JSON.parse(line))
    arrived()
  })
  /** Resolves once `count` answers have arrived in all. */
  const answered = (count: number) =>
    new Promise<Array<Record<string, unknown>>>((resolve) => {
      arrived = () => {
        if (answers.length >= count) resolve(answers)
      }
      arrived()
    })
  return { stdin, serving, answered }
}

/** Answers by their id (`none` for one without). */
function byId(answers: ReadonlyArray<Record<string, unknown>>) {
  return Object.fromEntries(answers.map((answer) => [String(answer.id ?? 'none'), answer]))
}

const initialize = `${JSON.stringify(initializeRequest)}\n`
const listTools = (id: number) =>
  `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' })}\n`
/** A tools/call whose arguments make the line `bytes` long, its id last as the SDK writes it. */
const hugeCall = (id: number, bytes: number) => {
  const head =
    '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"job_status","arguments":{"job_id":"'
  const tail = `"}},"id":${id}}\n`
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail
}

describe.concurrent('serveStdio', () => {
  test('a line over 10 MiB is answered with an error (its id found), later lines are served', async () => {
    const { stdin, serving, answered } = await serve()
    stdin.write(initialize)
    stdin.write(hugeCall(2, 11 * 1024 * 1024))
    stdin.write(listTools(3))
    const answers = byId(await answered(3))
    expect(answers[1]).toMatchObject({ result: { serverInfo: expect.any(Object) } })
    expect(answers[2]).toMatchObject({
      error: { code: -32600, message: expect.stringMatching(/over 10485760 bytes/) },
    })
    expect(answers[3]).toMatchObject({ result: { tools: expect.any(Array) } })
    stdin.end()
    await serving.closed
  })

  test('a 9 MB line is read whole', async () => {
    const { stdin, serving, answered } = await serve()
    stdin.write(initialize)
    stdin.write(hugeCall(2, 9_000_000))
    // Read, parsed and served: the tool itself refuses a job id of 9 MB.
    expect(byId(await answered(2))[2]).toMatchObject({ result: { isError: true } })
    stdin.end()
    await serving.closed
  })

  test('stdin ending in the middle of a line too long closes the connection', async () => {
    const { stdin, serving } = await serve()
    stdin.write(initialize)
    stdin.write(hugeCall(2, 11 * 1024 * 1024).slice(0, -1))
    stdin.end()
    await serving.closed
  })

  test('maxMessageBytes sets the longest line, its newline not counted', async () => {
    const { stdin, serving, answered } = await serve({ maxMessageBytes: 1024 })
    stdin.write(hugeCall(4, 1025))
    stdin.write(hugeCall(5, 1026))
    // The id first, and another one nested further on: the top-level one is answered.
    stdin.write(
      `{"jsonrpc":"2.0","id":"six","method":"x","params":{"id":9,"pad":"${'x'.repeat(2000)}"}}\n`,
    )
    const answers = byId(await answered(3))
    expect(answers.six).toMatchObject({ error: { code: -32600 } })
    expect(answers[4]).toMatchObject({ result: { isError: true } })
    expect(answers[5]).toMatchObject({
      error: { code: -32600, message: expect.stringMatching(/over 1024 bytes/) },
    })
    stdin.end()
    await serving.closed
  })

  test('a line that is not JSON, or not JSON-RPC, is answered, not dropped', async () => {
    const { stdin, serving, answered } = await serve()
    stdin.write('hello\n\n')
    stdin.write('{"jsonrpc":"2.0","id":7,"params":{}}\n')
    stdin.write(listTools(8))
    const answers = byId(await answered(3))
    expect(answers.none).toMatchObject({ error: { code: -32700 } })
    expect(answers[7]).toMatchObject({ error: { code: -32600 } })
    expect(answers[8]).toMatchObject({ result: { tools: expect.any(Array) } })
    stdin.end()
    await serving.closed
  })
})
