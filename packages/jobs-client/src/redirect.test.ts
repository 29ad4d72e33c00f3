import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createViemSigner } from '@agentpmt-kit/signer-viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterEach, expect, test } from 'vitest'
import { createJobsClient } from './index.js'

const servers: Server[] = []
afterEach(() =>
  Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done)))),
)

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

test('a redirect is not followed: nothing reaches the other URL, a typed error names it', async () => {
  const reached: string[] = []
  const other = await listen((request, response) => {
    reached.push(`${request.method} ${request.url}`)
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  const baseUrl = await listen((request, response) => {
    response.writeHead(307, { location: `${other}/steal${request.url}` }).end()
  })
  const signer = createViemSigner(privateKeyToAccount(generatePrivateKey()))
  const client = createJobsClient({ signer, baseUrl })
  await expect(client.listJobs()).rejects.toMatchObject({
    name: 'ErrorRecovery.UnknownApiError',
    status: 307,
    detail: expect.stringContaining(`Redirected to ${other}/steal`),
  })
  expect(reached).toEqual([])
})
