import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { canonicalize } from '@agentpmt-kit/canonical-json'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { type Capability, capabilities } from './cases.js'
import { referenceAdapter } from './referenceAdapter.js'
import { type RunCheckId, runChecks } from './runChecks.js'
import { type InProcessAdapter, type RunVectorsOptions, runVectors } from './runVectors.js'

// Every check of `agentpmt conformance run` can fail: each flawed adapter below, switched on by a
// flag, breaks one thing and must fail exactly the checks that thing touches; honest adapters in
// two languages fail nothing; and every check of runChecks has a flaw that fails it.

type Json = Record<string, unknown>
type Case = { cmd: string; id: string; capability: Capability; input: Json }
type Flaw = {
  name: string
  adapter: RunVectorsOptions['adapter']
  /** The capabilities the flaw's code reaches (every capability when absent). */
  only?: readonly Capability[]
  require?: readonly Capability[]
  env?: Record<string, string>
  fails: readonly RunCheckId[]
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const asciiEscaped = (text: string, hex: (unit: number) => string): string =>
  text.replace(/[^\u0020-\u007e]/g, (unit) => `\\u${hex(unit.charCodeAt(0)).padStart(4, '0')}`)
const lowerHex = (unit: number): string => unit.toString(16)

/**
 * The reference adapter with the answers to cases of `capability` rewritten by `flaw`, which sees
 * the case and can ask for the reference's output.
 */
function flawed(
  capability: Capability,
  flaw: (item: Case, reference: () => Promise<Json>) => unknown,
): InProcessAdapter {
  return {
    async handle(message) {
      const item = message as Case
      if (item.cmd !== 'case' || item.capability !== capability)
        return referenceAdapter.handle(message)
      const reference = async () =>
        ((await referenceAdapter.handle(message)) as { output: Json }).output
      return { id: item.id, output: await flaw(item, reference) }
    },
  }
}

/** Canonical JSON with keys sorted by code point (as Python's sort_keys and Go's maps do). */
function byCodePoint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(byCodePoint).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const points = (key: string): number[] => [...key].map((char) => char.codePointAt(0) ?? 0)
  const keys = Object.keys(value).sort((left, right) => {
    const [a, b] = [points(left), points(right)]
    for (let index = 0; index < Math.min(a.length, b.length); index++)
      if (a[index] !== b[index]) return (a[index] ?? 0) - (b[index] ?? 0)
    return a.length - b.length
  })
  return `{${keys.map((key) => `${JSON.stringify(key)}:${byCodePoint((value as Json)[key])}`).join(',')}}`
}

/** A request signed over another payload text: consistent hash, message, signature and body. */
async function signedOver(
  item: Case,
  reference: () => Promise<Json>,
  payloadOf: (payload: Json, output: Json) => string,
) {
  const output = await reference()
  if (output.payload_canonical === null) return output
  const input = item.input
  const fields = input.fields as Json
  const payload = (
    (input.endpoint as Json).name === 'tool_invoke' ? fields.parameters : fields
  ) as Json
  let text = payloadOf(payload, output)
  if (input.hash_form === 'ascii') text = asciiEscaped(text, lowerHex)
  const hash = sha256(text)
  const message = (output.message as string).replace(/payload:[0-9a-f]*$/, `payload:${hash}`)
  const signature = await privateKeyToAccount(input.private_key as `0x${string}`).signMessage({
    message,
  })
  const body = JSON.parse(output.body as string) as Json
  return {
    ...output,
    payload_canonical: text,
    payload_sha256: hash,
    message,
    signature,
    body: JSON.stringify({ ...body, signature }),
  }
}

const pythonAdapter = fileURLToPath(new URL('../fixtures/python/adapter.py', import.meta.url))
/** Debian's python3 (with python3-ecdsa) when present, as the CLI's conformance test picks it. */
const python = ['/usr/bin/python3', 'python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import json'], { stdio: 'ignore' }).status === 0,
)
const pythonWith = (flaw: string): Pick<Flaw, 'adapter' | 'env'> => ({
  adapter: [python ?? 'python3', pythonAdapter],
  env: { AGENTPMT_FLAW: flaw },
})
/** Everything the Python adapter's canonical JSON reaches (signing is left out: it is slow). */
const pythonCanonical: Capability[] = ['canonicalize', 'hash', 'message', 'refuse']

