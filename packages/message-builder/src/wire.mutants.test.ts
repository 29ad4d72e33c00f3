import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { apiPaths, workflowTokenHeader } from './index.js'

// Every endpoint path against the committed request vectors (vectors/requests/cases.json), the
// protocol's own list of what each endpoint is called at; wire.test.ts covers the encoding.

type Endpoint = {
  name: string
  job_id?: string
  workflow_id?: string
  product_slug?: string
  action_slug?: string
}
type RequestVector = {
  id: string
  input: { endpoint: Endpoint }
  expected: { path: string; headers: Record<string, string> }
}

const vectors = (
  JSON.parse(
    readFileSync(new URL('../../../vectors/requests/cases.json', import.meta.url), 'utf8'),
  ) as { cases: RequestVector[] }
).cases

const pathOf: Record<string, (endpoint: Endpoint) => string> = {
  session: () => apiPaths.session,
  job_list: () => apiPaths.list,
  balance: () => apiPaths.balance,
  job_reserve: (endpoint) => apiPaths.reserve(endpoint.job_id!),
  job_status: (endpoint) => apiPaths.status(endpoint.job_id!),
  job_complete: (endpoint) => apiPaths.complete(endpoint.job_id!),
  workflow_create: (endpoint) => apiPaths.workflowCreate(endpoint.job_id!),
  workflow_publish: (endpoint) => apiPaths.workflowPublish(endpoint.job_id!, endpoint.workflow_id!),
  tool_invoke: (endpoint) => apiPaths.toolInvoke(endpoint.product_slug!, endpoint.action_slug!),
}

test('every endpoint of the request vectors has a path builder', () => {
  expect(new Set(vectors.map((vector) => vector.input.endpoint.name))).toEqual(
    new Set(Object.keys(pathOf)),
  )
})

test.each(vectors.map((vector) => [vector.id, vector] as const))('%s: the path', (_, vector) => {
  expect(pathOf[vector.input.endpoint.name]!(vector.input.endpoint)).toBe(vector.expected.path)
})

test('the workflow token header is the one the workflow vectors send', () => {
  const sent = vectors
    .filter((vector) => vector.input.endpoint.name.startsWith('workflow_'))
    .map((vector) => Object.keys(vector.expected.headers).find((name) => name !== 'content-type'))
  expect(sent).toEqual(['x-job-workflow-token', 'x-job-workflow-token'])
  expect(workflowTokenHeader.toLowerCase()).toBe(sent[0])
})
