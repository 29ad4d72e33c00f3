// Writes the language-neutral test vectors of vectors/README.md.
//
// Every expected value comes from an implementation that is independent of our packages:
//   - the raw canonical form: a recursive serializer written here, on top of JSON.stringify for
//     strings and numbers (JSON.stringify of a key-sorted object would put integer-like keys such
//     as "2" before "10", so objects are written by hand), cross-checked against
//     JSON.stringify(sortedValue) wherever no integer-like key gets in the way;
//   - the ascii form and every SHA-256: Python's stdlib (`json`, `hashlib`), run once as a
//     subprocess with every case in one batch; where Python's json.dumps writes something else
//     than JavaScript (floats, -0, integers beyond 2^53, astral keys), the case is marked with a
//     `divergence`, the expected ascii value is the raw form escaped by the function below, and
//     Python's own output is kept in the divergence for reference;
//   - the message text: the lines of PROTOCOL section 2, joined here.
// Run from the repository root: `pnpm vectors:generate`. Re-running writes identical files.

import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))

// ---------------------------------------------------------------------------------------------
// Independent JavaScript canonical form

/** Raw canonical form: keys sorted by UTF-16 code units (Array.prototype.sort), no whitespace. */
function canonicalRaw(value) {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value)
    const isNull = value === null
    if (text === undefined || (text === 'null') !== isNull)
      throw new Error(`not a JSON value: ${String(value)}`)
    return text
  }
  if (Array.isArray(value)) return `[${value.map(canonicalRaw).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalRaw(value[key])}`).join(',')}}`
}

/** The same value with every object rebuilt in sorted key order, for JSON.stringify. */
function sortedValue(value) {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(sortedValue)
  const sorted = {}
  for (const key of Object.keys(value).sort()) sorted[key] = sortedValue(value[key])
  return sorted
}

/** Keys that JavaScript objects enumerate first, in numeric order, whatever the insertion order. */
function hasIntegerLikeKey(value) {
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some(hasIntegerLikeKey)
  return Object.entries(value).some(
    ([key, member]) =>
      (/^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1) || hasIntegerLikeKey(member),
  )
}

/** ASCII form: every UTF-16 code unit outside U+0020..U+007E as \uXXXX, lowercase hex. */
function escapeNonAscii(raw) {
  let out = ''
  for (let index = 0; index < raw.length; index++) {
    const unit = raw.charCodeAt(index)
    out += unit >= 0x20 && unit <= 0x7e ? raw[index] : `\\u${unit.toString(16).padStart(4, '0')}`
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Python, once, for every case

const pythonProgram = `
import hashlib, json, sys
jobs = json.loads(sys.stdin.buffer.read().decode("utf-8"))
out = []
for job in jobs:
    if job["op"] == "dumps":
        value = json.loads(job["text"])
        out.append({
            "ascii": json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True),
            "unicode": json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        })
    elif job["op"] == "sha256":
        out.append(hashlib.sha256(job["text"].encode("utf-8")).hexdigest())
    else:
        raise SystemExit("unknown op " + job["op"])
