import type { Dialect } from './types.js'

/**
 * `clock-behind`: a server whose clock runs 40 minutes behind the client's (the issue that
 * taught the client to read time as the server's). Nothing is rewritten: the sandbox's clock,
 * its timestamps and its `Date` header all run behind, unless `clockOffsetMs` says otherwise.
 */
export const clockBehind: Dialect = { clockOffsetMs: -40 * 60_000 }
