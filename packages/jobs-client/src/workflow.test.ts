import { describe, expect, test } from 'vitest'
import { apiError, connectionLost, drive, routeOf, setup, workflowToken } from './test/fakes.js'
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