const flaws: Flaw[] = [
  {
    name: 'refuse-everything',
    adapter: flawed('refuse', () => ({ refused: true, error: 'Suspicious' })),
    only: ['refuse'],
    fails: ['accept'],
  },
  {
    name: 'accept-everything',
    adapter: flawed('refuse', () => ({ refused: false })),
    only: ['refuse'],
    fails: ['refuse'],
  },
  {
    name: 'skip-everything',
    adapter: {
      async handle(message) {
        const item = message as Case
        return item.cmd === 'case'
          ? { id: item.id, skipped: 'not yet' }
          : referenceAdapter.handle(message)
      },
    },
    fails: ['at-least-one-case'],
  },
  {
    name: 'skip-sign (required)',
    adapter: {
      async handle(message) {
        const item = message as Case
        return item.capability === 'sign'
          ? { id: item.id, skipped: 'no signer' }
          : referenceAdapter.handle(message)
      },
    },
    only: ['hash', 'sign'],
    require: ['hash', 'sign'],
    fails: ['required-not-skipped'],
  },
  {
    name: 'code-point key order',
    adapter: {
      async handle(message) {
        const item = message as Case
        if (item.capability !== 'canonicalize' && item.capability !== 'hash')
          return referenceAdapter.handle(message)
        const raw = byCodePoint(JSON.parse(item.input.json as string))
        const ascii = asciiEscaped(raw, lowerHex)
        return {
          id: item.id,
          output:
            item.capability === 'canonicalize'
              ? { raw, ascii }
              : { raw_sha256: sha256(raw), ascii_sha256: sha256(ascii) },
        }
      },
    },
    only: ['canonicalize', 'hash'],
    fails: ['canonicalize', 'hash'],
  },
  {
    name: 'upper-case hex escapes',
    adapter: {
      async handle(message) {
        const item = message as Case
        if (item.capability !== 'canonicalize' && item.capability !== 'hash')
          return referenceAdapter.handle(message)
        const raw = canonicalize(JSON.parse(item.input.json as string))
        const ascii = asciiEscaped(raw, (unit) => unit.toString(16).toUpperCase())
        return {
          id: item.id,
          output:
            item.capability === 'canonicalize'
              ? { raw, ascii }
              : { raw_sha256: sha256(raw), ascii_sha256: sha256(ascii) },
        }
      },
    },
    only: ['canonicalize', 'hash'],
    fails: ['canonicalize', 'hash'],
  },
  {
    name: 'wallet line not lower-cased',
    adapter: flawed('message', async (item, reference) => ({
      message: ((await reference()).message as string).replace(
        /^wallet:.*$/m,
        `wallet:${item.input.wallet}`,
      ),
    })),
    only: ['message'],
    fails: ['message'],
  },
  {
    name: 'v as 0/1 instead of 27/28',
    adapter: flawed('sign', async (_, reference) => {
      const output = await reference()
      const signature = output.signature as string
      return { ...output, signature: signature.replace(/1b$/, '00').replace(/1c$/, '01') }
    }),
    only: ['sign'],
    fails: ['sign'],
  },
  {
    name: 'wrong recovery (every signature valid)',
    adapter: flawed('recover', async (_, reference) => ({ ...(await reference()), valid: true })),
    only: ['recover'],
    fails: ['recover'],
  },
  {
    name: 'envelope fields hashed',
    adapter: flawed('request', (item, reference) =>
      signedOver(item, reference, (payload, output) =>
        canonicalize({
          ...payload,
          wallet_address: (JSON.parse(output.body as string) as Json).wallet_address,
          session_nonce: item.input.session,
          request_id: item.input.request_id,
        }),
      ),
    ),
    only: ['request'],
    fails: ['request'],
  },
  {
    name: 'unsorted payload',
    adapter: flawed('request', (item, reference) =>
      signedOver(item, reference, (payload) => JSON.stringify(payload)),
    ),
    only: ['request'],
    fails: ['request'],
  },
  {
    name: 'answers with another id',
    adapter: {
      async handle(message) {
        const item = message as Case
        return item.cmd === 'case'
          ? { id: `${item.id}#2`, output: {} }
          : referenceAdapter.handle(message)
      },
    },
    only: ['hash'],
    fails: ['process-errors'],
  },
  {
    name: 'not ready',
    adapter: { handle: () => ({ ready: false }) },
    fails: ['adapter-starts'],
  },
  {
    name: 'python refuse-everything',
    ...pythonWith('refuse-everything'),
    only: ['refuse'],
    fails: ['accept'],
  },
  {
    name: 'python accept-everything',
    ...pythonWith('accept-everything'),
    only: ['refuse'],
    fails: ['refuse'],
  },
  {
    name: 'python skip-everything',
    ...pythonWith('skip-everything'),
    fails: ['at-least-one-case'],
  },
  {
    name: 'python code-point key order',
    ...pythonWith('codepoint-key-order'),
    only: pythonCanonical,
    fails: ['canonicalize', 'hash'],
  },
  {
    // A trailing \n or a \r\n vanishes, U+2028 and friends split a line.
    name: 'python splitlines',
    ...pythonWith('splitlines'),
    only: ['refuse'],
    fails: ['refuse', 'accept'],
  },
]

