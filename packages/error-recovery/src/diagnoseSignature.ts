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

/**
 * What {@link diagnoseSignature} found wrong, one kind per cause:
 * - a line that differs: `prefix-differs`, `wallet-not-lowercase`, `wallet-differs`,
 *   `session-differs`, `request-differs`, `scope-differs` (action/product signed where method/path
 *   was expected, or the reverse), `action-differs`, `product-differs`, `method-differs`,
 *   `path-not-accepted`, `payload-hash-differs` (with {@link PayloadFinding}s);
 * - the text's shape: `trailing-newline`, `crlf`, `extra-or-missing-lines`, `hex-encoded` (the
 *   `0x` hex of the message was signed as text instead of the message);
 * - `signed-by-another-key`: every line matches, so the key that signed is not the one of
 *   `wallet_address`.
 *
 * @example
 * ```ts
 * import type { SignatureProblemKind } from '@agentpmt-kit/error-recovery'
 *
 * const kind: SignatureProblemKind = 'payload-hash-differs'
 * ```
 */
export type SignatureProblemKind =
  | 'prefix-differs'
  | 'wallet-not-lowercase'
  | 'wallet-differs'
  | 'session-differs'
  | 'request-differs'
  | 'scope-differs'
  | 'action-differs'
  | 'product-differs'
  | 'method-differs'
  | 'path-not-accepted'
  | 'payload-hash-differs'
  | 'trailing-newline'
  | 'crlf'
  | 'extra-or-missing-lines'
  | 'hex-encoded'
  | 'signed-by-another-key'

/**
 * What a differing `payload:` line tells about how it was computed, when the payload is known:
 * - `not-canonical`: it matches neither canonical form (raw or ASCII) of the payload;
 * - `pretty-printed-sorted`, `pretty-printed-unsorted`: it is the hash of
 *   `JSON.stringify(payload, null, 2)` with sorted or unsorted keys;
 * - `unsorted-keys`: the hash of `JSON.stringify(payload)` without sorting the keys;
 * - `envelope-included`: the hash of the payload plus `wallet_address`, `session_nonce` and
 *   `request_id`, which are never hashed; or the payload given carries them, and without them it
 *   is the object the server hashed;
 * - `empty-object-hashed`: the hash of `{}` for a payload that is not empty;
 * - `empty-line`: the line is empty where a hash was expected;
 * - `expected-empty-line`: a hash where the server expects an empty line (an endpoint without a
 *   payload object, such as the credit balance);
 * - `not-lowercase`: the right hash in upper case;
 * - `canonical-of-another-object`: the canonical hash of the payload you gave, so the server
 *   hashed another object: the body sent is not the object hashed;
 * - `expected-is-your-payload`: the server's hash is the canonical hash of the payload you gave,
 *   so the line was not computed from it (a stale hash, or another object);
 * - `top-level-keys-differ`: the server's `payload_canonical_top_level_keys` are not the payload's
 *   keys;
 * - `no-known-form`: none of the forms above;
 * - `payload-not-given`: no payload was passed to {@link diagnoseSignature}, so none was tried.
 *
 * @example
 * ```ts
 * import type { PayloadFinding } from '@agentpmt-kit/error-recovery'
 *
 * const finding: PayloadFinding = 'unsorted-keys'
 * ```
 */
export type PayloadFinding =
  | 'not-canonical'
  | 'pretty-printed-sorted'
  | 'pretty-printed-unsorted'
  | 'unsorted-keys'
  | 'envelope-included'
  | 'empty-object-hashed'
  | 'empty-line'
  | 'expected-empty-line'
  | 'not-lowercase'
  | 'canonical-of-another-object'
  | 'expected-is-your-payload'
  | 'top-level-keys-differ'
  | 'no-known-form'
  | 'payload-not-given'

/**
 * The name of a message line: `prefix` (line 1) or the label before its `:`.
 *
 * @example
 * ```ts
 * import type { MessageLineName } from '@agentpmt-kit/error-recovery'
 *
 * const name: MessageLineName = 'payload'
 * ```
 */
