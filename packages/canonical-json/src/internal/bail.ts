/**
 * Thrown by the fast paths when they meet anything they do not handle: the budgeted exact walk on
 * a large value, the sorted copy on an invalid value, an unusual key or too deep a nesting.
 * `canonicalize` catches it and hands the value to the next path; the exact walk in the end
 * throws the precise error with its path. A constant, so that bailing allocates nothing.
 */
export const bail: unique symbol = Symbol('canonical-json bail')

/**
 * Deepest nesting written by recursion (the sorted copy and native `JSON.stringify`, the exact
 * walk's recursive writer); deeper values go to the exact walk's explicit stack. Each level costs
 * two small frames; native `JSON.stringify` alone survives about 4,000 levels on Node's default
 * stack, so half of that leaves room for the caller's frames.
 */
export const recursionLimit = 2000
