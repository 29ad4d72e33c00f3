/**
 * A seeded source of random numbers and identifiers, so that two runs with the same seed and the
 * same sequence of requests give the same nonces, ids and fault decisions. Not cryptographic:
 * the sandbox is a test server.
 *
 * @example
 * ```ts
 * import { createRandom } from '@agentpmt-kit/sandbox'
 *
 * const random = createRandom(42)
 * random.id('res') // 'res_' + 24 hex characters, the same for every run with seed 42
 * ```
 */
export type SandboxRandom = {
  /** A number in [0, 1). */
  next(): number
  /** `<prefix>_` followed by 24 lower-case hex characters. */
  id(prefix: string): string
}

/**
 * Makes a {@link SandboxRandom} from a 32-bit seed (mulberry32: small, fast, and good enough for
 * ids and fault rates).
 *
 * @example
 * ```ts
 * import { createRandom } from '@agentpmt-kit/sandbox'
 *
 * createRandom(1).next() === createRandom(1).next() // true
 * ```
 */
export function createRandom(seed: number): SandboxRandom {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const word = (): string =>
    Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return { next, id: (prefix) => `${prefix}_${word()}${word()}${word()}` }
}
