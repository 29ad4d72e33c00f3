import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8')

test('the "Run the job loop" guide shows exactly the typechecked example', () => {
  const guide = read('../../../../docs/guides/job-loop.md')
  const section = guide.slice(guide.indexOf('## The complete example'))
  const code = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('\n```\n') + 1)
  expect(code).toBe(read('./jobLoop.example.ts'))
})