sys.stdout.write(json.dumps(out, ensure_ascii=True))
`

function runPython(jobs) {
  const output = execFileSync('python3', ['-c', pythonProgram], {
    input: JSON.stringify(jobs),
    maxBuffer: 1 << 28,
  })
  const results = JSON.parse(output.toString('utf8'))
  if (results.length !== jobs.length) throw new Error('python answered a different number of jobs')
  return results
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON cases. Inputs are JSON text.

const canonicalDefinitions = []
/**
 * @param {string} id
 * @param {string} description
 * @param {string} input JSON text
 * @param {{kind: string, note: string}} [divergence] how Python's json.dumps differs
 */
function canonical(id, description, input, divergence) {
  canonicalDefinitions.push({ id, description, input, divergence })
}

const hex4 = (code) => code.toString(16).padStart(4, '0')
const jsonString = (text) => JSON.stringify(text)

// Structure
canonical('empty_object', 'The empty object: the payload of job_reserve and job_status.', '{}')
canonical('empty_array', 'The empty array.', '[]')
canonical('top_null', 'A bare null at the top.', 'null')
canonical('top_true', 'A bare true at the top.', 'true')
canonical('top_false', 'A bare false at the top.', 'false')
canonical('top_zero', 'A bare 0 at the top.', '0')
canonical('top_empty_string', 'A bare empty string at the top.', '""')
canonical('top_string', 'A bare string at the top.', '"hello"')
canonical('single_member', 'One member.', '{"a":1}')
canonical('two_members_unsorted', 'Two members written in reverse order.', '{"b":1,"a":2}')
canonical(
  'whitespace_removed',
  'Whitespace of the input (spaces, tabs, newlines) is not kept.',
  '{ "b" : [ 1 , 2 ] ,\n\t"a" : { "d" : true , "c" : null } }',
)
canonical(
  'nested_objects',
  'Keys are sorted at every level.',
  '{"b":{"d":1,"c":2},"a":{"f":3,"e":4}}',
)
canonical(
  'objects_in_array',
  'Objects inside arrays are sorted; the array keeps its order.',
  '[{"z":1,"y":2},{"b":1,"a":2},{}]',
)
canonical('array_order_kept', 'Arrays are never sorted.', '[3,1,2,"b","a"]')
canonical('nested_empty_arrays', 'Arrays of empty arrays.', '[[],[[]],[[[]]]]')
canonical('empty_containers_as_values', 'Empty containers as member values.', '{"b":[],"a":{}}')
canonical(
  'mixed_array',
  'Every JSON type in one array.',
  '[null,true,false,0,-1,"",[],{},"x",{"k":[1]}]',
)
canonical(
  'literals_as_values',
  'null, true and false as member values.',
  '{"t":true,"n":null,"f":false}',
)
canonical(
  'deep_arrays_100',
  '100 nested arrays around a number.',
  `${'['.repeat(100)}1${']'.repeat(100)}`,
)
canonical(
  'deep_objects_64',
  '64 nested objects, each with two keys written in reverse order.',
  `${'{"b":0,"a":'.repeat(64)}null${'}'.repeat(64)}`,
)
canonical(
  'array_of_arrays_of_objects',
  'Sorting reaches objects inside nested arrays.',
  '{"rows":[[{"y":1,"x":2}],[{"b":[{"d":4,"c":3}]}]]}',
)

// Key order
canonical(
  'keys_case',
  'Upper-case letters sort before lower-case ones (code unit order, not alphabetical).',
  '{"b":1,"B":2,"a":3,"A":4}',
)
canonical(
  'keys_numeric_strings',
  'Numeric-looking keys sort as strings: "1" < "10" < "2". A JavaScript object enumerates integer-like keys first in numeric order, so JSON.stringify of a sorted object would be wrong here.',
  '{"2":"two","10":"ten","1":"one"}',
)
canonical(
  'keys_numeric_and_words',
  'Integer-like, negative, decimal and word keys together.',
  '{"a":1,"10":2,"2":3,"-1":4,"1.5":5,"01":6,"0":7}',
)
canonical(
  'keys_zero_to_twenty',
  'Keys "0" to "20" in a shuffled order: string order puts "10".."19" between "1" and "2".',
  `{${[7, 20, 3, 15, 0, 11, 19, 2, 8, 13, 1, 17, 5, 10, 14, 4, 18, 9, 12, 6, 16].map((n) => `"${n}":${n}`).join(',')}}`,
)
canonical(
  'keys_large_integer_like',
  'Keys around 2^32-1, where JavaScript stops treating keys as array indexes.',
  '{"4294967296":1,"4294967295":2,"4294967294":3,"9":4}',
)
canonical(
  'keys_prefixes',
  'A key sorts before the longer keys it starts.',
  '{"abc":1,"a":2,"ab":3}',
)
canonical('keys_empty_and_space', 'The empty key sorts first, then space.', '{"a":1," ":2,"":3}')
canonical(
  'keys_ascii_punctuation',
  'Punctuation, digits and letters in ASCII order.',
  '{"~":1,"a":2,"_":3,"A":4,"0":5,"-":6,"!":7}',
)
canonical(
  'keys_escaped_characters',
  'Keys holding a newline, a quote and a backslash sort by the characters, not their escapes.',
  '{"a\\\\b":1,"a\\"b":2,"a\\nb":3,"ab":4}',
)
canonical(
  'keys_control_character',
  'A key holding U+0000 and U+001F.',
  '{"k\\u001f":1,"k\\u0000":2,"k":3}',
)
canonical(
  'keys_latin1',
  'Latin-1 keys sort after every ASCII key.',
  '{"é":1,"z":2,"e":3,"ß":4,"Z":5}',
)
canonical(
  'keys_normalization_not_applied',
  'Precomposed "é" (U+00E9) and decomposed "e" + U+0301 are different keys; no Unicode normalization.',
  '{"\\u00e9":"precomposed","e\\u0301":"decomposed"}',
)
canonical(
  'keys_scripts',
  'Greek, Cyrillic, CJK and Hangul keys.',
  '{"한":1,"日":2,"ж":3,"λ":4,"a":5}',
)
canonical(
  'keys_astral_and_ascii',
  'An astral key sorts after ASCII keys in both UTF-16 and code point order.',
  '{"😀":1,"a":2}',
)
canonical(
  'keys_astral_and_below_surrogates',
  'U+D7FF sorts before an astral key in both orders: no divergence below the surrogate range.',
  '{"😀":1,"\\ud7ff":2}',
)
canonical(
  'keys_astral_only',
  'Astral keys among themselves: UTF-16 and code point order agree.',
  '{"𝄞":1,"😁":2,"😀":3,"𐍈":4}',
)
canonical(
  'keys_astral_vs_private_use',
  'U+E000 against U+1F600: UTF-16 order (JavaScript, JCS) puts the astral key first (0xD83D < 0xE000).',
  '{"\\ue000":"private use","😀":"emoji"}',
  { kind: 'astral_key_order', note: 'Python sorts keys by code point and puts U+E000 first.' },
)
canonical(
  'keys_astral_vs_fffd',
  'U+FFFD against U+10000: the astral key sorts first in UTF-16 order.',
  '{"\\ufffd":1,"\\ud800\\udc00":2}',
  { kind: 'astral_key_order', note: 'Python sorts keys by code point and puts U+FFFD first.' },
)
canonical(
  'keys_astral_vs_fullwidth',
  'Fullwidth U+FF21 against U+1D11E: the astral key sorts first in UTF-16 order.',
  '{"Ａ":1,"𝄞":2}',
  { kind: 'astral_key_order', note: 'Python sorts keys by code point and puts U+FF21 first.' },
)
canonical(
  'keys_astral_vs_bom',
  'U+FEFF against U+10FFFF, the last code point: the astral key sorts first in UTF-16 order.',
  '{"\\ufeff":1,"\\udbff\\udfff":2}',
  { kind: 'astral_key_order', note: 'Python sorts keys by code point and puts U+FEFF first.' },
)
canonical(
  'keys_astral_nested',
  'The astral order difference inside a nested object.',
  '{"outer":{"😀":1,"\\uf8ff":2,"a":3}}',
  { kind: 'astral_key_order', note: 'Python sorts keys by code point and puts U+F8FF first.' },
)
canonical(
  'keys_many',
  '500 keys "k000".."k499" written in a scrambled order.',
  `{${Array.from({ length: 500 }, (_, i) => (i * 7 + 3) % 500)
    .map((n) => `"k${String(n).padStart(3, '0')}":${n}`)
    .join(',')}}`,
)

// Strings: escapes and control characters
canonical('string_quote', 'A quotation mark is escaped as \\".', '{"s":"say \\"hi\\""}')
canonical('string_backslash', 'A backslash is escaped as \\\\.', '{"s":"C:\\\\path\\\\file"}')
canonical(
  'string_solidus',
  'The input escape \\/ is read as "/", which is written unescaped.',
  '{"s":"a\\/b</script>"}',
)
canonical(
  'string_html_characters',
  "<, >, & and ' are never escaped.",
  '{"s":"<a href=\'x\'>&amp;</a>"}',
)
// One trap of the standard encoders' defaults per case, so that an adapter built on one fails
// one case named after the trap (U+2028 and non-ASCII: char_u2028, char_u00e9 below).
canonical(
  'trap_ampersand',
  '& alone is written as itself (Go encoding/json, Gson, System.Text.Json and Rails to_json write \\u0026 by default).',
  '{"s":"a&b"}',
)
canonical(
  'trap_solidus',
  '/ alone is written as itself (PHP json_encode and Swift JSONEncoder write \\/ by default).',
  '{"s":"a/b"}',
)
canonical(
  'trap_plus_equals',
  '+ and = are written as themselves (System.Text.Json writes \\u002B, Gson \\u003d by default).',
  '{"s":"a+b=c"}',
)
for (let code = 0; code < 0x20; code++) {
  const short = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[code]
  canonical(
    `control_u${hex4(code)}`,
    short
      ? `U+${hex4(code).toUpperCase()} is written with its short escape ${short}.`
      : `U+${hex4(code).toUpperCase()} has no short escape: \\u${hex4(code)}, lowercase hex.`,
    `{"s":"a\\u${hex4(code).toUpperCase()}b"}`,
  )
}
canonical(
  'control_all',
  'All 32 control characters in one string.',
  `"${Array.from({ length: 32 }, (_, code) => `\\u${hex4(code)}`).join('')}"`,
)
canonical(
  'string_del',
  'U+007F (DEL) is written as itself in the raw form and as \\u007f in the ascii form.',
  '{"s":"a\\u007fb"}',
)
canonical(
  'string_printable_ascii',
  'Every printable ASCII character, U+0020..U+007E.',
  jsonString(Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('')),
)
canonical(
  'string_looks_like_json',
  'A string holding JSON text is just a string.',
  jsonString('{"a":[1,2],"b":"c"}'),
)
canonical(
  'string_input_escapes_decoded',
  'Unnecessary \\u escapes of the input (upper and lower case hex) are decoded.',
  '{"s":"\\u0041\\u00E9\\u00e9"}',
)

// Strings: non-ASCII of each UTF-8 length
const codePoints = [
  ['u0080', 0x80, 'U+0080, the first 2-byte UTF-8 character'],
  ['u00a0', 0xa0, 'U+00A0 no-break space'],
  ['u00e9', 0xe9, 'U+00E9 é'],
  ['u00ff', 0xff, 'U+00FF ÿ'],
  ['u07ff', 0x7ff, 'U+07FF, the last 2-byte UTF-8 character'],
  ['u0800', 0x800, 'U+0800, the first 3-byte UTF-8 character'],
  ['u200b', 0x200b, 'U+200B zero-width space'],
  ['u2028', 0x2028, 'U+2028 line separator: not escaped by JSON.stringify, escaped in ascii'],
  ['u2029', 0x2029, 'U+2029 paragraph separator: not escaped by JSON.stringify, escaped in ascii'],
  ['u20ac', 0x20ac, 'U+20AC €'],
  ['ud7ff', 0xd7ff, 'U+D7FF, the last code point before the surrogates'],
  ['ue000', 0xe000, 'U+E000, the first private-use code point after the surrogates'],
  ['ufeff', 0xfeff, 'U+FEFF byte order mark inside a string'],
  ['ufffd', 0xfffd, 'U+FFFD replacement character'],
  ['uffff', 0xffff, 'U+FFFF, the last 3-byte UTF-8 character (a noncharacter, still valid)'],
  ['u10000', 0x10000, 'U+10000, the first 4-byte UTF-8 character (surrogate pair d800 dc00)'],
  ['u1d11e', 0x1d11e, 'U+1D11E musical G clef'],
  ['u1f600', 0x1f600, 'U+1F600 grinning face'],
  ['u10ffff', 0x10ffff, 'U+10FFFF, the last code point (surrogate pair dbff dfff)'],
]
for (const [name, code, description] of codePoints)
  canonical(
    `char_${name}`,
    `${description}: written as itself in raw, as \\uXXXX (a surrogate pair when astral) in ascii.`,
    `{"s":${jsonString(`a${String.fromCodePoint(code)}b`)}}`,
  )
canonical(
  'string_escaped_surrogate_pair',
  'A surrogate pair written as two \\u escapes in the input is one astral character.',
  '{"s":"\\ud83d\\ude00"}',
)
canonical('string_cjk', 'Japanese text.', '{"s":"日本語のテキスト"}')
canonical('string_arabic', 'Right-to-left text.', '{"s":"مرحبا بالعالم"}')
canonical('string_devanagari', 'Devanagari with combining vowel signs.', '{"s":"नमस्ते"}')
canonical(
  'string_mixed_latin',
  'Latin text with diacritics.',
  '{"s":"Zoë, café, naïve, Ærøskøbing"}',
)
canonical(
  'string_combining',
  'A combining acute accent after "e" stays two code points.',
  '{"s":"e\\u0301"}',
)
canonical(
  'emoji_zwj_family',
  'A ZWJ emoji sequence (man, ZWJ, woman, ZWJ, girl).',
  '{"s":"👨‍👩‍👧"}',
)
canonical('emoji_flag', 'A flag: two regional indicator symbols.', '{"s":"🇫🇷"}')
canonical('emoji_skin_tone', 'An emoji with a skin tone modifier.', '{"s":"👍🏽"}')
canonical('emoji_keycap', 'A keycap sequence: digit, U+FE0F, U+20E3.', '{"s":"1️⃣"}')
canonical(
  'emoji_in_key_and_value',
  'Emoji in a key and in its value.',
  '{"🚀":"launch 🚀","a":"x"}',
)

// Numbers
canonical('int_zero', 'Zero.', '0')
canonical('int_one', 'One.', '1')
canonical('int_minus_one', 'Minus one.', '-1')
canonical('int_small', 'A small integer in an object.', '{"n":42}')
canonical('int_2_31_minus_1', '2^31-1.', '2147483647')
canonical('int_2_31', '2^31.', '2147483648')
canonical('int_minus_2_31', '-2^31.', '-2147483648')
canonical('int_2_32', '2^32.', '4294967296')
canonical('int_1e15', '10^15 written as an integer.', '1000000000000000')
canonical(
  'int_max_safe',
  '2^53-1, the largest integer that hashes the same everywhere.',
  '9007199254740991',
)
canonical('int_min_safe', '-(2^53-1).', '-9007199254740991')
canonical(
  'int_safe_range_in_payload',
  'The safe integer range inside a payload.',
  '{"max":9007199254740991,"min":-9007199254740991,"zero":0}',
)
canonical(
  'int_minus_zero',
  'The integer -0: JavaScript reads it as -0 and writes 0; Python reads the integer 0.',
  '-0',
)
canonical(
  'int_2_53',
  '2^53 is a double exactly, so it is written the same, but it is outside the safe range: 2^53+1 would read as the same number in JavaScript.',
  '9007199254740992',
)
canonical(
  'int_2_53_plus_1',
  '2^53+1 cannot be held by a double: JavaScript reads 9007199254740992.',
  '9007199254740993',
  {
    kind: 'integer_precision',
    note: 'Python reads integers exactly and keeps 9007199254740993.',
  },
)
canonical(
  'int_minus_2_53_minus_1',
  '-(2^53+1): JavaScript reads -9007199254740992.',
  '-9007199254740993',
  { kind: 'integer_precision', note: 'Python keeps the integer exactly.' },
)
canonical(
  'int_1e21_digits',
  '10^21 written with digits: JavaScript writes numbers from 10^21 up with an exponent.',
  '1000000000000000000000',
  { kind: 'integer_precision', note: 'Python keeps the integer and writes its 22 digits.' },
)
canonical(
  'int_30_digits',
  'A 30-digit integer: JavaScript rounds it to a double and writes an exponent.',
  '123456789012345678901234567890',
  { kind: 'integer_precision', note: 'Python keeps the integer exactly.' },
)
canonical('float_half', '0.5.', '0.5')
canonical('float_minus_half', '-0.5.', '-0.5')
canonical('float_tenth', '0.1.', '0.1')
canonical('float_one_and_half', '1.5, with a trailing zero in the input (1.50).', '1.50')
canonical('float_pi', 'Pi to double precision.', '3.141592653589793')
canonical('float_point_three', '0.1 + 0.2 as a double.', '0.30000000000000004')
canonical('float_ten_thousandth', '0.0001: still written without an exponent by both.', '0.0001')
canonical('float_min_subnormal', 'The smallest subnormal double.', '5e-324')
canonical('float_max', 'The largest double.', '1.7976931348623157e308')
canonical(
  'float_1e21',
  '1e21: the first power of ten JavaScript writes with an exponent (1e+21).',
  '1e21',
)
canonical('float_exponent_large', '1.5e300.', '1.5e300')
canonical('float_exponent_negative', '2.5e-3 is 0.0025.', '2.5e-3')
canonical(
  'float_one_point_zero',
  '1.0: JavaScript has no separate float type and writes 1.',
  '1.0',
  { kind: 'float', note: 'Python keeps a float and writes 1.0.' },
)
canonical('float_minus_one_point_zero', '-1.0: JavaScript writes -1.', '-1.0', {
  kind: 'float',
  note: 'Python writes -1.0.',
})
canonical('float_zero_point_zero', '0.0: JavaScript writes 0.', '0.0', {
  kind: 'float',
  note: 'Python writes 0.0.',
})
canonical('float_hundred', '100.0 in a payload: JavaScript writes 100.', '{"amount":100.0}', {
  kind: 'float',
  note: 'Python writes 100.0.',
})
canonical('float_exponent_1e3', '1E3: JavaScript writes 1000.', '1E3', {
  kind: 'float',
  note: 'Python reads a float and writes 1000.0.',
})
canonical('float_1e16', '1e16: JavaScript writes 10000000000000000.', '1e16', {
  kind: 'float',
  note: 'Python writes 1e+16.',
})
canonical(
  'float_1e20',
  '1e20: JavaScript writes 100000000000000000000 (exponent only from 1e21).',
  '1e20',
  {
    kind: 'float',
    note: 'Python writes 1e+20.',
  },
)
canonical(
  'float_1e-6',
  '0.000001: JavaScript writes it without an exponent (down to 1e-6).',
  '0.000001',
  {
    kind: 'float',
    note: 'Python writes 1e-06.',
  },
)
canonical('float_1e-7', '1e-7: JavaScript writes 1e-7.', '1e-7', {
  kind: 'float',
  note: 'Python writes the exponent with two digits: 1e-07.',
})
canonical('float_negative_zero', '-0.0: JavaScript writes 0 (JSON.stringify(-0) is "0").', '-0.0', {
  kind: 'negative_zero',
  note: 'Python keeps the sign and writes -0.0.',
})
canonical(
  'float_negative_zero_in_payload',
  '-0.0 inside an object: JavaScript writes 0.',
  '{"delta":-0.0,"n":1}',
  { kind: 'negative_zero', note: 'Python writes -0.0.' },
)
canonical('float_mixed_array', 'Integers and floats in one array.', '[1,1.5,-2,0.25,3]')

// Payloads of the protocol
const socialPost = {
  platform: 'linkedin',
  post_url: 'https://www.linkedin.com/feed/update/urn:li:activity:123',
  target_url_used:
    'https://www.agentpmt.com/agent-workflow-skills/example?utm_source=linkedin&utm_medium=agent_social&utm_campaign=agent_job_abc&utm_content=tracking-code',
  message_text: 'Paid AgentPMT share: AgentPMT has a useful workflow for handling this process.',
  posted_at: '2026-05-17T14:30:00Z',
}
const socialCompletionText = `{
  "proof_text": "Published the required AgentPMT social post.",
  "reservation_id": "res_7f3a9c2e",
  "social_posts": [${JSON.stringify(socialPost, null, 2).replace(/\n/g, '\n    ')}]
}`
canonical(
  'payload_job_complete_social_posts',
  'The completion payload of the public guide: {proof_text, reservation_id, social_posts} with its one post.',
  socialCompletionText,
)
canonical(
  'payload_job_complete_workflow',
  'The completion payload of a workflow job: {proof_text, reservation_id, workflow_id}.',
  '{"workflow_id":"wf_01HZX3","reservation_id":"res_51b2","proof_text":"Published the workflow."}',
)
canonical(
  'payload_job_list',
  'The list payload of the public guide: {limit: 50, skip: 0}.',
  '{"limit":50,"skip":0}',
)
canonical(
  'payload_job_list_reversed',
  'The list payload written skip first.',
  '{"skip":0,"limit":50}',
)
canonical('payload_job_list_page_3', 'The third page of 20.', '{"limit":20,"skip":40}')
canonical(
  'payload_tool_parameters',
  'Tool invoke parameters with nested options.',
  '{"query":"agent payments","options":{"max_results":10,"safe":true,"lang":"en"},"filters":["news","blogs"]}',
)
canonical(
  'payload_non_ascii_completion',
  'A completion whose post text holds accents and an emoji.',
  `{"proof_text":"Publié ✅","reservation_id":"res_é","social_posts":[${JSON.stringify({ ...socialPost, message_text: 'Partagé sur LinkedIn 🚀 — merci !' })}]}`,
)

// Large values
canonical(
  'large_ascii_string',
  'A string of 10,000 ASCII characters.',
  jsonString('abcdefghij'.repeat(1000)),
)
canonical(
  'large_latin1_string',
  'A string of 5,000 "é" (10,000 UTF-8 bytes).',
  jsonString('é'.repeat(5000)),
)
canonical(
  'large_emoji_string',
  'A string of 2,000 emoji (8,000 UTF-8 bytes, 4,000 UTF-16 units).',
  jsonString('😀'.repeat(2000)),
)
canonical(
  'large_escapes_string',
  'A string of 3,000 characters that all need escaping.',
  jsonString('"\\\n\u0001'.repeat(750)),
)
canonical(
  'large_int_array',
  'An array of 1,000 integers.',
  `[${Array.from({ length: 1000 }, (_, i) => (i * 7919) % 100003).join(',')}]`,
)
canonical(
  'large_object_array',
  'An array of 200 small objects, each written in reverse key order.',
  `[${Array.from({ length: 200 }, (_, i) => `{"z":${i},"m":"item ${i}","a":${i % 2 === 0}}`).join(',')}]`,
)

// ---------------------------------------------------------------------------------------------
// Message cases. Payloads are JSON text too.

const wallets = {
  checksummed: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  checksummed2: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  checksummed3: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  lower: '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
  upper: '0x15D34AAF54267DB7D7C367839AAF71A00A2C6A65',
  zero: '0x0000000000000000000000000000000000000000',
}

const messageDefinitions = []
/**
 * @param {string} id
 * @param {string} description
 * @param {object} input with `payload` as JSON text (or null), or `payload_hash`
 * @param {string} [bodyMembers] the members of the request body beside the envelope, as JSON
 *   text without braces ('' for none), when the body is worth showing
 */
function message(id, description, input, bodyMembers) {
  const bodyText =
    bodyMembers === undefined
      ? undefined
      : `{${envelopeOf(input)}${bodyMembers === '' ? '' : `,${bodyMembers}`}}`
  messageDefinitions.push({ id, description, input, bodyText })
}

const signing = (wallet, n) => ({ wallet, session: `sess_${n}`, request: `req_${n}` })
/** The envelope members of a request body, from the message input; the signature is a placeholder. */
const envelopeOf = ({ wallet, session, request }) =>
  `"wallet_address":${jsonString(wallet)},"session_nonce":${jsonString(session)},"request_id":${jsonString(request)},"signature":"0x${'ab'.repeat(65)}"`

message('balance', 'The credit balance check: action balance, product -, empty payload line.', {
  ...signing(wallets.checksummed, 1),
  scope: { action: 'balance' },
  payload: null,
})
message('balance_explicit_product', 'The balance check with product "-" written out.', {
  ...signing(wallets.lower, 2),
  scope: { action: 'balance', product: '-' },
  payload: null,
})
message(
  'balance_upper_wallet',
  'The balance check from an all-upper-case wallet, lower-cased in the message.',
  {
    ...signing(wallets.upper, 3),
    scope: { action: 'balance' },
    payload: null,
  },
)
const listPages = [
  [50, 0],
  [10, 20],
  [1, 0],
  [100, 500],
]
for (const [index, [limit, skip]] of listPages.entries())
  message(
    `job_list_${limit}_${skip}`,
    `job_list, product -, payload {limit: ${limit}, skip: ${skip}}.`,
    {
      ...signing(
        [wallets.checksummed, wallets.checksummed2, wallets.lower, wallets.zero][index],
        10 + index,
      ),
      scope: { action: 'job_list' },
      payload: `{"limit":${limit},"skip":${skip}}`,
    },
    `"limit":${limit},"skip":${skip}`,
  )
message(
  'job_list_skip_first',
  'job_list with the payload written skip first: the hash is the same as limit first.',
  {
    ...signing(wallets.checksummed, 14),
    scope: { action: 'job_list', product: '-' },
    payload: '{"skip":0,"limit":50}',
  },
)
const jobIds = ['job_abc', 'job_01HZX3K9Q2', '65f1c0ffee0123456789abcd', 'JOB-Mixed_Case.42']
for (const [index, jobId] of jobIds.entries()) {
  message(
    `job_reserve_${index + 1}`,
    `job_reserve of ${jobId}: product is the job id, payload {} (44136fa3...).`,
    {
      ...signing(wallets.checksummed2, 20 + index),
      scope: { action: 'job_reserve', product: jobId },
      payload: '{}',
    },
    '',
  )
  message(
    `job_status_${index + 1}`,
    `job_status of ${jobId}: product is the job id, payload {}.`,
    {
      ...signing(wallets.checksummed3, 30 + index),
      scope: { action: 'job_status', product: jobId },
      payload: '{}',
    },
    '',
  )
}
const completions = [
  ['social_posts', 'the social-share completion of the public guide', socialCompletionText],
  [
    'social_posts_non_ascii',
    'a social-share completion whose post text holds accents and an emoji (hashed as UTF-8)',
    `{"proof_text":"Publié sur LinkedIn ✅","reservation_id":"res_7f3a9c2e","social_posts":[${JSON.stringify({ ...socialPost, message_text: 'Partagé 🚀 — « AgentPMT » a un flux utile.' })}]}`,
  ],
  [
    'social_posts_x',
    'a social-share completion on X with its tracked URL',
    `{"reservation_id":"res_x_1","proof_text":"Posted on X.","social_posts":[{"posted_at":"2026-06-01T09:00:00Z","platform":"x","post_url":"https://x.com/agent/status/1790000000000000000","target_url_used":"https://www.agentpmt.com/jobs/share?utm_source=x&utm_medium=agent_social&utm_campaign=agent_job_job_x1&utm_content=trk_9","message_text":"Paid AgentPMT share: try it."}]}`,
  ],
  [
    'workflow_id',
    'a workflow completion with workflow_id',
    '{"proof_text":"Published the workflow.","reservation_id":"res_51b2","workflow_id":"wf_01HZX3"}',
  ],
  [
    'workflow_id_reordered',
    'a workflow completion written in another key order',
    '{"workflow_id":"wf_9","proof_text":"Workflow published and tested.","reservation_id":"res_9"}',
  ],
]
for (const [index, [name, description, payloadText]] of completions.entries())
  message(
    `job_complete_${name}`,
    `job_complete: ${description}. The payload is the body minus the envelope fields.`,
    {
      ...signing(
        [
          wallets.checksummed,
          wallets.checksummed2,
          wallets.checksummed3,
          wallets.lower,
          wallets.upper,
        ][index],
        40 + index,
      ),
      scope: { action: 'job_complete', product: `job_${name}` },
      payload: payloadText,
    },
    payloadText.trim().slice(1, -1),
  )
const invokePath = (product, action) => `/external/tools/${product}/actions/${action}/invoke`
const invokes = [
  [
    'web_search',
    'POST',
    invokePath('web-search', 'search'),
    '{"query":"agents"}',
    'one string parameter',
  ],
  [
    'empty_parameters',
    'POST',
    invokePath('clock', 'now'),
    '{}',
    'no parameters: the empty object is hashed',
  ],
  [
    'nested_parameters',
    'POST',
    invokePath('web-search', 'search'),
    '{"query":"agent payments","options":{"max_results":10,"safe":true},"filters":["news","blogs"]}',
    'nested parameters',
  ],
  [
    'non_ascii_parameters',
    'POST',
    invokePath('translate', 'text'),
    '{"text":"Grüße aus Köln 🌍","target":"日本語"}',
    'non-ASCII parameters, hashed as UTF-8 of the raw form',
  ],
  [
    'lowercase_method',
    'post',
    invokePath('web-search', 'search'),
    '{"query":"agents"}',
    'a lower-case method in the input, written upper-case',
  ],
  [
    'get_method',
    'GET',
    invokePath('weather', 'forecast'),
    '{"city":"Paris","days":3}',
    'a GET tool invoke',
  ],
  [
    'api_prefix_path',
    'POST',
    `/api${invokePath('web-search', 'search')}`,
    '{"query":"agents"}',
    'an accepted path candidate with the /api prefix, signed as given',
  ],
  [
    'trailing_slash_path',
    'POST',
    `${invokePath('web-search', 'search')}/`,
    '{"query":"agents"}',
    'an accepted path candidate with a trailing slash, signed as given',
  ],
  [
    'mixed_case_slugs',
    'POST',
    invokePath('Web-Search', 'Search'),
    '{"query":"agents"}',
    'slugs in mixed case, signed as given',
  ],
  [
    'numeric_keys_parameters',
    'POST',
    invokePath('sheet', 'write'),
    '{"cells":{"10":"ten","2":"two","1":"one"},"sheet":"A"}',
    'numeric-looking keys, sorted as strings ("1" < "10" < "2")',
  ],
]
for (const [index, [name, method, path, parametersText, description]] of invokes.entries())
  message(
    `tool_invoke_${name}`,
    `Tool invoke, ${description}. Only the parameters object is hashed, never the envelope beside it.`,
    {
      ...signing(wallets.checksummed2, 60 + index),
      scope: { method, path },
      payload: parametersText,
    },
    `"parameters":${parametersText}`,
  )
message(
  'payload_hash_given',
  'A payload hash computed elsewhere, given as 64 lower-case hex characters.',
  {
    ...signing(wallets.checksummed, 80),
    scope: { action: 'job_status', product: 'job_abc' },
    payload_hash: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  },
)
message('payload_hash_upper_case', 'A payload hash given in upper-case hex: written lower-case.', {
  ...signing(wallets.checksummed, 81),
  scope: { action: 'job_list' },
  payload_hash: '4879729D88891F52EE7D8B54EA2F618E20A75B3817E55E0DBEB84C2BCA8F3D93',
})
message('session_uuid', 'Session and request as UUIDs.', {
  wallet: wallets.checksummed3,
  session: '6f1c2b9e-3d4a-4c8e-9b7f-2a1d0e5c4b3a',
  request: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
  scope: { action: 'job_reserve', product: 'job_abc' },
  payload: '{}',
})
message(
  'fields_with_colons',
  'Fields may hold colons and spaces: a line splits at its first colon only.',
  {
    wallet: wallets.lower,
    session: 'sess:with:colons',
    request: 'req 1: retry 2',
    scope: { action: 'job_status', product: 'job:1' },
    payload: '{}',
  },
)
message('non_ascii_fields', 'Non-ASCII session and request ids are signed as UTF-8.', {
  wallet: wallets.checksummed,
  session: 'sesión-ñ',
  request: 'req-日本-😀',
  scope: { action: 'job_list' },
  payload: '{"limit":50,"skip":0}',
})
message('long_request_id', 'A 256-character request id.', {
  wallet: wallets.checksummed2,
  session: 'sess_long',
  request: 'r'.repeat(256),
  scope: { action: 'job_status', product: 'job_abc' },
  payload: '{}',
})
message(
  'zero_wallet',
  'The zero address is well-formed (the server will not accept it, the message is still defined).',
  {
    ...signing(wallets.zero, 90),
    scope: { action: 'job_list' },
    payload: '{"limit":50,"skip":0}',
  },
)
message('custom_action', 'An action this project does not know is written as given.', {
  ...signing(wallets.checksummed, 91),
  scope: { action: 'credits_history', product: '-' },
  payload: '{"limit":10}',
})
message(
  'job_reserve_non_ascii_job_id',
  'A job id outside ASCII is written as UTF-8 on the product line.',
  {
    ...signing(wallets.checksummed3, 93),
    scope: { action: 'job_reserve', product: 'tâche_été' },
    payload: '{}',
  },
)
message(
  'tool_invoke_array_parameters',
  'Tool invoke whose parameters hold arrays of objects, sorted inside, order kept.',
  {
    ...signing(wallets.lower, 94),
    scope: { method: 'POST', path: invokePath('crm', 'bulk-create') },
    payload: '{"records":[{"name":"B","id":2},{"name":"A","id":1}],"dry_run":false}',
  },
)
message(
  'payload_with_unicode_escapes_needed',
  'A payload holding control characters and U+2028, escaped the same by every raw form.',
  {
    ...signing(wallets.checksummed, 92),
    scope: { action: 'job_complete', product: 'job_ctl' },
    payload: '{"proof_text":"line 1\\nline 2\\ttab\\u2028sep","reservation_id":"res_ctl"}',
  },
)

// ---------------------------------------------------------------------------------------------
// Negative cases

const special = (name, extra = {}) => ({ $special: name, ...extra })
const validMessage = (overrides = {}) => ({
  wallet: wallets.checksummed2,
  session: 'sess_1',
  request: 'req_1',
  scope: { action: 'job_list' },
  payload: { limit: 50, skip: 0 },
  ...overrides,
})
const negatives = []
const negative = (kind, id, description, input, error, why, extra = {}) =>
  negatives.push({ id: `${kind}_${id}`, kind, description, input, error, ...extra, why })

// canonical
negative(
  'canonical',
  'nan',
  'NaN as a member value.',
  { amount: special('NaN') },
  'non_finite_number',
  'JSON has no NaN; JSON.stringify would write null and sign a different value.',
  { path: '$.amount' },
)
negative(
  'canonical',
  'infinity',
  'Infinity inside an array.',
  { values: [1, special('Infinity')] },
  'non_finite_number',
  'JSON has no Infinity.',
  { path: '$.values[1]' },
)
negative(
  'canonical',
  'minus_infinity',
  '-Infinity at the top.',
  special('-Infinity'),
  'non_finite_number',
  'JSON has no -Infinity.',
  { path: '$' },
)
negative(
  'canonical',
  'bigint',
  'A bigint member.',
  { amount: special('bigint', { value: '10' }) },
  'bigint',
  'JSON.stringify throws on a bigint; convert it to a string or a safe integer first.',
  { path: '$.amount' },
)
negative(
  'canonical',
  'bigint_large',
  'A bigint beyond 2^53.',
  { n: [special('bigint', { value: '9007199254740993' })] },
  'bigint',
  'A bigint is refused even when it would fit: the caller must choose a string or a number.',
  { path: '$.n[0]' },
)
negative(
  'canonical',
  'undefined_in_array',
  'undefined inside an array.',
  { posts: [special('undefined')] },
  'undefined_in_array',
  'JSON.stringify writes null for it, changing what is signed.',
  { path: '$.posts[0]' },
)
negative(
  'canonical',
  'undefined_top',
  'undefined as the whole value.',
  special('undefined'),
  'undefined_value',
  'There is nothing to write.',
  { path: '$' },
)
negative(
  'canonical',
  'function_value',
  'A function as a member value.',
  { callback: special('function') },
  'unsupported_value',
  'Functions have no JSON form.',
  { path: '$.callback' },
)
negative(
  'canonical',
  'symbol_value',
  'A symbol as a member value.',
  { tag: special('symbol') },
  'unsupported_value',
  'Symbols have no JSON form.',
  { path: '$.tag' },
)
negative(
  'canonical',
  'class_instance',
  'An instance of a class without toJSON.',
  { point: special('class_instance') },
  'unsupported_value',
  'JSON.stringify would write its own enumerable properties and lose its type.',
  { path: '$.point' },
)
negative(
  'canonical',
  'map_value',
  'A Map.',
  { entries: special('map') },
  'unsupported_value',
  'JSON.stringify writes a Map as {}, losing every entry.',
  { path: '$.entries' },
)
negative(
  'canonical',
  'lone_high_surrogate',
  'A string ending with a lone high surrogate.',
  { text: special('utf16', { units: ['0061', 'd83d'] }) },
  'lone_surrogate',
  'A lone surrogate has no UTF-8 encoding. (Python json.dumps accepts it and writes \\ud83d; the bytes to hash would not exist.)',
  { path: '$.text' },
)
negative(
  'canonical',
  'lone_low_surrogate',
  'A string starting with a lone low surrogate.',
  { text: special('utf16', { units: ['de00', '0062'] }) },
  'lone_surrogate',
  'A lone surrogate has no UTF-8 encoding.',
  { path: '$.text' },
)
negative(
  'canonical',
  'reversed_surrogates',
  'A low surrogate before a high one.',
  [special('utf16', { units: ['de00', 'd83d'] })],
  'lone_surrogate',
  'Reversed, the two units are two lone surrogates.',
  { path: '$[0]' },
)
negative(
  'canonical',
  'lone_surrogate_key',
  'A key holding a lone surrogate.',
  special('entries', { entries: [[special('utf16', { units: ['006b', 'd800'] }), 1]] }),
  'lone_surrogate',
  'Keys are encoded as UTF-8 too.',
)
negative(
  'canonical',
  'cycle_self',
  'An object that holds itself.',
  { self: special('ancestor', { levels: 1 }) },
  'cycle',
  'A cycle has no finite JSON form.',
  { path: '$.self' },
)
negative(
  'canonical',
  'cycle_deep',
  'An array two levels down that holds the top object.',
  { a: { b: [special('ancestor', { levels: 3 })] } },
  'cycle',
  'A cycle has no finite JSON form.',
  { path: '$.a.b[0]' },
)
negative(
  'canonical',
  'max_depth_small',
  'Three nested arrays with a limit of 2.',
  special('nest', { depth: 3, leaf: 1 }),
  'max_depth',
  'Nesting deeper than the limit is refused before it can exhaust memory or the stack.',
  { options: { max_depth: 2 }, path: '$[0][0]' },
)
negative(
  'canonical',
  'max_depth_default',
  '1,000,001 nested arrays with the limit of 1,000,000.',
  special('nest', { depth: 1_000_001, leaf: 0 }),
  'max_depth',
  'Refused, not a stack overflow: the walk must be iterative or bounded.',
  { options: { max_depth: 1_000_000 } },
)

// message (buildMessage refuses the input)
negative(
  'message',
  'wallet_short',
  'A wallet of 39 hex characters.',
  validMessage({ wallet: wallets.lower.slice(0, -1) }),
  'wallet_format',
  'A wallet is 0x followed by exactly 40 hex characters.',
  { field: 'wallet' },
)
negative(
  'message',
  'wallet_no_prefix',
  'A wallet without 0x.',
  validMessage({ wallet: wallets.lower.slice(2) }),
  'wallet_format',
  'The 0x prefix is part of the line.',
  { field: 'wallet' },
)
negative(
  'message',
  'wallet_not_hex',
  'A wallet with a non-hex character.',
  validMessage({ wallet: `0x${'g'.repeat(40)}` }),
  'wallet_format',
  'Only 0-9, a-f, A-F.',
  { field: 'wallet' },
)
negative(
  'message',
  'wallet_ens_name',
  'An ENS name instead of an address.',
  validMessage({ wallet: 'agent.eth' }),
  'wallet_format',
  'The server compares addresses; resolve names first.',
  { field: 'wallet' },
)
negative(
  'message',
  'wallet_whitespace',
  'A wallet with a trailing space.',
  validMessage({ wallet: `${wallets.lower} ` }),
  'wallet_format',
  'Whitespace would be signed and the server would not recover the same wallet line.',
  { field: 'wallet' },
)
negative(
  'message',
  'session_newline',
  'A session holding \\n.',
  validMessage({ session: 'sess\nrequest:forged' }),
  'line_break_in_field',
  'A newline would inject a line into the signed text.',
  { field: 'session' },
)
negative(
  'message',
  'request_carriage_return',
  'A request id holding \\r.',
  validMessage({ request: 'req\r1' }),
  'line_break_in_field',
  'Lines are joined by \\n alone; \\r is refused everywhere.',
  { field: 'request' },
)
negative(
  'message',
  'product_newline',
  'A product holding \\n.',
  validMessage({ scope: { action: 'job_status', product: 'job_1\npayload:' } }),
  'line_break_in_field',
  'A newline would inject a line.',
  { field: 'product' },
)
negative(
  'message',
  'action_newline',
  'An action holding \\n.',
  validMessage({ scope: { action: 'job_list\nproduct:-' } }),
  'line_break_in_field',
  'A newline would inject a line.',
  { field: 'action' },
)
negative(
  'message',
  'path_newline',
  'A path holding \\n.',
  validMessage({ scope: { method: 'POST', path: '/external/tools/a/actions/b/invoke\n' } }),
  'line_break_in_field',
  'A newline would inject a line.',
  { field: 'path' },
)
negative(
  'message',
  'session_empty',
  'An empty session.',
  validMessage({ session: '' }),
  'empty_field',
  'Every field but the payload has a value.',
  { field: 'session' },
)
negative(
  'message',
  'request_empty',
  'An empty request id.',
  validMessage({ request: '' }),
  'empty_field',
  'Every signed request has a fresh, non-empty request id.',
  { field: 'request' },
)
negative(
  'message',
  'action_empty',
  'An empty action.',
  validMessage({ scope: { action: '' } }),
  'empty_field',
  'The action names the endpoint.',
  { field: 'action' },
)
negative(
  'message',
  'product_empty',
  'An empty product: "-" is the value for none.',
  validMessage({ scope: { action: 'job_status', product: '' } }),
  'empty_field',
  'Write "-" when there is no product.',
  { field: 'product' },
)
negative(
  'message',
  'method_not_a_method',
  'A method with a space.',
  validMessage({ scope: { method: 'PO ST', path: '/external/tools/a/actions/b/invoke' } }),
  'method_format',
  'A method is letters only.',
  { field: 'method' },
)
negative(
  'message',
  'path_relative',
  'A path without the leading slash.',
  validMessage({ scope: { method: 'POST', path: 'external/tools/a/actions/b/invoke' } }),
  'path_format',
  'Paths start with /.',
  { field: 'path' },
)
negative(
  'message',
  'payload_hash_short',
  'A payload hash of 63 characters.',
  { ...validMessage(), payload: undefined, payload_hash: '4'.repeat(63) },
  'payload_hash_format',
  'A SHA-256 is 64 hex characters.',
  { field: 'payload_hash' },
)
negative(
  'message',
  'payload_hash_prefixed',
  'A payload hash with 0x.',
  { ...validMessage(), payload: undefined, payload_hash: `0x${'4'.repeat(64)}` },
  'payload_hash_format',
  'The payload line holds bare hex.',
  { field: 'payload_hash' },
)
negative(
  'message',
  'payload_array',
  'An array as the payload.',
  validMessage({ payload: [1, 2] }),
  'payload_not_object',
  'The payload is the JSON object that is sent.',
  { field: 'payload' },
)
negative(
  'message',
  'payload_and_hash',
  'Both a payload and a payload hash.',
  {
    ...validMessage(),
    payload_hash: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  },
  'payload_and_hash',
  'Give one, so that the hash signed is unambiguous.',
  { field: 'payload' },
)

// parse (parseMessage refuses the text; `line` is the 1-based line that is wrong)
const goodLines = [
  'agentpmt-external',
  `wallet:${wallets.checksummed2.toLowerCase()}`,
  'session:sess_1',
  'request:req_1',
  'action:job_list',
  'product:-',
  'payload:4879729d88891f52ee7d8b54ea2f618e20a75b3817e55e0dbeb84c2bca8f3d93',
]
const withLine = (index, line) => goodLines.map((l, i) => (i === index ? line : l)).join('\n')
const without = (index) => goodLines.filter((_, i) => i !== index).join('\n')
const parse = (id, description, text, error, line, why) =>
  negative('parse', id, description, text, error, why, { line })
parse(
  'trailing_newline',
  'The message ends with \\n.',
  `${goodLines.join('\n')}\n`,
  'trailing_newline',
  8,
  'No trailing newline: the signed bytes end with the payload line.',
)
parse(
  'trailing_newlines',
  'The message ends with two \\n.',
  `${goodLines.join('\n')}\n\n`,
  'trailing_newline',
  8,
  'No trailing newline.',
)
parse(
  'crlf',
  'Lines joined by \\r\\n.',
  goodLines.join('\r\n'),
  'crlf',
  1,
  'Lines are joined by \\n alone; the first line already ends with \\r.',
)
parse(
  'cr_in_last_line',
  'A \\r at the end of the payload line.',
  `${goodLines.join('\n')}\r`,
  'crlf',
  7,
  '\\r is never part of a message.',
)
parse(
  'extra_line_at_end',
  'An eighth line after the payload.',
  `${goodLines.join('\n')}\nextra:1`,
  'extra_line',
  8,
  'A message has exactly seven lines.',
)
parse(
  'duplicated_session_line',
  'The session line twice.',
  [...goodLines.slice(0, 3), goodLines[2], ...goodLines.slice(3)].join('\n'),
  'wrong_label',
  4,
  'Line 4 must be the request line; it holds a second session line.',
)
parse(
  'missing_wallet_line',
  'No wallet line.',
  without(1),
  'wrong_label',
  2,
  'Line 2 must be the wallet line.',
)
parse(
  'missing_payload_line',
  'No payload line: the text ends after the product line.',
  without(6),
  'missing_line',
  7,
  'Line 7, the payload line, is missing (an empty payload is written "payload:").',
)
parse(
  'missing_product_line',
  'No product line.',
  without(5),
  'wrong_label',
  6,
  'Line 6 must be the product line.',
)
parse(
  'only_prefix',
  'Only the first line.',
  'agentpmt-external',
  'missing_line',
  2,
  'Line 2 is missing.',
)
parse('empty_text', 'The empty string.', '', 'wrong_prefix', 1, 'Line 1 must be agentpmt-external.')
parse(
  'wrong_prefix',
  'Another first line.',
  withLine(0, 'agentpmt-internal'),
  'wrong_prefix',
  1,
  'Line 1 is exactly agentpmt-external.',
)
parse(
  'prefix_with_bom',
  'A byte order mark before the first line.',
  `\ufeff${goodLines.join('\n')}`,
  'wrong_prefix',
  1,
  'A BOM is a character of line 1 and changes the signed bytes.',
)
parse(
  'prefix_upper_case',
  'The first line in upper case.',
  withLine(0, 'AGENTPMT-EXTERNAL'),
  'wrong_prefix',
  1,
  'The prefix is case-sensitive.',
)
parse(
  'uppercase_wallet',
  'A wallet line in checksummed (mixed) case.',
  withLine(1, `wallet:${wallets.checksummed2}`),
  'uppercase_wallet_in_message',
  2,
  'The message holds the lower-case wallet; the server signs and compares that form.',
)
parse(
  'wallet_all_upper',
  'A wallet line in upper-case hex.',
  withLine(1, `wallet:${wallets.upper}`),
  'uppercase_wallet_in_message',
  2,
  'Lower case only.',
)
parse(
  'wallet_short',
  'A wallet of 38 hex characters.',
  withLine(1, `wallet:${wallets.lower.slice(0, -2)}`),
  'wallet_format',
  2,
  '0x + 40 hex characters.',
)
parse(
  'wallet_space_after_colon',
  'A space after "wallet:".',
  withLine(1, `wallet: ${wallets.lower}`),
  'wallet_format',
  2,
  'Nothing between the colon and the value.',
)
parse(
  'label_capitalised',
  '"Wallet:" instead of "wallet:".',
  withLine(1, `Wallet:${wallets.lower}`),
  'wrong_label',
  2,
  'Labels are lower case.',
)
parse(
  'session_empty',
  'An empty session line.',
  withLine(2, 'session:'),
  'empty_field',
  3,
  'The session is required.',
)
parse(
  'request_empty',
  'An empty request line.',
  withLine(3, 'request:'),
  'empty_field',
  4,
  'The request id is required.',
)
parse(
  'unknown_scope',
  'A scope line that is neither action: nor method:.',
  withLine(4, 'scope:job_list'),
  'wrong_label',
  5,
  'Line 5 starts with action: or method:.',
)
parse(
  'action_empty',
  'An empty action.',
  withLine(4, 'action:'),
  'empty_field',
  5,
  'The action is required.',
)
parse(
  'product_empty',
  'An empty product: "-" is the value for none.',
  withLine(5, 'product:'),
  'empty_field',
  6,
  'Write product:- when there is none.',
)
parse(
  'action_with_path',
  'action: followed by path: instead of product:.',
  withLine(5, 'path:/external/jobs/list'),
  'wrong_label',
  6,
  'action: pairs with product:.',
)
parse(
  'method_with_product',
  'method: followed by product: instead of path:.',
  [...goodLines.slice(0, 4), 'method:POST', 'product:-', goodLines[6]].join('\n'),
  'wrong_label',
  6,
  'method: pairs with path:.',
)
parse(
  'method_lower_case',
  'A lower-case method.',
  [
    ...goodLines.slice(0, 4),
    'method:post',
    `path:${invokePath('web-search', 'search')}`,
    goodLines[6],
  ].join('\n'),
  'method_format',
  5,
  'The method is upper case.',
)
parse(
  'method_not_a_method',
  'A method with a hyphen.',
  [
    ...goodLines.slice(0, 4),
    'method:PO-ST',
    `path:${invokePath('web-search', 'search')}`,
    goodLines[6],
  ].join('\n'),
  'method_format',
  5,
  'A method is letters only (buildMessage refuses it too).',
)
parse(
  'path_relative',
  'A path without the leading slash.',
  [
    ...goodLines.slice(0, 4),
    'method:POST',
    'path:external/tools/web-search/actions/search/invoke',
    goodLines[6],
  ].join('\n'),
  'path_format',
  6,
  'Paths start with / (buildMessage refuses it too).',
)
parse(
  'payload_upper_case',
  'A payload hash in upper-case hex.',
  withLine(6, goodLines[6].toUpperCase().replace('PAYLOAD', 'payload')),
  'payload_hash_format',
  7,
  'The hash is lower-case hex.',
)
parse(
  'payload_short',
  'A payload hash of 63 characters.',
  withLine(6, goodLines[6].slice(0, -1)),
  'payload_hash_format',
  7,
  '64 hex characters or nothing.',
)
parse(
  'payload_prefixed',
  'A payload hash with 0x.',
  withLine(6, `payload:0x${goodLines[6].slice(8)}`),
  'payload_hash_format',
  7,
  'Bare hex.',
)
parse(
  'payload_space',
  'A space after the payload hash.',
  withLine(6, `${goodLines[6]} `),
  'payload_hash_format',
  7,
  'Nothing after the hash.',
)
parse(
  'payload_label_missing',
  'The hash without "payload:".',
  withLine(6, goodLines[6].slice(8)),
  'wrong_label',
  7,
  'Line 7 starts with payload:.',
)

// ---------------------------------------------------------------------------------------------
// Must-accept cases: valid inputs that look suspicious. Refusing one is as wrong as accepting a
// negative case, so an implementation that refuses everything fails them. Written by hand, one
// trap per case; vectors/check.py confirms each is valid with Python's json module (canonical) and
// with the protocol's rules (message, parse), independently of this generator and of the packages.

const accepts = []
const accept = (kind, id, description, input, why, extra = {}) =>
  accepts.push({ id: `${kind}_${id}`, kind, description, input, ...extra, why })
/** JSON text read as JSON.parse reads it: a "__proto__" key stays an own member. */
const fromJson = (text) => JSON.parse(text)

// canonical
accept(
  'canonical',
  'proto_key',
  'A "__proto__" member holding an object.',
  fromJson('{"__proto__":{"polluted":true},"a":1}'),
  'JSON has no prototypes: "__proto__" is an ordinary key and is written like any other.',
)
accept(
  'canonical',
  'object_method_keys',
  'Keys named after Object.prototype members.',
  fromJson('{"constructor":{"prototype":{}},"hasOwnProperty":1,"toString":"x","valueOf":null}'),
  'Ordinary keys; a lookup that walks the prototype chain must not mistake them for methods.',
)
accept(
  'canonical',
  'empty_keys',
  'The empty key, nested.',
  { '': { '': [] } },
  'The empty string is a valid key.',
)
accept(
  'canonical',
  'line_separators',
  'U+2028 and U+2029 in a key and a value.',
  { 'key\u2028': 'a\u2028b\u2029c' },
  'Valid in JSON text since ES2019 and valid UTF-8; they are not line breaks of JSON.',
)
accept(
  'canonical',
  'surrogate_pair',
  'A valid surrogate pair (U+1F600) at the end of a string, built from UTF-16 code units.',
  { text: special('utf16', { units: ['0061', 'd83d', 'de00'] }) },
  'A high surrogate followed by a low one is one astral character, not a lone surrogate.',
)
accept(
  'canonical',
  'surrogate_pair_key',
  'Two adjacent surrogate pairs in a key.',
  special('entries', {
    entries: [[special('utf16', { units: ['d83d', 'de00', 'd83c', 'df89'] }), 1]],
  }),
  'Keys holding astral characters are encoded as UTF-8 like any other.',
)
accept(
  'canonical',
  'escape_lookalike_text',
  'The six characters \\ud800 as text, not an escape.',
  { text: '\\ud800', other: '\\u0000' },
  'A backslash followed by "u" is ordinary text; only a real lone surrogate is refused.',
)
accept(
  'canonical',
  'control_characters',
  'NUL, U+001F, tab, newline and carriage return inside a string.',
  { text: '\u0000\u001f\t\n\r' },
  'JSON escapes control characters in strings; they are valid values.',
)
accept(
  'canonical',
  'noncharacters',
  'U+FFFE, U+FFFF, U+FDD0 and a byte order mark in strings.',
  { bom: '\ufeff', nonchars: '\ufffe\uffff\ufdd0' },
  'Noncharacters and U+FEFF are valid Unicode scalar values with a UTF-8 encoding.',
)
accept(
  'canonical',
  'number_lookalike_strings',
  'The strings "NaN", "Infinity" and "-0".',
  { amount: 'NaN', limit: 'Infinity', zero: '-0' },
  'Strings, not numbers: only the numbers are refused.',
)
accept(
  'canonical',
  'max_safe_integers',
  'The largest safe integers, positive and negative.',
  [9007199254740991, -9007199254740991],
  'Integers within +/-(2^53-1) are exact in every language.',
)
accept(
  'canonical',
  'extreme_finite_numbers',
  'The largest finite double and the smallest positive one.',
  [Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE],
  'Finite numbers, however large or small, have a JSON form.',
)
accept(
  'canonical',
  'negative_zero',
  'Negative zero as a member value.',
  { amount: special('negative_zero') },
  'Documented as a divergence, not a refusal: JavaScript writes 0, Python -0.0.',
)
accept(
  'canonical',
  'top_null',
  'null as the whole value.',
  null,
  'A bare null is a JSON value (only undefined at the top has no form).',
)
accept(
  'canonical',
  'nesting_at_limit',
  'Two nested arrays with a limit of 2.',
  special('nest', { depth: 2, leaf: 1 }),
  'The limit is the deepest nesting accepted: exactly at it is fine.',
  { options: { max_depth: 2 } },
)
accept(
  'canonical',
  'nesting_at_limit_mixed',
  'Objects and arrays nested four deep with a limit of 4.',
  { a: [{ b: [1] }] },
  'Objects and arrays count alike; scalars do not count.',
  { options: { max_depth: 4 } },
)
accept(
  'canonical',
  'shared_reference',
  'The same object twice, in two places: not a cycle.',
  {
    a: special('shared', { name: 'point', value: { x: 1 } }),
    b: [special('shared', { name: 'point' })],
  },
  'A value reached twice without containing itself has a finite JSON form.',
)
accept(
  'canonical',
  'undefined_member',
  'An undefined object member.',
  { a: 1, b: special('undefined') },
  'Left out, as JSON.stringify leaves it out on the wire (only undefined in arrays or at the top is refused).',
)
accept(
  'canonical',
  'date_value',
  'A Date, which has toJSON.',
  { at: special('date', { iso: '2026-01-01T00:00:00.000Z' }) },
  'toJSON is honoured, as JSON.stringify does: it is written as its ISO string.',
)

// message
accept(
  'message',
  'colons_in_fields',
  'Session, request and product holding colons.',
  validMessage({
    session: 'sess:1:2',
    request: 'req:a',
    scope: { action: 'job_status', product: 'job:1/2' },
    payload: {},
  }),
  'A line splits at its first colon only.',
)
accept(
  'message',
  'field_looks_like_label',
  'A session whose value reads like another line.',
  validMessage({ session: 'request:forged' }),
  'Without a line break it stays on the session line.',
)
accept(
  'message',
  'unicode_fields',
  'Non-ASCII session and request.',
  validMessage({ session: 'séance-😀', request: 'запрос-1' }),
  'Fields are UTF-8; any character but \\r and \\n is allowed.',
)
accept(
  'message',
  'unicode_line_breaks',
  'U+2028, U+2029, U+0085, vertical tab, form feed and U+001C in fields.',
  validMessage({ session: 'a\u2028b\u2029c', request: 'r\u0085\u000b\u000c\u001cx' }),
  'Only \\r and \\n break a message line (str.splitlines() and Unicode line breaking would split more).',
)
accept(
  'message',
  'whitespace_fields',
  'Leading and trailing spaces and a tab in fields.',
  validMessage({ session: ' sess 1 ', request: 'req\t1  ' }),
  'Fields are written as given, spaces included.',
)
accept(
  'message',
  'dash_fields',
  'The product "-" written out, a request id "-" and a session "0".',
  validMessage({ session: '0', request: '-', scope: { action: 'job_list', product: '-' } }),
  'Non-empty values; "-" as the product means none, as when it is left out.',
)
accept(
  'message',
  'long_fields',
  'A session of 1,024 characters.',
  validMessage({ session: 's'.repeat(1024) }),
  'The message sets no length limit on a field.',
)
accept(
  'message',
  'upper_case_hex',
  'A wallet and a payload hash in upper-case hex.',
  validMessage({ wallet: wallets.upper, payload: undefined, payload_hash: 'AB'.repeat(32) }),
  'Both are written lower-case in the message.',
)
accept(
  'message',
  'lower_case_method',
  'A lower-case method.',
  validMessage({
    scope: { method: 'patch', path: '/external/tools/web-search/actions/search/invoke' },
  }),
  'The method is written upper-case.',
)
accept(
  'message',
  'api_prefix_path',
  'A tool path with the /api prefix and a trailing slash.',
  validMessage({
    scope: { method: 'POST', path: '/api/external/tools/web-search/actions/search/invoke/' },
  }),
  'Accepted path candidates: the path is signed as given.',
)
accept(
  'message',
  'unusual_path',
  'A path with a colon, a percent escape and a query.',
  validMessage({ scope: { method: 'GET', path: '/a:b/%20c?x=1:2' } }),
  'A path starts with / and holds no line break; nothing else is required.',
)
accept(
  'message',
  'null_payload',
  'No payload object at all (the balance check).',
  validMessage({ scope: { action: 'balance' }, payload: null }),
  'The payload line is then empty.',
)
accept(
  'message',
  'suspicious_payload',
  'A payload with a "__proto__" key and a U+2028.',
  validMessage({ payload: fromJson('{"__proto__":{"a":1},"text":"a\\u2028b"}') }),
  'The payload is any JSON object.',
)

// parse
const balanceLines = [...goodLines.slice(0, 4), 'action:balance', 'product:-', 'payload:']
const toolLines = (path) => [...goodLines.slice(0, 4), 'method:POST', `path:${path}`, goodLines[6]]
accept(
  'parse',
  'colons_in_values',
  'Session and request values holding colons.',
  withLine(2, 'session:a:b:c').replace('request:req_1', 'request:req:1'),
  'A line splits at its first colon only.',
)
accept(
  'parse',
  'value_looks_like_label',
  'A session value that reads like the request line.',
  withLine(2, 'session:request:forged'),
  'Without a line break it stays the session.',
)
accept(
  'parse',
  'unicode_line_breaks',
  'U+2028, U+0085, vertical tab, form feed and U+001C inside values.',
  withLine(2, 'session:a\u2028b\u0085c').replace('request:req_1', 'request:r\u000b\u000c\u001cx'),
  'Lines are split on \\n alone (not with str.splitlines() or Unicode line breaking).',
)
accept(
  'parse',
  'trailing_space_in_value',
  'A session ending with a space and a request holding a tab.',
  withLine(2, 'session:sess_1 ').replace('request:req_1', 'request:req\t1'),
  'Values are taken as written.',
)
accept(
  'parse',
  'api_prefix_path',
  'A tool path with the /api prefix.',
  toolLines('/api/external/tools/web-search/actions/search/invoke').join('\n'),
  'Accepted path candidates are signed as given.',
)
accept(
  'parse',
  'trailing_slash_path',
  'A tool path with a trailing slash.',
  toolLines('/external/tools/web-search/actions/search/invoke/').join('\n'),
  'Accepted path candidates are signed as given.',
)
accept(
  'parse',
  'empty_payload_line',
  'The balance check: an empty payload line.',
  balanceLines.join('\n'),
  'An endpoint without a payload object leaves the line empty.',
)
accept(
  'parse',
  'method_delete',
  'Another upper-case method and a path with a colon.',
  [...goodLines.slice(0, 4), 'method:DELETE', 'path:/a:b', goodLines[6]].join('\n'),
  'Any upper-case method name; any path starting with /.',
)

// ---------------------------------------------------------------------------------------------
// Compute and write

const canonicalPrepared = canonicalDefinitions.map((definition) => {
  const value = JSON.parse(definition.input)
  const raw = canonicalRaw(value)
  if (!hasIntegerLikeKey(value) && JSON.stringify(sortedValue(value)) !== raw)
    throw new Error(`${definition.id}: the two JavaScript forms disagree`)
  return { ...definition, raw, jsAscii: escapeNonAscii(raw) }
})
const messagePrepared = messageDefinitions.map((definition) => {
  const payload =
    typeof definition.input.payload === 'string' ? JSON.parse(definition.input.payload) : null
  const canonicalPayload = payload === null ? null : canonicalRaw(payload)
  return { ...definition, payload, canonicalPayload }
})

const jobs = []
const ask = (job) => jobs.push(job) - 1
const canonicalJobs = canonicalPrepared.map((c) => ({
  dumps: ask({ op: 'dumps', text: c.input }),
  raw: ask({ op: 'sha256', text: c.raw }),
  ascii: ask({ op: 'sha256', text: c.jsAscii }),
}))
const messageJobs = messagePrepared.map((m) =>
  m.canonicalPayload === null
    ? undefined
    : {
        dumps: ask({ op: 'dumps', text: m.input.payload }),
        raw: ask({ op: 'sha256', text: m.canonicalPayload }),
        ascii: ask({ op: 'sha256', text: escapeNonAscii(m.canonicalPayload) }),
      },
)
const answers = runPython(jobs)

const canonicalCases = canonicalPrepared.map((c, index) => {
  const job = canonicalJobs[index]
  const python = answers[job.dumps]
  const differs = python.ascii !== c.jsAscii
  if (differs !== (c.divergence !== undefined))
    throw new Error(
      `${c.id}: Python writes ${python.ascii.slice(0, 80)}, JavaScript ${c.jsAscii.slice(0, 80)}; ` +
        (differs ? 'mark the divergence' : 'no divergence after all'),
    )
  if (!differs && python.unicode !== c.raw)
    throw new Error(`${c.id}: Python's unicode form differs`)
  return {
    id: c.id,
    description: c.description,
    input: c.input,
    raw: c.raw,
    ascii: differs ? c.jsAscii : python.ascii,
    raw_sha256: answers[job.raw],
    ascii_sha256: answers[job.ascii],
    ...(differs && {
      divergence: {
        kind: c.divergence.kind,
        python_ascii: python.ascii,
        note: `${c.divergence.note} Python's json.dumps(json.loads(input), sort_keys=True, separators=(",", ":"), ensure_ascii=True) writes ${python.ascii.length > 200 ? `${python.ascii.slice(0, 200)}...` : python.ascii}. The expected raw and ascii values are JavaScript's (JCS): raw from JSON.stringify, ascii from raw with every code unit outside U+0020..U+007E escaped by the generator.`,
      },
    }),
  }
})

