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

const go = /Go encoding\/json \(go-html-escaping\): SetEscapeHTML\(false\)/
const lineTerminators = /line-terminators-escaped: Hash the ASCII form/
const phpSlashes = /PHP json_encode \(php-escaped-slashes\): JSON_UNESCAPED_SLASHES/
const phpUnicode = /PHP json_encode \(php-escaped-unicode\): JSON_UNESCAPED_UNICODE/
const gson = /Java Gson \(gson-html-escaping\): GsonBuilder\.disableHtmlEscaping\(\)/
const systemTextJson =
  /C# System\.Text\.Json \(system-text-json-escaping\): JavaScriptEncoder\.UnsafeRelaxedJsonEscaping/
const relaxed =
  /C# System\.Text\.Json with UnsafeRelaxedJsonEscaping \(system-text-json-relaxed-escaping\): none: write such strings yourself/
const rails =
  /Ruby Rails' to_json \(ActiveSupport\) \(rails-html-escaping\): JSON\.generate instead/
const swift = /Swift JSONEncoder \(swift-escaped-slashes\): \.withoutEscapingSlashes/
const newline = /Go encoding\/json Encoder\.Encode \(go-encoder-newline\): none: trim the newline/

/**
 * For each encoder (from its documented escapes, not from a run): the trap cases it fails, each
 * with what its reason says (language, encoder and the setting that turns the default off; for
 * U+2028, which Go, Gson and Rails escape whatever the setting, the ASCII form), and what names it
 * in some failing case.
 */
const expectations: Record<string, { fails: Partial<Record<Trap, RegExp>>; names: RegExp }> = {
  'Go encoding/json json.Marshal (Go 1.22+)': {
    fails: { trap_ampersand: go, char_u2028: lineTerminators },
    names: go,
  },
  'Go encoding/json json.Encoder.Encode (a trailing newline)': {
    fails: Object.fromEntries(trapCases.map((id) => [id, newline])),
    names: newline,
  },
  'Go encoding/json before Go 1.22 (\\b and \\f as \\u0008, \\u000c)': {
    fails: { trap_ampersand: go, char_u2028: lineTerminators },
    names: /Go encoding\/json before Go 1\.22 \(go-control-escapes\)/,
  },
  'Go encoding/json with SetEscapeHTML(false)': {
    fails: { char_u2028: lineTerminators },
    names: lineTerminators,
  },
  'PHP json_encode without flags': {
    fails: { trap_solidus: phpSlashes, char_u2028: phpUnicode, char_u00e9: phpUnicode },
    names: phpSlashes,
  },
  'PHP json_encode JSON_UNESCAPED_UNICODE': {
    fails: { trap_solidus: phpSlashes, char_u2028: lineTerminators },
    names: phpSlashes,
  },
  'PHP json_encode JSON_UNESCAPED_SLASHES': {
    fails: { char_u2028: phpUnicode, char_u00e9: phpUnicode },
    names: phpUnicode,
  },
  'Java Gson, the default': {
    fails: { trap_ampersand: gson, trap_plus_equals: gson, char_u2028: lineTerminators },
    names: gson,
  },
  'C# System.Text.Json, the default': {
    fails: {
      trap_ampersand: systemTextJson,
      trap_plus_equals: systemTextJson,
      char_u2028: systemTextJson,
      char_u00e9: systemTextJson,
    },
    names: systemTextJson,
  },
  'C# System.Text.Json with UnsafeRelaxedJsonEscaping': {
    fails: { char_u2028: relaxed },
    names: relaxed,
  },
  'Ruby on Rails to_json': {
    fails: { trap_ampersand: rails, char_u2028: lineTerminators },
    names: rails,
  },
  'Swift JSONEncoder with .sortedKeys': { fails: { trap_solidus: swift }, names: swift },
  'Java Jackson with java.util.HashMap at every level': {
    fails: {},
    names:
      /Java a java\.util\.HashMap written by Gson or Jackson \(java-hash-map-key-order\): a TreeMap/,
  },
  'Rust serde_json with a HashMap at the top': {
    fails: {},
    names: /Rust serde_json with a HashMap \(hash-map-key-order\): a BTreeMap/,
  },
}

/** The encoders whose default is in the vectors' reach (PHP's empty array: no case holds one). */
const encoders = encoderDefaults.filter((encoder) => !encoder.name.includes(' of arrays'))

describe('a canonical form written with an encoder default names that encoder and its fix', () => {
  test('every encoder default the diagnosis knows has an expectation here', () => {
    expect(encoders.map((encoder) => encoder.name).sort()).toEqual(Object.keys(expectations).sort())
  })

  test.each(encoders.map((encoder) => [encoder.name, encoder] as const))(
    '%s',
    async (name, encoder) => {
      const { fails, names } = expectations[name]!
      const report = await runVectors({ adapter: adapterWith(encoder), only: ['canonicalize'] })
      const failing = report.cases.filter((item) => item.status === 'fail')
      const reasonOf = (id: string) =>
        failing.find((item) => item.id === `canonicalize/${id}`)?.reason ?? ''
      // One case per trap it falls into, and none of the others; each names the encoder.
      expect(trapCases.filter((id) => reasonOf(id) !== '')).toEqual(Object.keys(fails))
      for (const [id, says] of Object.entries(fails)) expect(reasonOf(id), id).toMatch(says)
      expect(failing.some((item) => names.test(item.reason ?? ''))).toBe(true)
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
