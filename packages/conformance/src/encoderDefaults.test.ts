import { describe, expect, test } from 'vitest'
// The encoders' rules as their documentation gives them, shared with the diagnosis' property test.
import {
  type EncoderDefault,
  encoderDefaults,
  writeWith,
} from '../../error-recovery/src/test/encoderDefaults.js'
import { referenceAdapter } from './referenceAdapter.js'
import { type InProcessAdapter, runVectors } from './runVectors.js'

type Case = { cmd: string; id: string; capability: string; input: { json: string } }

/** The reference adapter, except that it writes both canonical forms with an encoder's default. */
function adapterWith(encoder: EncoderDefault): InProcessAdapter {
  return {
    async handle(message) {
      const item = message as Case
      if (item.cmd !== 'case' || item.capability !== 'canonicalize')
        return referenceAdapter.handle(message)
      const value = JSON.parse(item.input.json) as unknown
      return {
        id: item.id,
        output: { raw: writeWith(encoder, value), ascii: writeWith(encoder, value, true) },
      }
    },
  }
}

/** The cases that hold one trap each (vectors/README.md, "Notes for your language"). */
const trapCases = [
  'trap_ampersand',
  'trap_solidus',
  'trap_plus_equals',
  'char_u2028',
  'char_u00e9',
] as const
type Trap = (typeof trapCases)[number]

/**
 * For each encoder: the trap cases it fails (from its documented escapes, not from a run), those
 * whose reason names it, and what that reason says: its language, encoder and the setting that
 * turns the default off. Where its `raw` output is the ASCII form (U+2028 alone escaped, or PHP's
 * escaped non-ASCII), the output is a canonical form, only not the one asked: the reason names
 * no encoder (`raw differs`).
 */
const expectations: Record<
  string,
  { fails: readonly Trap[]; named: readonly Trap[]; says: RegExp }
> = {
  'Go encoding/json json.Marshal (Go 1.22+)': {
    fails: ['trap_ampersand', 'char_u2028'],
    named: ['trap_ampersand'],
    says: /Go encoding\/json \(go-html-escaping\): SetEscapeHTML\(false\)/,
  },
  'Go encoding/json json.Encoder.Encode (a trailing newline)': {
    fails: trapCases,
    named: trapCases,
    says: /Go encoding\/json Encoder.Encode \(go-encoder-newline\): none: trim the newline/,
  },
  'Go encoding/json before Go 1.22 (\\b and \\f as \\u0008, \\u000c)': {
    fails: ['trap_ampersand', 'char_u2028'],
    named: ['trap_ampersand'],
    says: /Go encoding\/json \(go-html-escaping\): SetEscapeHTML\(false\)/,
  },
  'Go encoding/json with SetEscapeHTML(false)': {
    fails: ['char_u2028'],
    named: [],
    says: /line-terminators-escaped: Hash the ASCII form/,
  },
  'PHP json_encode without flags': {
    fails: ['trap_solidus', 'char_u2028', 'char_u00e9'],
    named: ['trap_solidus'],
    says: /PHP json_encode \(php-escaped-slashes\): JSON_UNESCAPED_SLASHES/,
  },
  'PHP json_encode JSON_UNESCAPED_UNICODE': {
    fails: ['trap_solidus', 'char_u2028'],
    named: ['trap_solidus'],
    says: /PHP json_encode \(php-escaped-slashes\): JSON_UNESCAPED_SLASHES/,
  },
  'PHP json_encode JSON_UNESCAPED_SLASHES': {
    fails: ['char_u2028', 'char_u00e9'],
    named: [],
    says: /PHP json_encode \(php-escaped-unicode\): JSON_UNESCAPED_UNICODE/,
  },
  'Java Gson, the default': {
    fails: ['trap_ampersand', 'trap_plus_equals', 'char_u2028'],
    named: ['trap_ampersand', 'trap_plus_equals'],
    says: /Java Gson \(gson-html-escaping\): GsonBuilder\.disableHtmlEscaping\(\)/,
  },
  'C# System.Text.Json, the default': {
    fails: ['trap_ampersand', 'trap_plus_equals', 'char_u2028', 'char_u00e9'],
    named: ['trap_ampersand', 'trap_plus_equals', 'char_u00e9'],
    says: /C# System\.Text\.Json \(system-text-json-escaping\): JavaScriptEncoder\.UnsafeRelaxedJsonEscaping/,
  },
  'C# System.Text.Json with UnsafeRelaxedJsonEscaping': {
    fails: ['char_u2028'],
    named: [],
    says: /C# System\.Text\.Json with UnsafeRelaxedJsonEscaping \(system-text-json-relaxed-escaping\): none: write such strings yourself/,
  },
  'Ruby on Rails to_json': {
    fails: ['trap_ampersand', 'char_u2028'],
    named: ['trap_ampersand'],
    says: /Ruby Rails' to_json \(ActiveSupport\) \(rails-html-escaping\): JSON\.generate instead of to_json/,
  },
  'Swift JSONEncoder with .sortedKeys': {
    fails: ['trap_solidus'],
    named: ['trap_solidus'],
    says: /Swift JSONEncoder \(swift-escaped-slashes\): \.withoutEscapingSlashes/,
  },
  'Java Jackson with java.util.HashMap at every level': {
    fails: [],
    named: [],
    says: /Java a java\.util\.HashMap written by Gson or Jackson \(java-hash-map-key-order\): a TreeMap/,
  },
  'Rust serde_json with a HashMap at the top': {
    fails: [],
    named: [],
    says: /Rust serde_json with a HashMap \(hash-map-key-order\): a BTreeMap/,
  },
}