const failedChecks = (report: Awaited<ReturnType<typeof runVectors>>): RunCheckId[] =>
  report.checks.filter((check) => check.status === 'fail').map((check) => check.id)
/** Roomy limits: a busy machine must not turn a slow answer into a process error. */
const patient = { caseTimeoutMs: 20_000, startTimeoutMs: 30_000 }

describe('the run role: every check can fail', () => {
  test('every check of runChecks has a flaw that fails it', () => {
    const failed = new Set(flaws.flatMap((flaw) => flaw.fails))
    expect(runChecks.map((check) => check.id).filter((id) => !failed.has(id))).toEqual([])
  })

  // The flaws and the Python adapter, together: in-process runs are short, processes wait apart.
  describe.concurrent('each flaw fails exactly the checks it breaks; Python fails nothing', () => {
    test.for(flaws.filter((flaw) => python !== undefined || !Array.isArray(flaw.adapter)))(
      '$name',
      async (flaw) => {
        const report = await runVectors({
          adapter: flaw.adapter,
          only: flaw.only,
          require: flaw.require,
          env: flaw.env,
          ...patient,
        })
        expect(failedChecks(report), JSON.stringify(report.checks)).toEqual(
          runChecks.map((check) => check.id).filter((id) => flaw.fails.includes(id)),
        )
        expect(report.verdict).toBe('fail')
      },
    )

    test('the honest Python adapter fails nothing', async (context) => {
      if (python === undefined) {
        if (process.env.CI) throw new Error('python3 is missing: CI must run the Python adapter')
        return context.skip()
      }
      const report = await runVectors({ adapter: [python, pythonAdapter], ...patient })
      expect(failedChecks(report), JSON.stringify(report.checks)).toEqual([])
      expect(report.verdict).toBe('pass')
      // Skipped: only what Python cannot express (and signing, without python3-ecdsa).
      const skipped = report.cases.filter((item) => item.status === 'skip')
      expect(skipped.filter((item) => !item.tags?.includes('javascript-only'))).toEqual([])
    })
  })

  // Alone: its deepest case (1,000,001 nested arrays) holds this process for a while.
  test('the honest TypeScript reference, in process, fails nothing: every check passes', async () => {
    const report = await runVectors({
      adapter: referenceAdapter,
      require: [...capabilities],
      ...patient,
    })
    expect(report.checks.filter((check) => check.status !== 'pass')).toEqual([])
    expect(report.verdict).toBe('pass')
  })
})
