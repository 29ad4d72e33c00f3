/**
 * The proof a test worker gives for a social-share job: one post with the reservation's tracked
 * URL and platform, as the local checks and the sandbox want it. Not published.
 */
import type { CompletionProof } from '../proofChecks.js'
import type { Reservation } from '../Reservation.js'

export function shareProof(reservation: Reservation): CompletionProof {
  return {
    proof_text: 'Published the required AgentPMT social post.',
    social_posts: [
      {
        platform: reservation.platform ?? '',
        post_url: `https://www.linkedin.com/feed/update/urn:li:activity:${reservation.reservation_id}`,
        target_url_used: reservation.trackedUrl ?? '',
        message_text: `Paid AgentPMT share: ${reservation.trackedUrl}`,
        posted_at: new Date().toISOString(),
      },
    ],
  }
}