export type MessageLineName =
  | 'prefix'
  | 'wallet'
  | 'session'
  | 'request'
  | 'action'
  | 'product'
  | 'method'
  | 'path'
  | 'payload'
  | (string & {})

/**
 * One problem found by {@link diagnoseSignature}. Values are shown redacted (no signature in
 * full, no key-shaped value).
 *
 * @example
 * ```ts
 * import type { SignatureProblem } from '@agentpmt-kit/error-recovery'
 *
 * const problem: SignatureProblem = {
 *   kind: 'session-differs',
 *   line: 3,
 *   field: 'session',
 *   ours: 'nonce-old',
 *   expected: 'nonce-new',
 *   explanation: 'You signed another session nonce than the one sent in session_nonce.',
 * }
 * ```
 */
export type SignatureProblem = {
  kind: SignatureProblemKind
  /** 1-based line of the message you signed (for a missing line: where it should be). */
  line?: number | undefined
  field?: MessageLineName | undefined
  /** The value in the message you signed. */
  ours?: string | undefined
  /** The value the server expected. */
  expected?: string | undefined
  explanation: string
  /** For `payload-hash-differs`. */
  payloadFindings?: readonly PayloadFinding[] | undefined
  /** For `signed-by-another-key`: the address the signature recovered to, when the server said. */
  recoveredWallet?: string | undefined
}

/**
 * The answer of {@link diagnoseSignature}.
 *
 * @example
 * ```ts
 * import type { SignatureDiagnosis } from '@agentpmt-kit/error-recovery'
 *
 * declare const diagnosis: SignatureDiagnosis
 * for (const problem of diagnosis.problems) console.log(problem.line, problem.kind)
 * ```
 */
export type SignatureDiagnosis = {
  problems: readonly SignatureProblem[]
  /**
   * The mistakes that explain the problems, one per mistake, each with its fix: found by
   * rebuilding the hash or the message under each known mistake and keeping those that reproduce
   * what the server expected.
   */
  findings: readonly SignatureFinding[]
  /** A few sentences for a person or an agent: what differs and what to do. */
  summary: string
}

/**
 * A known mistake that {@link diagnoseSignature} can name (see {@link SignatureFinding}):
 * - what was hashed: `envelope-fields-hashed` (`wallet_address`, `session_nonce`, `request_id` or
 *   `signature` hashed with the payload), `whole-body-hashed` (the body instead of a tool invoke's
 *   `parameters`), `empty-object-hashed`, `hash-of-another-object` (the object sent is not the
 *   one hashed);
 * - how it was written: `whitespace-in-json` (pretty-printed, or Python's default `", "` and
 *   `": "`), `unsorted-keys`, `code-point-key-order` (Python's `sort_keys`), `number-form`
 *   (`1.0`, `1e+16`), `hash-map-key-order` (the top-level keys in a hash map's order: Rust's or
 *   Java's `HashMap`), `java-hash-map-key-order` (every object's keys in a `java.util.HashMap`'s
 *   iteration order, as Gson and Jackson write a map), `hash-not-lowercase`, `payload-line-empty`, `payload-line-not-empty`,
 *   `unknown-payload-hash` (no known mistake reproduces it);
 * - a standard encoder's default (the finding names the `language`, `encoder` and `setting`):
 *   `go-html-escaping` (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`), `go-control-escapes`
 *   (`\b`, `\f` as `\u0008`, `\u000c` before Go 1.22), `go-encoder-newline` (the `\n` that
 *   `json.Encoder` adds), `line-terminators-escaped` (U+2028, U+2029 as `\u2028`, `\u2029` in
 *   the raw form: Go, Gson, Rails, PHP), `php-escaped-slashes` (`/` as `\/`),
 *   `php-escaped-unicode` (non-ASCII escaped but U+007F not), `php-empty-array` (`[]` for `{}`),
 *   `gson-html-escaping` (`<`, `>`, `&`, `=`, `'`), `system-text-json-escaping` (C#: non-ASCII
 *   and `<`, `>`, `&`, `'`, `+`, `` ` ``, `"` as upper-case `\uXXXX`),
 *   `system-text-json-relaxed-escaping` (C# `UnsafeRelaxedJsonEscaping`: characters above U+FFFF
 *   and controls still upper-case escapes), `rails-html-escaping` (Ruby on Rails' `to_json`),
 *   `swift-escaped-slashes` (Swift's `JSONEncoder`: `/` as `\/`);
 * - the lines: `wrong-prefix`, `wallet-not-lowercase`, `another-wallet`, `stale-session`,
 *   `request-id-reused`, `wrong-action`, `product-not-job-id`, `wrong-method`,
 *   `wrong-scope-lines`, `path-not-accepted`, `line-layout`;
 * - the text signed: `crlf-line-ends`, `trailing-newline`, `hex-signed` (the `0x` hex of the
 *   message signed as text), `signed-expected-message` (the server's text signed as it is);
 * - the signature: `malformed-signature`, `wrong-key` (every line matches, so another key signed).
 *
 * The raw and ASCII canonical forms are both accepted: neither is ever a mistake by itself.
 *
 * @example
 * ```ts
 * import type { SignatureMistake } from '@agentpmt-kit/error-recovery'
 *
 * const mistake: SignatureMistake = 'envelope-fields-hashed'
 * ```
 */
