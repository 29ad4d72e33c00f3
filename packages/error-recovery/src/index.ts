export { type ErrorCode, errorCodes, type Recovery } from './errorCodes.js'
