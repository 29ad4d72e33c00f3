import { canonicalHash, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  acceptedPathCandidates,
  canonicalPath,
  type ErrorBody,
  messageLines,
  messagePrefix,
  payloadOf,
} from '@agentpmt-kit/message-builder'
import { ApiError, detailsForComparison, type ErrorDetails } from './ApiError.js'
import { findingsFor } from './internal/findings.js'
import {
  candidateObjects,
  canonicalForms,
  isPlainObject,
  type PayloadHypothesis,
  type PayloadSources,
  payloadHypothesis,
  safe,
} from './internal/hypotheses.js'
import { redactText } from './redact.js'
import type {
  MessageLineName,
  PayloadFinding,
  SignatureDiagnosis,
  SignatureProblem,
  SignatureProblemKind,
} from './signatureDiagnosis.js'

/**
 * Input of {@link diagnoseSignature}.
 *
 * @example
 * ```ts
 * import type { DiagnoseSignatureInput } from '@agentpmt-kit/error-recovery'
 *
 * declare const input: DiagnoseSignatureInput
 * input.message // the exact text that was signed
 * ```
 */
export type DiagnoseSignatureInput = {
  /** The exact text that was signed. */
  message: string
  /** The payload object that was hashed into the message (helps explain a payload mismatch). */
  payload?: unknown
  /** The refusal: an {@link ApiError} (usually a `WalletMismatchError`) or a raw error body. */
  error: ApiError | ErrorBody | { details?: unknown }
  /**
   * The JSON body that was sent, envelope included: tells which object was meant (the body
   * minus its envelope, or a tool invoke's `parameters`) and checks the signature's shape.
   */
  sent?: unknown
  /**
   * Errors answered to earlier attempts: a signed text equal to one of their
   * `details.expected_message` was copied from the server.
   */
  earlierErrors?: readonly (ApiError | ErrorBody | { details?: unknown })[] | undefined
}

type Line = { name: MessageLineName; value: string; line: number }

/**
 * Explains a signature the server refused: compares the message you signed with the server's
 * `details.expected_message` line by line and names each differing line and why (see
 * {@link SignatureProblemKind}); a path among `details.accepted_path_candidates` and a payload
 * hash among the accepted ones are not problems. When every line matches, the signature came
 * from another key than `wallet_address`. Without `expected_message`, it checks what the details
 * do give (`expected_wallet`, `accepted_path_candidates`, `expected_payload_hash`).
 *
 * It never suggests signing `expected_message`: rebuild the message from your own fields and
 * sign that. Signing text that a server hands you is how a wallet is tricked.
 *
 * @example
 * ```ts
 * import { diagnoseSignature, parseApiError } from '@agentpmt-kit/error-recovery'
 *
 * declare const body: unknown
 * declare const message: string
 * declare const payload: Record<string, unknown>
 * const { problems, summary } = diagnoseSignature({ message, payload, error: parseApiError(401, body) })
 * console.log(problems.map((p) => `line ${p.line}: ${p.kind}`), summary)
 * ```
 */
