import type {
  PayloadFinding,
  SignatureFinding,
  SignatureMistake,
  SignatureProblem,
  SignatureProblemKind,
} from '../signatureDiagnosis.js'
import type { PayloadHypothesis, PayloadMistake } from './hypotheses.js'

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
  'unsorted-keys': [
    "Sort every object's keys, recursively (Jackson: ORDER_MAP_ENTRIES_BY_KEYS and SORT_PROPERTIES_ALPHABETICALLY).",
    hashIt,
  ],
  'code-point-key-order': ['Sort keys by UTF-16 code unit, not by code point.', hashIt],
  'number-form': ['Write numbers as JavaScript does (1, not 1.0; 1e16 as digits).', hashIt],
  'hash-map-key-order': [
    "Sort every object's keys: a hash map iterates them in an order of its own (Rust: a BTreeMap, Java: a TreeMap).",
    'let payload: BTreeMap<String, serde_json::Value> = ...; serde_json::to_string(&payload)?',
  ],
  'java-hash-map-key-order': [
    "Sort every object's keys: a java.util.HashMap iterates them by hash bucket; put them in a TreeMap.",
    'Map<String, Object> sorted = new TreeMap<>(payload); // at every level',
  ],
  'go-html-escaping': [
    'Write <, > and & as themselves: encode with a json.Encoder and SetEscapeHTML(false), then drop the newline Encode adds.',
    'enc := json.NewEncoder(&buf); enc.SetEscapeHTML(false); _ = enc.Encode(payload); body := bytes.TrimSuffix(buf.Bytes(), []byte("\\n"))',
  ],
  'go-control-escapes': [
    'Build with Go 1.22 or later, which writes \\b and \\f as themselves, or write strings yourself.',
    'go 1.22 // in go.mod',
  ],
  'go-encoder-newline': [
    'Drop the newline that json.Encoder.Encode writes after the value before hashing.',
    'body := bytes.TrimSuffix(buf.Bytes(), []byte("\\n"))',
  ],
  'line-terminators-escaped': [
    'Hash the ASCII form (every character above U+007E as lower-case \\uXXXX): Go, Gson and Rails escape U+2028/U+2029 whatever the setting; PHP needs JSON_UNESCAPED_LINE_TERMINATORS.',
    'canonicalHash(payload, { ascii: true }) // the form whose \\u2028 they agree with',
  ],
  'php-escaped-slashes': [
    'Write / as itself: add JSON_UNESCAPED_SLASHES to json_encode.',
    'json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS)',
  ],
  'php-escaped-unicode': [
    'Write non-ASCII as itself: add JSON_UNESCAPED_UNICODE to json_encode (its ASCII form writes U+007F as itself, which neither canonical form does).',
    'json_encode($payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS)',
  ],
  'php-empty-array': [
    'Encode an empty object as {}: an empty PHP array is written [].',
    "json_encode((object) [], JSON_UNESCAPED_SLASHES) // '{}', or new stdClass()",
  ],
  'gson-html-escaping': [
    "Write <, >, &, = and ' as themselves: build Gson with disableHtmlEscaping() (U+2028/U+2029 stay escaped).",
    'Gson gson = new GsonBuilder().disableHtmlEscaping().create();',
  ],
  'system-text-json-escaping': [
    'Write non-ASCII and <, >, &, \', +, `, " as themselves: serialize with JavaScriptEncoder.UnsafeRelaxedJsonEscaping.',
    'JsonSerializer.Serialize(payload, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })',
  ],
  'system-text-json-relaxed-escaping': [
    'UnsafeRelaxedJsonEscaping still escapes characters above U+FFFF and controls in upper case: write such strings yourself (controls as lower-case \\u00xx, the rest as themselves).',
    'writer.WriteRawValue(CanonicalJsonString(text)); // Utf8JsonWriter, your own escaping',
  ],
  'swift-escaped-slashes': [
    'Write / as itself: add .withoutEscapingSlashes to the JSONEncoder (and sort keys by UTF-16 yourself).',
    'encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]',
  ],
  'rails-html-escaping': [
    "Write <, > and & as themselves: hash JSON.generate's output, not to_json's (ActiveSupport escapes them, and U+2028/U+2029).",
    'JSON.generate(deep_sort(payload)) # not payload.to_json',
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

type Encoder = { language: string; encoder: string; setting: string }

/** The encoder whose default each mistake is, and the setting that turns it off. */
const encoders: { readonly [mistake in SignatureMistake]?: Encoder } = {
  'hash-map-key-order': {
    language: 'Rust',
    encoder: 'serde_json with a HashMap',
    setting: 'a BTreeMap (or serde_json::Value without preserve_order) instead of a HashMap',
  },
  'java-hash-map-key-order': {
    language: 'Java',
    encoder: 'a java.util.HashMap written by Gson or Jackson',
    setting: 'a TreeMap (Jackson: SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)',
  },
  'go-html-escaping': {
    language: 'Go',
    encoder: 'encoding/json',
    setting: 'SetEscapeHTML(false) on a json.Encoder',
  },
  'go-control-escapes': {
    language: 'Go',
    encoder: 'encoding/json before Go 1.22',
    setting: 'none before Go 1.22; Go 1.22 writes \\b and \\f',
  },
  'go-encoder-newline': {
    language: 'Go',
    encoder: 'encoding/json Encoder.Encode',
    setting: 'none: trim the newline, or use json.Marshal',
  },
  'php-escaped-slashes': {
    language: 'PHP',
    encoder: 'json_encode',
    setting: 'JSON_UNESCAPED_SLASHES',
  },
  'php-escaped-unicode': {
    language: 'PHP',
    encoder: 'json_encode',
    setting: 'JSON_UNESCAPED_UNICODE',
  },
  'php-empty-array': {
    language: 'PHP',
    encoder: 'json_encode',
    setting: '(object) [] or new stdClass() for an empty object',
  },
  'gson-html-escaping': {
    language: 'Java',
    encoder: 'Gson',
    setting: 'GsonBuilder.disableHtmlEscaping()',
  },
  'system-text-json-escaping': {
    language: 'C#',
    encoder: 'System.Text.Json',
    setting: 'JavaScriptEncoder.UnsafeRelaxedJsonEscaping',
  },
  'system-text-json-relaxed-escaping': {
    language: 'C#',
    encoder: 'System.Text.Json with UnsafeRelaxedJsonEscaping',
    setting: 'none: write such strings yourself',
  },
  'swift-escaped-slashes': {
    language: 'Swift',
    encoder: 'JSONEncoder',
    setting: '.withoutEscapingSlashes',
  },
  'rails-html-escaping': {
    language: 'Ruby',
    encoder: "Rails' to_json (ActiveSupport)",
    setting:
      'JSON.generate instead of to_json (escape_html_entities_in_json = false leaves U+2028/U+2029 escaped)',
  },
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
    findings.push(findingOf(mistake, explanation, line))
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
        for (const [mistakes, explanation] of hypothesisExplanations(hypothesis))
          for (const mistake of mistakes) add(mistake, explanation, problem.line)
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

/** One finding with the fix, code and encoder of its mistake. */
export function findingOf(
  mistake: SignatureMistake,
  explanation: string,
  line?: number | undefined,
): SignatureFinding {
  const [fix, code = 'buildMessage({ wallet, session, request, scope, payload })'] = fixes[mistake]
  return {
    mistake,
    ...(line === undefined ? {} : { line }),
    explanation,
    fix,
    code,
    ...encoders[mistake],
  }
}

/**
 * Each way of writing that the hypothesis found (one, or several that write the same bytes),
 * with the sentence that explains it.
 */
export function hypothesisExplanations(
  hypothesis: PayloadHypothesis,
  subject: 'payload line' | 'output' = 'payload line',
): [readonly PayloadMistake[], string][] {
  const ways = [hypothesis.mistakes, ...hypothesis.alternatives]
  const shown = hypothesis.shown.length > 0 ? ` (${hypothesis.shown.join(', ')})` : ''
  return ways.map((mistakes) => {
    const what = mistakes.join(' + ')
    const others = ways.filter((way) => way !== mistakes).map((way) => way.join(' + '))
    const same =
      others.length > 0
        ? ` ${others.join(', ')} writes the same bytes: the fix is that of the encoder you use.`
        : ''
    return [
      mistakes,
      hypothesis.side === 'client'
        ? subject === 'output'
          ? `The expected value written with ${what}${shown} gives your output.${same}`
          : `Your payload written with ${what}${shown} gives your payload line; without, the server's hash.${same}`
        : `Your line is canonical; the server's hash is your payload's with ${what}${shown}: avoid such values.${same}`,
    ]
  })
}
