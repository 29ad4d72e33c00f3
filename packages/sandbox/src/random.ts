/**
 * The random source behind nonces, reservation ids, tracking codes, workflow tokens and fault
 * rates. Without a seed it draws from the platform's cryptographic generator
 * (`crypto.getRandomValues`), so no two runs share a nonce or a token. With a seed it is
 * repeatable: two runs with the same seed and the same sequence of requests give the same ids and
 * fault decisions, which tests rely on (and which no one should rely on outside a test).
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
  /** `<prefix>_` followed by 24 lower-case hex characters (96 bits). */
  id(prefix: string): string
}

/**
 * Makes a {@link SandboxRandom}: repeatable from a 32-bit `seed` (mulberry32: small, fast, and
 * good enough for test ids and fault rates), or cryptographic when `seed` is omitted.
 *
 * @example
 * ```ts
 * import { createRandom } from '@agentpmt-kit/sandbox'
 *
 * createRandom(1).next() === createRandom(1).next() // true
 * createRandom().id('nonce') // 96 random bits from crypto.getRandomValues
 * ```
 */
export function createRandom(seed?: number | undefined): SandboxRandom {
  if (seed === undefined) return cryptoRandom()
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

function cryptoRandom(): SandboxRandom {
  const words = new Uint32Array(3)
  const hex = (index: number): string => words[index]!.toString(16).padStart(8, '0')
  return {
    next() {
      crypto.getRandomValues(words)
      return words[0]! / 4294967296
    },
    id(prefix) {
      crypto.getRandomValues(words)
      return `${prefix}_${hex(0)}${hex(1)}${hex(2)}`
    },
  }
}