/**
 * Defaults whose output is the ASCII form of every vector they fail (Go's escapes only U+2028 and
 * U+2029, PHP's with JSON_UNESCAPED_SLASHES every non-ASCII character): no case names them.
 */
const quiet = [
  'Go encoding/json with SetEscapeHTML(false)',
  'PHP json_encode JSON_UNESCAPED_SLASHES',
]

/** The encoders whose default is in the vectors' reach (PHP's empty array: no case holds one). */
const encoders = encoderDefaults.filter((encoder) => !encoder.name.includes(' of arrays'))

describe('a canonical form written with an encoder default names that encoder and its fix', () => {
  test('every encoder default the diagnosis knows has an expectation here', () => {
    expect(encoders.map((encoder) => encoder.name).sort()).toEqual(Object.keys(expectations).sort())
  })

  test.each(encoders.map((encoder) => [encoder.name, encoder] as const))(
    '%s',
    async (name, encoder) => {
      const { fails, named, says } = expectations[name]!
      const report = await runVectors({ adapter: adapterWith(encoder), only: ['canonicalize'] })
      const failing = report.cases.filter((item) => item.status === 'fail')
      const reasonOf = (id: string) =>
        failing.find((item) => item.id === `canonicalize/${id}`)?.reason ?? ''
      // One case per trap it falls into, and none of the others.
      expect(trapCases.filter((id) => reasonOf(id) !== '')).toEqual(fails)
      for (const id of named) expect(reasonOf(id), id).toMatch(says)
      for (const id of fails.filter((trap) => !named.includes(trap)))
        expect(reasonOf(id), id).toBe('raw differs')
      // Beyond the traps, its failing cases name it (a deep or wide value may be past the
      // diagnosis' reach), and none is blamed on an encoder's default when nothing looks like one.
      if (!quiet.includes(name))
        expect(failing.some((item) => says.test(item.reason ?? ''))).toBe(true)
    },
  )

  test('an honest adapter passes, and a failure no encoder explains names none', async () => {
    expect((await runVectors({ adapter: referenceAdapter, only: ['canonicalize'] })).verdict).toBe(
      'pass',
    )
    const spaced = await runVectors({
      adapter: {
        async handle(message) {
          const answer = await referenceAdapter.handle(message)
          const item = message as Case
          if (item.cmd !== 'case' || item.capability !== 'canonicalize') return answer
          const { raw, ascii } = (answer as { output: { raw: string; ascii: string } }).output
          return { id: item.id, output: { raw: `${raw} `, ascii: `${ascii} ` } }
        },
      },
      only: ['canonicalize'],
    })
    const failing = spaced.cases.filter((item) => item.status === 'fail')
    expect(failing.length).toBeGreaterThan(0)
    for (const item of failing) expect(item.reason).not.toMatch(/looks like/)
  })
})