const messageCases = messagePrepared.map((m, index) => {
  const job = messageJobs[index]
  const { input } = m
  let payloadHash = null
  if (input.payload_hash !== undefined) payloadHash = input.payload_hash.toLowerCase()
  else if (job) {
    if (answers[job.dumps].unicode !== m.canonicalPayload)
      throw new Error(`${m.id}: keep message payloads within integers and strings`)
    payloadHash = answers[job.raw]
  }
  const scopeLines =
    'action' in input.scope
      ? [`action:${input.scope.action}`, `product:${input.scope.product ?? '-'}`]
      : [`method:${input.scope.method.toUpperCase()}`, `path:${input.scope.path}`]
  const text = [
    'agentpmt-external',
    `wallet:${input.wallet.toLowerCase()}`,
    `session:${input.session}`,
    `request:${input.request}`,
    ...scopeLines,
    `payload:${payloadHash ?? ''}`,
  ].join('\n')
  return {
    id: m.id,
    description: m.description,
    input: {
      wallet: input.wallet,
      session: input.session,
      request: input.request,
      scope: input.scope,
      ...(input.payload_hash === undefined
        ? { payload: m.payload }
        : { payload_hash: input.payload_hash }),
    },
    ...(m.bodyText !== undefined && { body: JSON.parse(m.bodyText) }),
    payload_canonical: m.canonicalPayload,
    payload_sha256: payloadHash,
    ...(job && { payload_ascii_sha256: answers[job.ascii] }),
    message: text,
  }
})

