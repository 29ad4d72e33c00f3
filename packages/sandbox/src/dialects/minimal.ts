import { errorBody, isObject, pick, successBody } from './json.js'
import type { Dialect, JsonObject } from './types.js'

const mismatchDetails = [
  'expected_message',
  'accepted_path_candidates',
  'expected_payload_hash',
  'accepted_payload_hashes',
  'expected_wallet',
  'recovered_wallet_for_expected_message',
  'payload_canonical_top_level_keys',
] as const

function verificationOnly(submission: unknown): JsonObject | null {
  if (!isObject(submission)) return null
  const verification = isObject(submission.verification) ? submission.verification : {}
  return { verification: pick(verification, ['status']) }
}

function reserve(body: JsonObject): JsonObject {
  const job = isObject(body.job) ? body.job : {}
  const share = isObject(job.social_share) ? job.social_share : undefined
  const access = isObject(body.workflow_access) ? body.workflow_access : undefined
  return {
    reservation_id: body.reservation_id,
    instructions: body.instructions,
    job: {
      job_id: job.job_id,
      ...(share ? { social_share: pick(share, ['tracking_links']) } : {}),
    },
    ...(access ? { workflow_access: pick(access, ['access_token']) } : {}),
  }
}

/**
 * `minimal`: only what the guides guarantee where they speak (session, list, reserve, complete,
 * status and error bodies); no expiry anywhere. Workflow, tool and balance answers are left as
 * they are: the guides do not give their shapes.
 */
export const minimal: Dialect = {
  rewrite(answer, { route }) {
    const error = errorBody(answer)
    if (error) {
      const details = isObject(error.details) ? error.details : {}
      const kept =
        error.error_code === 'EXTERNAL_SIGNATURE_WALLET_MISMATCH'
          ? pick(details, mismatchDetails)
          : {}
      return {
        ...answer,
        body: {
          error_code: error.error_code,
          detail: error.detail,
          details: { checklist: details.checklist, ...kept },
        },
      }
    }
    const body = successBody(answer)
    if (!body) return answer
    switch (route) {
      case 'session':
        return { ...answer, body: pick(body, ['session_nonce']) }
      case 'list':
        return {
          ...answer,
          body: {
            jobs: Array.isArray(body.jobs)
              ? body.jobs.map((item) => (isObject(item) ? pick(item, ['job_id', 'title']) : item))
              : [],
          },
        }
      case 'reserve':
        return 'reservation_id' in body ? { ...answer, body: reserve(body) } : answer
      case 'complete':
      case 'status':
        return { ...answer, body: { submission: verificationOnly(body.submission) } }
      default:
        return answer
    }
  },
}
