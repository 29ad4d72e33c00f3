import { describe, expect, test } from 'vitest'
import {
  apiError,
  type Call,
  connectionLost,
  drive,
  json,
  routeOf,
  setup,
  workflowToken,
} from './test/fakes.js'
import { WorkflowTokenMissingError } from './workflow.js'

const workflow = {
  name: 'Triage tickets',
  description: 'Creates a ticket, triages it and posts a summary',
  nodes: [{ id: 'n1' }],
  edges: [],
}

describe('workflow endpoints', () => {
  test('send X-Job-Workflow-Token: Bearer <token> to those two endpoints, and only there', async () => {
    const { client, calls, events, clock } = setup()
    const reservation = await client.reserve('job_workflow_1')
    const created = await client.createWorkflow(reservation, workflow)
    const published = await client.publishWorkflow(reservation, created.workflow_id)
    await client.complete(reservation, {
      proof_text: 'Published.',
      workflow_id: published.workflow_id,
    })
    await drive(clock, client.waitForVerification('job_workflow_1'))
    expect(created).toEqual({ workflow_id: 'wf_1', status: 'draft' })
    expect(created.raw).toEqual({ workflow_id: 'wf_1', job_id: 'job_workflow_1', status: 'draft' })
    expect(published.status).toBe('published')
    for (const call of calls) {
      const route = routeOf(call.path)
      const header = call.headers.get('X-Job-Workflow-Token')
      if (route === 'workflowCreate' || route === 'workflowPublish')
        expect(header).toBe(`Bearer ${workflowToken}`)
      else expect(header).toBeNull()
      expect(call.text).not.toContain(workflowToken)
      expect(call.path).not.toContain(workflowToken)
    }
    expect(calls.find((call) => routeOf(call.path) === 'workflowCreate')!.body).toEqual(workflow)
    expect(calls.find((call) => routeOf(call.path) === 'workflowPublish')!.path).toBe(
      '/api/external/jobs/job_workflow_1/workflow/wf_1/publish',
    )
    expect(JSON.stringify(events)).not.toContain(workflowToken)
  })

  test('a workflow id that a URL would resolve into another path: refused, nothing sent', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_workflow_1')
    for (const workflowId of ['..', '.', ''])
      await expect(client.publishWorkflow(reservation, workflowId)).rejects.toMatchObject({
        name: 'JobsClient.InvalidArgumentError',
        argument: 'workflowId',
      })
    expect(calls.filter((call) => routeOf(call.path).startsWith('workflow'))).toHaveLength(0)
  })

  test('a share reservation has no token: WorkflowTokenMissingError, nothing sent', async () => {
    const { client, calls } = setup()
    const reservation = await client.reserve('job_share_linkedin')
    await expect(client.createWorkflow(reservation, workflow)).rejects.toBeInstanceOf(
      WorkflowTokenMissingError,
    )
    expect(calls.filter((call) => routeOf(call.path).startsWith('workflow'))).toHaveLength(0)
  })

  test('create is not re-sent after a lost connection (it would make a second workflow)', async () => {
    const { client, calls, clock } = setup({ workflowCreate: () => connectionLost(true) })
    const reservation = await client.reserve('job_workflow_1')
    await expect(drive(clock, client.createWorkflow(reservation, workflow))).rejects.toMatchObject({
      name: 'ErrorRecovery.NetworkError',
    })
    expect(calls.filter((call) => routeOf(call.path) === 'workflowCreate')).toHaveLength(1)
  })

  test('publish is re-sent after a lost connection; a 403 is thrown, token not in the error', async () => {
    let lost = 1
    const { client, calls, clock, server } = setup({
      workflowPublish: (call, index) =>
        lost-- > 0 ? connectionLost() : server.routes.workflowPublish(call, index),
    })
    const reservation = await client.reserve('job_workflow_1')
    await drive(clock, client.publishWorkflow(reservation, 'wf_1'))
    expect(calls.filter((call) => routeOf(call.path) === 'workflowPublish')).toHaveLength(2)

    const forbidden = setup({
      workflowCreate: () =>
        apiError(403, 'EXTERNAL_FORBIDDEN', { detail: 'The workflow token is not valid.' }),
    })
    const other = await forbidden.client.reserve('job_workflow_1')
    const error = await forbidden.client.createWorkflow(other, workflow).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ErrorRecovery.ForbiddenError', status: 403 })
    expect(String((error as Error).message)).not.toContain(workflowToken)
    expect(JSON.stringify(error)).not.toContain(workflowToken)
  })
})

