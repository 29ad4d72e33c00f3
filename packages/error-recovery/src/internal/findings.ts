import type {
  PayloadFinding,
  SignatureFinding,
  SignatureMistake,
  SignatureProblem,
  SignatureProblemKind,
} from '../diagnoseSignature.js'
import type { PayloadHypothesis } from './hypotheses.js'

type Fix = [fix: string, code?: string]

const hashIt = 'canonicalHash(payload) // @agentpmt-kit/canonical-json'

/** The one-line fix of each mistake and the code that applies it (default: buildMessage). */
const fixes: { readonly [mistake in SignatureMistake]: Fix } = {
  'envelope-fields-hashed': [
    'Drop the envelope fields (wallet_address, session_nonce, request_id, signature) from the hashed object.',
    'canonicalHash(payloadOf(body))',
  ],
  'whole-body-hashed': [
    "Hash only the tool invoke's parameters, not the whole body.",
    'canonicalHash(body.parameters)',
  ],
  'whitespace-in-json': ['Hash compact JSON: no whitespace, "," and ":" separators.', hashIt],
  'unsorted-keys': ["Sort every object's keys, recursively.", hashIt],
  'code-point-key-order': ['Sort keys by UTF-16 code unit, not by code point.', hashIt],
  'number-form': ['Write numbers as JavaScript does (1, not 1.0; 1e16 as digits).', hashIt],
  'html-characters-escaped': [
    'Write <, > and & as themselves: Go encoding/json writes them \\u003c, \\u003e, \\u0026 by default (encode with SetEscapeHTML(false)).',
    hashIt,
  ],
  'empty-object-hashed': ['Hash the object you send, not {}.'],
  'hash-of-another-object': ['Hash exactly the object you send, after every change to it.'],
  'hash-not-lowercase': ['Write the hash in lower-case hex.', hashIt],
  'payload-line-empty': ['Put the hash of the payload on the payload line.'],
  'payload-line-not-empty': [
    'Leave the payload line empty: this endpoint has no payload.',
    'buildMessage({ ..., payload: null })',
  ],
  'unknown-payload-hash': ['Hash the canonical form of exactly the object you send.', hashIt],
  'wallet-not-lowercase': ['Write the wallet line in lower case.'],
  'another-wallet': ['Sign the wallet_address you send.'],
  'stale-session': [
    'Open a new session and sign its session_nonce, the one you send, with a fresh request_id.',
    'agentpmt message build --session <session_nonce> ...',
  ],
  'request-id-reused': [
    'Use one fresh request_id in the body and the message.',
    'buildMessage({ ..., request: crypto.randomUUID() })',
  ],
  'wrong-action': [
    'Sign the action of the endpoint you call.',
    'agentpmt message build --action <action> ...',
  ],
  'product-not-job-id': [
    'Sign the job id of the URL as product (- only for job_list and balance).',
    'jobReserveMessage(signing, jobId)',
  ],
  'wrong-method': ['Sign the HTTP method you use, in upper case.'],
  'wrong-scope-lines': [
    'Sign method/path for a tool invoke, action/product for the other endpoints.',
    'toolInvokeMessage(signing, { path, parameters })',
  ],
  'path-not-accepted': [
    'Sign the canonical path of the tool you call.',
    'toolInvokePath(productSlug, actionSlug)',
  ],
  'wrong-prefix': ['Start with the line agentpmt-external.'],
  'line-layout': ['Write the seven lines in order.'],
  'crlf-line-ends': ['Join the lines with \\n, never \\r\\n.'],
  'trailing-newline': ['End right after the payload line.'],
  'hex-signed': [
    'Sign the text of the message, not its 0x-hex.',
    'account.signMessage({ message })',
  ],
  'signed-expected-message': [
    "Never sign the server's expected_message: rebuild from your own fields, fresh request_id.",
  ],
  'malformed-signature': [
    'Send 0x + 65 bytes (130 hex), v = 27 or 28.',
    'serializeSignature({ r, s, yParity })',
  ],
  'wrong-key': ['Sign with the private key of wallet_address.', 'agentpmt sign message.txt'],
}

