import { expect, test } from 'vitest'
import { sha256Hex } from './canonicalHash.js'
import { InvalidOptionError } from './canonicalize.js'

test('sha256Hex refuses a non-string, naming the option and the type it got', () => {
  for (const [value, type] of [
    [42, 'number'],
    [undefined, 'undefined'],
    [{}, 'object'],
  ] as const) {
    try {
      sha256Hex(value as unknown as string)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError)
      expect((error as InvalidOptionError).option).toBe('text')
      expect((error as InvalidOptionError).shortMessage).toBe(
        `Invalid option "text": must be a string, got ${type}.`,
      )
    }
  }
})
