import { describe, expect, test } from 'vitest'
import { referenceAdapter } from './referenceAdapter.js'
import { type InProcessAdapter, runVectors } from './runVectors.js'

type Case = { cmd: string; id: string; capability: string }

/** The reference adapter with both canonical forms rewritten by `write` (an encoder's default). */
function writingWith(write: (canonical: string) => string): InProcessAdapter {
  return {
    async handle(message) {
      const answer = await referenceAdapter.handle(message)
      const item = message as Case
      if (item.cmd !== 'case' || item.capability !== 'canonicalize') return answer
      const { raw, ascii } = (answer as { output: { raw: string; ascii: string } }).output
      return { id: item.id, output: { raw: write(raw), ascii: write(ascii) } }
    },
  }
}

const goHtmlEscaping = (text: string): string =>
  text.replace(/[<>&]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`)
const phpEscapedSlashes = (text: string): string => text.replaceAll('/', '\\/')

describe('a canonical form written with an encoder default names that encoder and its fix', () => {
  test.each([
    ['Go encoding/json', goHtmlEscaping, /Go.*SetEscapeHTML\(false\)/],
    ['PHP json_encode', phpEscapedSlashes, /PHP.*JSON_UNESCAPED_SLASHES/],
  ])('%s', async (_, write, named) => {
    const report = await runVectors({ adapter: writingWith(write), only: ['canonicalize'] })
    const failing = report.cases.filter((item) => item.status === 'fail')
    expect(failing.length).toBeGreaterThan(0)
    // Every case the default changed says so; no case is blamed on an encoder it did not meet.
    for (const item of failing) expect(item.reason, item.id).toMatch(named)
  })

  test('an honest adapter passes, and a failure no encoder explains names none', async () => {
    expect((await runVectors({ adapter: referenceAdapter, only: ['canonicalize'] })).verdict).toBe(
      'pass',
    )
    const reversed = await runVectors({
      adapter: writingWith((text) => `${text} `),
      only: ['canonicalize'],
    })
    const failing = reversed.cases.filter((item) => item.status === 'fail')
    expect(failing.length).toBeGreaterThan(0)
    for (const item of failing) expect(item.reason).not.toMatch(/looks like/)
  })
})