export type SignatureMistake =
  | 'envelope-fields-hashed'
  | 'whole-body-hashed'
  | 'empty-object-hashed'
  | 'hash-of-another-object'
  | 'whitespace-in-json'
  | 'unsorted-keys'
  | 'code-point-key-order'
  | 'number-form'
  | 'hash-map-key-order'
  | 'java-hash-map-key-order'
  | 'go-html-escaping'
  | 'go-control-escapes'
  | 'go-encoder-newline'
  | 'line-terminators-escaped'
  | 'php-escaped-slashes'
  | 'php-escaped-unicode'
  | 'php-empty-array'
  | 'gson-html-escaping'
  | 'system-text-json-escaping'
  | 'system-text-json-relaxed-escaping'
  | 'rails-html-escaping'
  | 'swift-escaped-slashes'
  | 'hash-not-lowercase'
  | 'payload-line-empty'
  | 'payload-line-not-empty'
  | 'unknown-payload-hash'
  | 'wrong-prefix'
  | 'wallet-not-lowercase'
  | 'another-wallet'
  | 'stale-session'
  | 'request-id-reused'
  | 'wrong-action'
  | 'product-not-job-id'
  | 'wrong-method'
  | 'wrong-scope-lines'
  | 'path-not-accepted'
  | 'line-layout'
  | 'crlf-line-ends'
  | 'trailing-newline'
  | 'hex-signed'
  | 'signed-expected-message'
  | 'malformed-signature'
  | 'wrong-key'

/**
 * One mistake found by {@link diagnoseSignature}: what reproduced the server's expectation, the
 * fix in one line, and the code or command that applies it.
 *
 * @example
 * ```ts
 * import type { SignatureFinding } from '@agentpmt-kit/error-recovery'
 *
 * const finding: SignatureFinding = {
 *   mistake: 'envelope-fields-hashed',
 *   line: 7,
 *   explanation: 'Rebuilt under this mistake, the hash of your payload is your payload line.',
 *   fix: 'Drop the envelope fields (wallet_address, session_nonce, request_id, signature) from the object you hash.',
 *   code: 'canonicalHash(payloadOf(body))',
 * }
 * ```
 */
export type SignatureFinding = {
  mistake: SignatureMistake
  /** 1-based line of the message you signed that the mistake shows in, when it is one line. */
  line?: number | undefined
  /** What was found, and what reproduced the server's value. */
  explanation: string
  /** What to change, in one line. */
  fix: string
  /** Code or a command that applies the fix (in `language`, when the finding names one). */
  code?: string | undefined
  /** For a standard encoder's default: the language whose encoder writes these bytes. */
  language?: string | undefined
  /** For a standard encoder's default: the encoder (`encoding/json`, `json_encode`...). */
  encoder?: string | undefined
  /** For a standard encoder's default: the setting that turns it off, or why none does. */
  setting?: string | undefined
}

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
