import { expect, test } from 'vitest'
import * as mcp from './index.js'

test('public surface', () => {
  expect(Object.keys(mcp).sort()).toMatchInlineSnapshot(`
    [
      "BaseError",
      "createMcpServer",
      "mcpToolNames",
      "serveStdio",
    ]
  `)
})