function checkUnique(cases, file) {
  const ids = new Set()
  for (const { id } of cases) {
    if (ids.has(id)) throw new Error(`${file}: duplicate id ${id}`)
    ids.add(id)
  }
}

function write(relativePath, schema, description, cases) {
  checkUnique(cases, relativePath)
  const file = join(root, relativePath)
  mkdirSync(dirname(file), { recursive: true })
  const document = {
    $schema: `../schema/${schema}.schema.json`,
    description,
    generator: 'vectors/generate.mjs',
    count: cases.length,
    cases,
  }
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`)
  console.log(`${relativePath}: ${cases.length} cases`)
}

write(
  'canonical-json/cases.json',
  'canonical-json',
  'Canonical JSON: raw and ascii forms and their SHA-256 for each input (JSON text). See vectors/README.md.',
  canonicalCases,
)
write(
  'message/cases.json',
  'message',
  'Signed messages of the AgentPMT external API, built from their fields. See vectors/README.md.',
  messageCases,
)
checkUnique([...negatives, ...accepts], 'negative/cases.json and negative/accept.json')
write(
  'negative/cases.json',
  'negative',
  'Inputs that must be refused, with a stable error kind. Values JSON cannot express use {"$special": ...}. See vectors/README.md.',
  negatives,
)
write(
  'negative/accept.json',
  'accept',
  'Valid inputs that look suspicious: each must be accepted (refusing it is a failure). Values JSON cannot express use {"$special": ...}. See vectors/README.md.',
  accepts,
)