export function diagnoseSignature(input: DiagnoseSignatureInput): SignatureDiagnosis {
  const details = detailsOf(input.error)
  const problems: SignatureProblem[] = []
  const signedText = typeof input.message === 'string' ? input.message : ''
  let text = signedText
  const decoded = decodeHexMessage(text)
  if (decoded !== undefined) {
    problems.push({
      kind: 'hex-encoded',
      line: 1,
      explanation:
        'You signed the 0x-hex of the message as text: the server checks the signature over the text itself.',
    })
    text = decoded
  }

  const carriageReturn = text.indexOf('\r')
  if (carriageReturn !== -1) {
    problems.push({
      kind: 'crlf',
      line: text.slice(0, carriageReturn).split('\n').length,
      explanation: 'The message contains \\r: lines are joined by \\n alone.',
    })
    text = text.replaceAll('\r', '')
  }
  if (text.endsWith('\n')) {
    const trimmed = text.replace(/\n+$/, '')
    problems.push({
      kind: 'trailing-newline',
      line: trimmed.split('\n').length + 1,
      explanation: 'The message ends with a newline; it must end right after the payload line.',
    })
    text = trimmed
  }

  const ours = toLines(text)
  const sources: PayloadSources = {
    payload: input.payload,
    sent: input.sent,
    lines: {
      wallet: find(ours, 'wallet')?.value,
      session: find(ours, 'session')?.value,
      request: find(ours, 'request')?.value,
    },
  }
  const expectedMessage =
    typeof details.expected_message === 'string' ? details.expected_message : undefined
  const expected = expectedMessage === undefined ? undefined : toLines(expectedMessage)

  if (expected === undefined) problems.push(...compareWithDetails(ours, details, sources))
  else problems.push(...compareLines(ours, expected, details, sources))

  if (problems.length === 0 && expected !== undefined) {
    const recovered = stringField(
      details.recovered_wallet_for_expected_message ?? details.recovered_wallet,
    )
    const wallet = stringField(details.expected_wallet) ?? find(expected, 'wallet')?.value
    problems.push({
      kind: 'signed-by-another-key',
      recoveredWallet: recovered,
      explanation: `Every line matches the message the server checked, so the signature was made by another key than the one of wallet_address${wallet ? ` ${redactText(wallet)}` : ''}${recovered ? ` (it recovers to ${redactText(recovered)})` : ''}.`,
    })
  }
  problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER))
  const earlier = (input.earlierErrors ?? []).map((error) => detailsOf(error).expected_message)
  const findings = findingsFor({
    problems,
    hypothesisOf: (problem) => hypotheses.get(problem),
    signedServerText: [signedText, text].some((signed) => earlier.includes(signed)),
    errorCode: errorCodeOf(input.error),
    malformedSignature: isPlainObject(input.sent)
      ? signatureShapeProblem(input.sent.signature)
      : undefined,
  })
  return { problems, findings, summary: summarize(problems, expected !== undefined) }
}

/** The payload hypothesis that explains a `payload-hash-differs` problem. */
const hypotheses = new WeakMap<SignatureProblem, PayloadHypothesis>()

