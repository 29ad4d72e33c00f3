import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { capabilities, loadCases } from './cases.js'
import { referenceAdapter } from './referenceAdapter.js'

// The shapes the Conformance guide documents are those of vectors/schema/conformance.schema.json:
// every input the harness sends, and the reference adapter's outputs, fit their definitions.

type Schema = Record<string, unknown>
const suite = loadCases()
const schemaFile = (name: string): Schema =>
  JSON.parse(readFileSync(join(suite.vectorsDir, 'schema', name), 'utf8')) as Schema
const protocol = schemaFile('conformance.schema.json')

/** A definition with its `$ref`s followed (into other schema files too), and the file it is in. */
function resolved(schema: Schema, file: Schema): { schema: Schema; file: Schema } {
  const ref = schema.$ref as string | undefined
  if (ref === undefined) return { schema, file }
  const [name, pointer = ''] = ref.split('#')
  const document = name === '' ? file : schemaFile(name as string)
  const target = pointer
    .split('/')
    .filter(Boolean)
    .reduce<Schema>((node, key) => node[key] as Schema, document)
  return resolved(target, document)
}

/** The types a definition allows (`type`, or those of its `oneOf`), none when it says nothing. */
function typesOf(definition: Schema, file: Schema): unknown[] {
  const { schema, file: home } = resolved(definition, file)
  const options = (schema.oneOf as Schema[] | undefined) ?? [schema]
  return options
    .map((option) => resolved(option, home).schema.type)
    .filter((type) => type !== undefined)
    .flat()
}

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value

/** What does not fit: missing required members, unknown members, members of the wrong type. */
function misfits(value: unknown, definition: Schema): string[] {
  const { schema, file } = resolved(definition, protocol)
  if (typeOf(value) !== 'object') return [`not an object: ${typeOf(value)}`]
  const record = value as Record<string, unknown>
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const problems = ((schema.required ?? []) as string[])
    .filter((key) => !(key in record))
    .map((key) => `missing ${key}`)
  for (const [key, member] of Object.entries(record)) {
    const property = properties[key]
    if (property === undefined) {
      if (schema.additionalProperties === false) problems.push(`unknown ${key}`)
      continue
    }
    const options = typesOf(property, file)
    const type = typeOf(member) === 'integer' ? ['integer', 'number'] : [typeOf(member)]
    if (options.length > 0 && !type.some((name) => options.includes(name)))
      problems.push(`${key} is ${typeOf(member)}, not ${options.join(' or ')}`)
  }
  return problems
}

describe('vectors/schema/conformance.schema.json', () => {
  test.for(capabilities)(
    'every %s input the harness sends fits <capability>Input',
    (capability) => {
      const definition = (protocol.$defs as Record<string, Schema>)[`${capability}Input`]
      expect(definition).toBeDefined()
      const wrong = suite.cases
        .filter((item) => item.capability === capability)
        .flatMap((item) =>
          misfits(item.input, definition as Schema).map((why) => `${item.id}: ${why}`),
        )
      expect(wrong).toEqual([])
    },
  )

  test.for(capabilities)(
    "the reference adapter's %s outputs fit <capability>Output, nulls included",
    async (capability) => {
      const definition = (protocol.$defs as Record<string, Schema>)[`${capability}Output`]
      expect(definition).toBeDefined()
      // Every request (the unsigned ones answer null); a few cases of the others, the deepest
      // refusal left out for time.
      const items = suite.cases
        .filter((item) => item.capability === capability)
        .filter((item) => item.id !== 'refuse/canonical_max_depth_default')
        .slice(0, capability === 'request' ? undefined : 12)
      const wrong: string[] = []
      for (const item of items) {
        const answer = (await referenceAdapter.handle({ cmd: 'case', ...item })) as {
          output: unknown
        }
        const output = JSON.parse(JSON.stringify(answer.output)) as unknown
        wrong.push(...misfits(output, definition as Schema).map((why) => `${item.id}: ${why}`))
      }
      expect(wrong).toEqual([])
    },
  )

  test('a misfit is found: a missing member, an unknown one, a wrong type', () => {
    const defs = protocol.$defs as Record<string, Schema>
    expect(misfits({ raw: '{}' }, defs.canonicalizeOutput as Schema)).toEqual(['missing ascii'])
    expect(misfits({ json: '{}', extra: 1 }, defs.hashInput as Schema)).toEqual(['unknown extra'])
    expect(
      misfits(
        {
          path: '/',
          payload_canonical: 1,
          payload_sha256: null,
          message: null,
          signature: null,
          body: {},
        },
        defs.requestOutput as Schema,
      ),
    ).toEqual(['payload_canonical is integer, not string or null'])
  })
})
