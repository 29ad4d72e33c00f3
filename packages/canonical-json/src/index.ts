export { BaseError } from './BaseError.js'
export { canonicalHash, sha256Hex } from './canonicalHash.js'
export {
  CircularReferenceError,
  canonicalize,
  defaultMaxDepth,
  InvalidNumberError,
  InvalidOptionError,
  InvalidValueError,
  LoneSurrogateError,
  MaxDepthExceededError,
  toAscii,
  UnsupportedValueError,
} from './canonicalize.js'
export type { PathSegment } from './jsonPath.js'