const byProblem: { readonly [kind in SignatureProblemKind]?: SignatureMistake } = {
  'prefix-differs': 'wrong-prefix',
  'wallet-not-lowercase': 'wallet-not-lowercase',
  'wallet-differs': 'another-wallet',
  'session-differs': 'stale-session',
  'request-differs': 'request-id-reused',
  'scope-differs': 'wrong-scope-lines',
  'action-differs': 'wrong-action',
  'product-differs': 'product-not-job-id',
  'method-differs': 'wrong-method',
  'path-not-accepted': 'path-not-accepted',
  'trailing-newline': 'trailing-newline',
  crlf: 'crlf-line-ends',
  'extra-or-missing-lines': 'line-layout',
  'signed-by-another-key': 'wrong-key',
  'hex-encoded': 'hex-signed',
}

const byPayloadFinding: { readonly [finding in PayloadFinding]?: SignatureMistake } = {
  'not-lowercase': 'hash-not-lowercase',
  'empty-line': 'payload-line-empty',
  'expected-empty-line': 'payload-line-not-empty',
  'canonical-of-another-object': 'hash-of-another-object',
  'envelope-included': 'envelope-fields-hashed',
  'pretty-printed-sorted': 'whitespace-in-json',
  'empty-object-hashed': 'empty-object-hashed',
}

/** What {@link findingsFor} needs beside the problems. */
export type FindingsInput = {
  problems: readonly SignatureProblem[]
  hypothesisOf: (problem: SignatureProblem) => PayloadHypothesis | undefined
  /** The signed text is the `expected_message` of an error the server sent. */
  signedServerText: boolean
  errorCode: string | undefined
  /** Why the signature sent is malformed, when it was given and is. */
  malformedSignature: string | undefined
}

/**
 * Turns the problems and the reproduced hypotheses into findings, one per mistake, in line
 * order, each with its fix.
 */
export function findingsFor(input: FindingsInput): SignatureFinding[] {
  const findings: SignatureFinding[] = []
  const add = (mistake: SignatureMistake, explanation: string, line?: number | undefined) => {
    if (findings.some((finding) => finding.mistake === mistake)) return
    const [fix, code = 'buildMessage({ wallet, session, request, scope, payload })'] =
      fixes[mistake]
    findings.push({ mistake, ...(line === undefined ? {} : { line }), explanation, fix, code })
  }
  if (input.signedServerText)
    add(
      'signed-expected-message',
      "The text you signed is details.expected_message of the server's answer to an earlier attempt.",
    )
  if (input.malformedSignature !== undefined)
    add('malformed-signature', `The signature sent is malformed: ${input.malformedSignature}.`)
  const code = input.errorCode
  if (
    code === 'EXTERNAL_SIGNATURE_SESSION_NONCE_EXPIRED' ||
    code === 'EXTERNAL_SIGNATURE_SESSION_NONCE_INVALID'
  )
    add(
      'stale-session',
      'The server does not know this session nonce for this wallet, or it expired.',
    )
  if (code === 'EXTERNAL_SIGNATURE_REQUEST_REPLAY' && !input.signedServerText)
    add('request-id-reused', 'The request_id was already used in this session.')
  if (code === 'EXTERNAL_SIGNATURE_REQUEST_REPLAY' && input.signedServerText)
    add('request-id-reused', "The server's message carries the request_id it already spent.")
  for (const problem of input.problems) {
    if (problem.kind === 'payload-hash-differs') {
      const hypothesis = input.hypothesisOf(problem)
      if (hypothesis !== undefined) {
        const what = hypothesis.mistakes.join(' + ')
        const explanation =
          hypothesis.side === 'client'
            ? `Your payload hashed with ${what} gives your payload line; without, the server's hash.`
            : `Your line is canonical; the server's hash is your payload's with ${what}: avoid such values.`
        for (const mistake of hypothesis.mistakes) add(mistake, explanation, problem.line)
        continue
      }
      const mistake =
        (problem.payloadFindings ?? []).map((finding) => byPayloadFinding[finding]).find(Boolean) ??
        'unknown-payload-hash'
      add(mistake, problem.explanation, problem.line)
      continue
    }
    const mistake = byProblem[problem.kind]
    if (mistake === undefined) continue
    // Copying the server's text explains its stale lines; the fix is the same: rebuild.
    if (
      input.signedServerText &&
      (mistake === 'stale-session' || mistake === 'request-id-reused' || mistake === 'wrong-key')
    )
      continue
    add(mistake, problem.explanation, problem.line)
  }
  return findings
}