describe('the workflow token header: X-Job-Workflow-Token or Authorization', () => {
  /** A server that reads the token from Authorization only, as AgentPMT's agent skill sends it. */
  const authorizationOnly = (route: 'workflowCreate' | 'workflowPublish') => (call: Call) =>
    call.headers.get('authorization') === `Bearer ${workflowToken}`
      ? json(200, {
          workflow_id: 'wf_1',
          status: route === 'workflowCreate' ? 'draft' : 'published',
        })
      : json(401, { detail: 'Authentication credentials were not provided.' })

  test('a 401 without a signature code: once again with Authorization, remembered, noted as a guess', async () => {
    const { client, calls, events } = setup({
      workflowCreate: authorizationOnly('workflowCreate'),
      workflowPublish: authorizationOnly('workflowPublish'),
    })
    const reservation = await client.reserve('job_workflow_1')
    const created = await client.createWorkflow(reservation, workflow)
    await client.publishWorkflow(reservation, created.workflow_id)
    const sent = calls
      .filter((call) => routeOf(call.path).startsWith('workflow'))
      .map((call) => [
        routeOf(call.path),
        call.headers.has('x-job-workflow-token') ? 'X-Job-Workflow-Token' : 'Authorization',
      ])
    expect(sent).toEqual([
      ['workflowCreate', 'X-Job-Workflow-Token'],
      ['workflowCreate', 'Authorization'],
      // Remembered: publish goes straight to the header that worked.
      ['workflowPublish', 'Authorization'],
    ])
    expect(
      events.filter((event) => event.type === 'guess' && event.field === 'workflow token header'),
    ).toEqual([
      expect.objectContaining({
        guess: 'Authorization: Bearer <token> (the server answered 401 to X-Job-Workflow-Token)',
      }),
    ])
    // The token goes to the workflow endpoints only, one header at a time, never logged.
    for (const call of calls) {
      const carried = [...call.headers.values()].filter((value) => value.includes(workflowToken))
      expect(carried.length, call.path).toBe(routeOf(call.path).startsWith('workflow') ? 1 : 0)
      expect(call.text + call.path).not.toContain(workflowToken)
    }
    expect(JSON.stringify(events)).not.toContain(workflowToken)
  })

  test('a signature refusal, or a 401 to both headers: no third try, nothing remembered', async () => {
    const signature = setup({
      workflowCreate: () => apiError(401, 'EXTERNAL_SIGNATURE_MALFORMED'),
    })
    const reserved = await signature.client.reserve('job_workflow_1')
    await expect(signature.client.createWorkflow(reserved, workflow)).rejects.toMatchObject({
      status: 401,
    })
    expect(signature.calls.filter((call) => routeOf(call.path) === 'workflowCreate')).toHaveLength(
      1,
    )

    const neither = setup({
      workflowCreate: () => json(401, { detail: 'Invalid token.' }),
      workflowPublish: () => json(401, { detail: 'Invalid token.' }),
    })
    const reservation = await neither.client.reserve('job_workflow_1')
    await expect(neither.client.createWorkflow(reservation, workflow)).rejects.toMatchObject({
      name: 'ErrorRecovery.UnknownAuthError',
    })
    await expect(neither.client.publishWorkflow(reservation, 'wf_1')).rejects.toMatchObject({
      status: 401,
    })
    const headers = neither.calls
      .filter((call) => routeOf(call.path).startsWith('workflow'))
      .map((call) => call.headers.has('authorization'))
    // Each call tries X-Job-Workflow-Token first, then Authorization once.
    expect(headers).toEqual([false, true, false, true])
    expect(
      neither.events.some(
        (event) => event.type === 'guess' && event.field === 'workflow token header',
      ),
    ).toBe(false)
  })
})