/** The text of a message that was signed as its 0x-hex, when it is one. */
function decodeHexMessage(text: string): string | undefined {
  if (!/^0x(?:[0-9a-fA-F]{2})+$/.test(text)) return undefined
  const bytes = new Uint8Array((text.length - 2) / 2)
  for (let index = 0; index < bytes.length; index++)
    bytes[index] = Number.parseInt(text.slice(2 + index * 2, 4 + index * 2), 16)
  const decoded = safe(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  return decoded?.startsWith(`${messagePrefix}\n`) ? decoded : undefined
}

function signatureShapeProblem(signature: unknown): string | undefined {
  if (signature === undefined) return undefined
  if (typeof signature !== 'string') return `it is a ${typeof signature}, not a hex string`
  if (/^0x[0-9a-fA-F]{130}$/.test(signature)) return undefined
  if (/^[0-9a-fA-F]{130}$/.test(signature)) return 'the 0x prefix is missing'
  if (!/^0x[0-9a-fA-F]*$/.test(signature)) return 'it is not 0x-prefixed hex'
  const bytes = (signature.length - 2) / 2
  return `it holds ${bytes} bytes where r, s and v make 65${bytes === 64 ? ' (v is missing, or it is a compact EIP-2098 signature)' : ''}`
}

function errorCodeOf(error: DiagnoseSignatureInput['error']): string | undefined {
  if (error instanceof ApiError) return error.errorCode
  const code = (error as { error_code?: unknown } | null)?.error_code
  return typeof code === 'string' ? code : undefined
}

function compareLines(
  ours: readonly Line[],
  expected: readonly Line[],
  details: ErrorDetails,
  sources: PayloadSources,
): SignatureProblem[] {
  const problems: SignatureProblem[] = []
  const oursScope = scopeKind(ours)
  const expectedScope = scopeKind(expected)
  const scopeMismatch =
    oursScope !== undefined && expectedScope !== undefined && oursScope !== expectedScope
  if (scopeMismatch) {
    const line = find(ours, oursScope === 'action' ? 'action' : 'method')
    problems.push({
      kind: 'scope-differs',
      line: line?.line,
      field: line?.name,
      ours: oursScope === 'action' ? 'action/product' : 'method/path',
      expected: expectedScope === 'action' ? 'action/product' : 'method/path',
      explanation:
        expectedScope === 'method'
          ? 'You signed action/product lines; a tool invoke is signed with method/path lines.'
          : 'You signed method/path lines; this endpoint is signed with action/product lines.',
    })
  }
  const scopeNames = new Set(['action', 'product', 'method', 'path'])
  const used = new Set<Line>()
  for (const wanted of expected) {
    const mine = ours.find((line) => !used.has(line) && line.name === wanted.name)
    if (mine === undefined) {
      if (scopeMismatch && scopeNames.has(wanted.name)) continue
      problems.push({
        kind: 'extra-or-missing-lines',
        line: Math.min(wanted.line, ours.length + 1),
        field: redactText(truncate(wanted.name)),
        expected: display(wanted),
        explanation: `The line "${redactText(truncate(wanted.name))}" is missing from the message you signed.`,
      })
      continue
    }
    used.add(mine)
    if (mine.line !== wanted.line && mine.name !== 'prefix')
      problems.push({
        kind: 'extra-or-missing-lines',
        line: mine.line,
        field: mine.name,
        explanation: `The line "${mine.name}" is line ${mine.line} of your message; the server expects it as line ${wanted.line}.`,
      })
    const problem = compareLine(mine, wanted, ours, details, sources)
    if (problem) problems.push(problem)
  }
  for (const mine of ours)
    if (!used.has(mine) && !(scopeMismatch && scopeNames.has(mine.name)))
      problems.push({
        kind: 'extra-or-missing-lines',
        line: mine.line,
        field: redactText(truncate(mine.name)),
        ours: display(mine),
        explanation: `Line ${mine.line} ("${redactText(truncate(mine.name))}") is not part of the message the server expects.`,
      })
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
}

function compareWithDetails(
  ours: readonly Line[],
  details: ErrorDetails,
  sources: PayloadSources,
): SignatureProblem[] {
  const problems: SignatureProblem[] = []
  const wallet = find(ours, 'wallet')
  const expectedWallet = stringField(details.expected_wallet)
  if (wallet && expectedWallet) {
    const problem = compareLine(
      wallet,
      { ...wallet, value: expectedWallet.toLowerCase() },
      ours,
      details,
      sources,
    )
    if (problem) problems.push(problem)
  }
  const path = find(ours, 'path')
  if (path && Array.isArray(details.accepted_path_candidates)) {
    const problem = compareLine(path, undefined, ours, details, sources)
    if (problem) problems.push(problem)
  }
  const hash = find(ours, 'payload')
  if (hash && acceptedHashes(undefined, details).length > 0) {
    const problem = compareLine(hash, undefined, ours, details, sources)
    if (problem) problems.push(problem)
  }
  return problems
}

function compareLine(
  mine: Line,
  wanted: Line | undefined,
  ours: readonly Line[],
  details: ErrorDetails,
  sources: PayloadSources,
): SignatureProblem | undefined {
  const base = {
    line: mine.line,
    field: mine.name,
    ours: display(mine),
    expected: wanted && display(wanted),
  }
  switch (mine.name) {
    case 'path': {
      const candidates = Array.isArray(details.accepted_path_candidates)
        ? details.accepted_path_candidates.filter((item) => typeof item === 'string')
        : wanted === undefined
          ? []
          : (safe(() => acceptedPathCandidates(wanted.value)) ?? [])
      if (mine.value === wanted?.value || candidates.includes(mine.value)) return undefined
      const target = wanted?.value ?? candidates[0]
      const sameEndpoint =
        target !== undefined && mine.value.startsWith('/') && sameCanonicalPath(mine.value, target)
      return {
        kind: 'path-not-accepted',
        ...base,
        expected: target && redactText(truncate(target)),
        explanation: sameEndpoint
          ? 'The signed path names the same endpoint but is not among accepted_path_candidates; sign the canonical path.'
          : 'The signed path is not among accepted_path_candidates: it names another product, action or endpoint.',
      }
    }
    case 'payload': {
      if (mine.value === wanted?.value) return undefined
      if (wanted?.value === '' && acceptedHashes(undefined, details).length === 0)
        return {
          kind: 'payload-hash-differs',
          ...base,
          payloadFindings: ['expected-empty-line'],
          explanation:
            'The server expects an empty payload line: this endpoint has no payload object to hash.',
        }
      const accepted = acceptedHashes(wanted?.value, details)
      if (accepted.includes(mine.value)) return undefined
      // Raw and ASCII are both canonical: either form of the object the server hashed is right.
      const sameObject = candidateObjects(sources)
        .map(canonicalForms)
        .find((forms) => forms.some((hash) => accepted.includes(hash)))
      if (sameObject?.includes(mine.value)) return undefined
      const findings = payloadFindings(mine.value, accepted, ours, details, sources)
      const problem: SignatureProblem = {
        kind: 'payload-hash-differs',
        ...base,
        expected: accepted[0],
        payloadFindings: findings,
        explanation: `The payload hash differs from the server's: ${findings.map((finding) => findingTexts[finding]).join('; ')}.`,
      }
      if (mine.value !== '' && accepted.length > 0) {
        const hypothesis = payloadHypothesis(mine.value, accepted, sources)
        if (hypothesis) hypotheses.set(problem, hypothesis)
      }
      return problem
    }
  }
  if (wanted === undefined || mine.value === wanted.value) return undefined
  switch (mine.name) {
    case 'prefix':
      return {
        kind: 'prefix-differs',
        ...base,
        explanation: `The first line must be exactly "${messagePrefix}".`,
      }
    case 'wallet':
      return mine.value.toLowerCase() === wanted.value.toLowerCase()
        ? {
            kind: 'wallet-not-lowercase',
            ...base,
            explanation: 'The wallet line must be the address in lower case.',
          }
        : {
            kind: 'wallet-differs',
            ...base,
            explanation: 'You signed another wallet address than the one sent in wallet_address.',
          }
    case 'method':
      return {
        kind: 'method-differs',
        ...base,
        explanation:
          mine.value.toUpperCase() === wanted.value.toUpperCase()
            ? 'The HTTP method must be written in upper case.'
            : 'You signed another HTTP method than the one used.',
      }
    case 'session':
    case 'request':
    case 'action':
    case 'product': {
      const name = mine.name as keyof typeof fieldExplanations
      return { kind: `${name}-differs`, ...base, explanation: fieldExplanations[name] }
    }
    default:
      return {
        kind: 'extra-or-missing-lines',
        ...base,
        explanation: `Line ${mine.line} differs from the server's.`,
      }
  }
}

const findingTexts: { readonly [finding in PayloadFinding]: string } = {
  'not-canonical': 'it matches neither canonical form of your payload',
  'pretty-printed-sorted': 'it is the hash of JSON.stringify(payload, null, 2) with sorted keys',
  'pretty-printed-unsorted': 'it is the hash of JSON.stringify(payload, null, 2) without sorting',
  'unsorted-keys': 'it is the hash of JSON.stringify(payload) without sorting the keys',
  'envelope-included':
    'wallet_address, session_nonce and request_id were hashed with the payload; they never are',
  'empty-object-hashed': 'it is the hash of {} although the payload is not empty',
  'empty-line': 'the line is empty where a hash was expected',
  'expected-empty-line': 'the server expects an empty line',
  'not-lowercase': 'the hex must be lower case',
  'canonical-of-another-object':
    'it is the canonical hash of your payload, so the body sent is not the object hashed',
  'expected-is-your-payload':
    "the server's hash is the canonical hash of your payload, so the line was not computed from it",
  'top-level-keys-differ': "the server's top-level keys are not your payload's",
  'no-known-form': 'no known way of hashing your payload gives it',
  'payload-not-given': 'pass the payload to diagnoseSignature to learn more',
}

const fieldExplanations = {
  session: 'You signed another session nonce than the one sent in session_nonce.',
  request: 'You signed another request id than the one sent in request_id.',
  action: 'You signed another action than the endpoint called.',
  product: 'You signed another product (job id, or - for none) than the endpoint called.',
} as const

function payloadFindings(
  ours: string,
  accepted: readonly string[],
  lines: readonly Line[],
  details: ErrorDetails,
  sources: PayloadSources,
): PayloadFinding[] {
  const { payload } = sources
  const findings: PayloadFinding[] = []
  if (ours === '' && accepted.length > 0) findings.push('empty-line')
  if (ours !== ours.toLowerCase() && accepted.includes(ours.toLowerCase()))
    findings.push('not-lowercase')
  if (!isPlainObject(payload)) {
    findings.push(payload === undefined ? 'payload-not-given' : 'no-known-form')
    return findings
  }
  const canonical = safe(() => [canonicalHash(payload), canonicalHash(payload, { ascii: true })])
  if (canonical === undefined) {
    findings.push('no-known-form')
    return findings
  }
  if (canonical.some((hash) => accepted.includes(hash))) findings.push('expected-is-your-payload')
  if (findings.includes('not-lowercase')) return findings
  if (canonical.includes(ours)) {
    findings.push('canonical-of-another-object')
    // The payload given carries the envelope: without it, it is the server's object.
    const inner = safe(() => payloadOf(payload))
    if (
      inner !== undefined &&
      Object.keys(inner).length < Object.keys(payload).length &&
      canonicalForms(inner).some((hash) => accepted.includes(hash))
    )
      findings.push('envelope-included')
  } else if (ours !== '') {
    findings.push('not-canonical')
    const envelope = {
      wallet_address: find(lines, 'wallet')?.value,
      session_nonce: find(lines, 'session')?.value,
      request_id: find(lines, 'request')?.value,
    }
    const forms: [PayloadFinding, () => readonly string[]][] = [
      ['pretty-printed-sorted', () => [sha256Hex(JSON.stringify(sortKeys(payload), null, 2))]],
      ['pretty-printed-unsorted', () => [sha256Hex(JSON.stringify(payload, null, 2))]],
      ['unsorted-keys', () => [sha256Hex(JSON.stringify(payload))]],
      [
        'envelope-included',
        () => [
          canonicalHash({ ...payload, ...envelope }),
          canonicalHash({ ...payload, ...envelope }, { ascii: true }),
          sha256Hex(JSON.stringify({ ...payload, ...envelope })),
        ],
      ],
      ['empty-object-hashed', () => (Object.keys(payload).length > 0 ? [canonicalHash({})] : [])],
    ]
    const before = findings.length
    for (const [finding, hashes] of forms)
      if (safe(hashes)?.some((hash) => hash === ours.toLowerCase() && !canonical.includes(hash)))
        findings.push(finding)
    if (findings.length === before && !findings.includes('not-lowercase'))
      findings.push('no-known-form')
  }
  const serverKeys = details.payload_canonical_top_level_keys
  if (Array.isArray(serverKeys)) {
    const mine = Object.keys(payload).sort().join(',')
    if ([...serverKeys].map(String).sort().join(',') !== mine)
      findings.push('top-level-keys-differ')
  }
  return findings
}

function summarize(problems: readonly SignatureProblem[], hadExpected: boolean): string {
  const rebuild =
    'Rebuild the message from your own fields (buildMessage) and sign it again with a fresh request_id; never sign details.expected_message as it is.'
  if (problems.length === 0)
    return hadExpected
      ? 'No difference found.'
      : `The server sent no expected_message and nothing else that differs could be found. ${rebuild}`
  const [first] = problems
  if (first?.kind === 'signed-by-another-key')
    return `${first.explanation} Sign with the private key of wallet_address (and check that your signer's address is that wallet); ${rebuild.replace('Rebuild', 'rebuild')}`
  const items = problems.map((problem) =>
    problem.line === undefined
      ? `${problem.kind}: ${problem.explanation}`
      : `line ${problem.line}${problem.field ? ` (${redactText(truncate(problem.field))})` : ''}, ${problem.kind}: ${problem.explanation}`,
  )
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  return `${count} in the message you signed: ${items.join(' ')} ${rebuild}`
}

function toLines(text: string): Line[] {
  return messageLines(text) as Line[]
}

function scopeKind(lines: readonly Line[]): 'action' | 'method' | undefined {
  const hasAction = lines.some((line) => line.name === 'action' || line.name === 'product')
  const hasMethod = lines.some((line) => line.name === 'method' || line.name === 'path')
  return hasAction === hasMethod ? undefined : hasAction ? 'action' : 'method'
}

function find(lines: readonly Line[], name: string): Line | undefined {
  return lines.find((line) => line.name === name)
}

function display(line: Line): string {
  return redactText(truncate(line.name === 'prefix' ? line.value : line.value))
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

function acceptedHashes(line: string | undefined, details: ErrorDetails): string[] {
  const list = [
    line,
    details.expected_payload_hash,
    ...(Array.isArray(details.accepted_payload_hashes) ? details.accepted_payload_hashes : []),
  ]
  return [
    ...new Set(list.filter((hash): hash is string => typeof hash === 'string' && hash !== '')),
  ]
}

function sameCanonicalPath(a: string, b: string): boolean {
  return safe(() => canonicalPath(a) === canonicalPath(b)) ?? false
}

function detailsOf(error: DiagnoseSignatureInput['error']): ErrorDetails {
  if (error instanceof ApiError) return detailsForComparison(error)
  const details = (error as { details?: unknown } | null)?.details
  return typeof details === 'object' && details !== null && !Array.isArray(details)
    ? ({ checklist: [], ...details } as ErrorDetails)
    : { checklist: [] }
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!isPlainObject(value)) return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  )
}
