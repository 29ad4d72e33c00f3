// The shapes of a signature diagnosis: below diagnoseSignature and the findings it is made of,
// so that neither imports the other.

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
  | EncoderMistake
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
 * A standard JSON encoder's default that writes other bytes than the canonical form (Go's HTML
 * escaping, PHP's escaped slashes...): the {@link SignatureMistake}s that name a language, an
 * encoder and the setting that turns the default off.
 *
 * @example
 * ```ts
 * import type { EncoderMistake } from '@agentpmt-kit/error-recovery'
 *
 * const mistake: EncoderMistake = 'go-html-escaping'
 * ```
 */
export type EncoderMistake =
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
