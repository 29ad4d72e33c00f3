#!/usr/bin/env node
import { run } from './program.js'

// A reader that goes away (`agentpmt demo | head`) is the end of the output, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })

process.exitCode = await run(process.argv)
