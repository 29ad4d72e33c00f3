import { expect, test } from 'vitest'
import * as CanonicalJson from './index.js'

test('public surface', () => {
  expect(Object.keys(CanonicalJson).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "CircularReferenceError",
      "InvalidNumberError",
      "InvalidOptionError",
      "InvalidValueError",
      "LoneSurrogateError",
      "MaxDepthExceededError",
      "UnsupportedValueError",
      "canonicalHash",
      "canonicalize",
      "defaultMaxDepth",
      "sha256Hex",
      "toAscii",
    ]
  `)
})
