export type { CliIo, Writer } from './context.js'
export { type ErrorClass, ExitError, errorClassOf, exitCodes } from './exit.js'
export { createProgram, run } from './program.js'
