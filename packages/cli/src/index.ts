export type { CliIo, Writer } from './context.js'
export { ExitError } from './exit.js'
export { createProgram, run } from './program.js'
