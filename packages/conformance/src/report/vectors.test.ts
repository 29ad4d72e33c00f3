import { describe, expect, test } from 'vitest'
import { referenceAdapter } from '../referenceAdapter.js'
import { type InProcessAdapter, runVectors } from '../runVectors.js'
import { describeRun, htmlReport } from './vectors.js'

type Message = { cmd: string; id?: string; capability?: string }

/** The reference adapter with its answers of one capability rewritten. */
function rewriting(capability: string, rewrite: (output: Record<string, string>) => unknown) {
  return {
    async handle(message: unknown) {
      const answer = (await referenceAdapter.handle(message)) as { output?: unknown }
      return (message as Message).capability === capability && answer.output !== undefined
        ? { ...answer, output: rewrite(answer.output as Record<string, string>) }
        : answer
    },
  } satisfies InProcessAdapter
}

describe.concurrent('describeRun', () => {
  test('a failing case shows expected against actual, invisible characters made visible', async () => {
    // Line separators turned into paragraph separators and no-break spaces into spaces.
    const normalising = rewriting('canonicalize', (output) => ({
      raw: output.raw?.replace('\u2028', '\u2029').replace('\u00a0', ' '),
      ascii: output.ascii,
    }))
    const report = await runVectors({ adapter: normalising, only: ['canonicalize'] })
    const text = describeRun(report)
    expect(text).toContain(
      [
        '  FAIL canonicalize/char_u00a0: raw differs',
        '      raw expected "{\\"s\\":\\"a\\u00a0b\\"}"',
        '          actual   "{\\"s\\":\\"a b\\"}"',
      ].join('\n'),
    )
    expect(text).toContain(
      [
        '  FAIL canonicalize/char_u2028: raw differs',
        '      raw expected "{\\"s\\":\\"a\\u2028b\\"}"',
        '          actual   "{\\"s\\":\\"a\\u2029b\\"}"',
      ].join('\n'),
    )
    expect(text).toContain('✗ canonicalize: 2 of 172 cases failed')
    expect(text).toMatch(/Verdict: FAIL/)
    // The HTML report marks them too.
    expect(htmlReport(report)).toContain('a\\u2029b')
  })

  test('a long message is cut around its first difference; a trailing space shows before the quote', async () => {
    const trailing = rewriting('message', (output) => ({
      message: output.message?.replace(/\nrequest:/, ' \nrequest:'),
    }))
    const report = await runVectors({ adapter: trailing, only: ['message'] })
    const lines = describeRun(report).split('\n')
    const at = lines.indexOf('  FAIL message/job_list_50_0: message differs')
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '      message expected …fb92266\\nsession:sess_10\\nrequest:req_10\\naction:job_list\\nproduct:-\\npa…',
      '              actual   …fb92266\\nsession:sess_10 \\nrequest:req_10\\naction:job_list\\nproduct:-\\np…',
    ])
    // Ten failing cases show their values; the rest their reason only.
    expect(lines.filter((line) => line.startsWith('      message expected'))).toHaveLength(10)
  })

  test('a refused valid input shows the refusal; a rule that failed is named', async () => {
    const refuser: InProcessAdapter = {
      async handle(message) {
        const answer = await referenceAdapter.handle(message)
        return (message as Message).cmd === 'case'
          ? { id: (message as Message).id, output: { refused: true, error: 'Suspicious' } }
          : answer
      },
    }
    const report = await runVectors({ adapter: refuser, only: ['refuse'], require: ['sign'] })
    const text = describeRun(report)
    expect(text).toContain(
      [
        '  FAIL refuse/canonical_proto_key: refused a valid input (Suspicious): it must be accepted',
        '      refused expected false',
        '              actual   true',
      ].join('\n'),
    )
    expect(text).toContain('✗ accept: 40 of 40 cases failed')
    expect(text.split('\n')).toContain('  sign          not run (--only)')
    expect(text).toContain('✗ required-not-skipped: required but undeclared or skipped: sign')
    expect(text).not.toContain('✗ refuse:')
  })

  test('a capability whose every case was skipped gets no ✓, and the verdict says why', async () => {
    const skipper: InProcessAdapter = {
      async handle(message) {
        const item = message as Message
        return item.cmd === 'case'
          ? { id: item.id, skipped: 'later' }
          : referenceAdapter.handle(message)
      },
    }
    const text = describeRun(await runVectors({ adapter: skipper, only: ['hash'] }))
    expect(text.split('\n')).toContain('- hash              0     0   172      0')
    expect(text.split('\n')).toContain('  message       not run (--only)')
    expect(text).toContain('✗ at-least-one-case: all 172 cases were skipped')
    expect(text).toContain('172 × later')
  })
})
