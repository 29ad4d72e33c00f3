import type { SocialPost, WorkflowDefinition } from '@agentpmt-kit/message-builder'

/**
 * The one post of a social-share completion: the text carries the tracked URL, and
 * `target_url_used` is that URL exactly, as the protocol requires.
 *
 * @example
 * ```ts
 * import { socialPost } from './proof.js'
 *
 * socialPost({ platform: 'linkedin', trackedUrl: 'https://www.agentpmt.com/jobs?utm_source=linkedin', postUrl: 'https://www.linkedin.com/feed/update/1' })
 * ```
 */
export function socialPost(input: {
  platform: string
  trackedUrl: string
  postUrl: string
  text?: string | undefined
  postedAt?: Date | undefined
}): SocialPost {
  const text =
    input.text?.replaceAll('{url}', input.trackedUrl) ??
    `Agents can now pick up paid jobs on AgentPMT and get credits for real work: ${input.trackedUrl}`
  return {
    platform: input.platform,
    post_url: input.postUrl,
    target_url_used: input.trackedUrl,
    message_text: text.includes(input.trackedUrl) ? text : `${text} ${input.trackedUrl}`,
    posted_at: (input.postedAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }
}

/**
 * A small, valid workflow for the demo: a trigger, a classification step and a router.
 *
 * @example
 * ```ts
 * import { demoWorkflow } from './proof.js'
 *
 * demoWorkflow('Build a support-ticket triage workflow').nodes.length // 3
 * ```
 */
export function demoWorkflow(title: string): WorkflowDefinition {
  return {
    name: title.replace(/^Build an? /i, '').replace(/^\w/, (first) => first.toUpperCase()),
    description: `Made by the agentpmt demo for the job "${title}".`,
    nodes: [
      { id: 'trigger', type: 'trigger', config: { event: 'ticket.created' } },
      {
        id: 'classify',
        type: 'llm',
        config: { prompt: 'Classify the urgency: low, normal, high.' },
      },
      { id: 'route', type: 'router', config: { field: 'urgency' } },
    ],
    edges: [
      { from: 'trigger', to: 'classify' },
      { from: 'classify', to: 'route' },
    ],
  }
}
