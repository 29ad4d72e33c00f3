import { expect, test } from 'vitest'
import { apiPaths } from './index.js'

test('path parameters are URL-encoded', () => {
  expect(apiPaths.reserve('job 1/2')).toBe('/api/external/jobs/job%201%2F2/reserve')
  expect(apiPaths.workflowPublish('job_1', 'wf?x')).toBe(
    '/api/external/jobs/job_1/workflow/wf%3Fx/publish',
  )
})

test.each([
  ['jobId', () => apiPaths.status('..')],
  ['jobId', () => apiPaths.complete('.')],
  ['jobId', () => apiPaths.reserve('')],
  ['workflowId', () => apiPaths.workflowPublish('job_1', '..')],
  ['actionSlug', () => apiPaths.toolInvoke('web-search', '.')],
  ['productSlug', () => apiPaths.toolInvoke(undefined as never, 'search')],
] as const)('a %s that a URL would resolve into another path is refused', (field, build) => {
  // new URL('/api/external/jobs/../status', base) would be /api/external/status.
  expect(build).toThrowError(
    expect.objectContaining({ name: 'MessageBuilder.InvalidMessageFieldError', field }),
  )
})
