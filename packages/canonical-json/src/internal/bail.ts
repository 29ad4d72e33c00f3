/**
 * Thrown by the fast paths (writeSmall, sortedCopy) when they meet anything they do not handle:
 * an invalid value, an unusual key, too deep a nesting or, for writeSmall, too large a value.
 * `canonicalize` catches it and hands the value to the next path; the exact walk in the end
 * throws the precise error with its path. A constant, so that bailing allocates nothing.
 */
export const bail: unique symbol = Symbol('canonical-json bail')

/** Deepest nesting the recursive fast paths take on; deeper values go to the iterative walk. */
export const recursionLimit = 500
