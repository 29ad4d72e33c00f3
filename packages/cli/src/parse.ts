import { InvalidArgumentError } from 'commander'

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/
const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/**
 * Reads a duration option: a number of seconds (`90`) or a number with a unit (`500ms`, `30s`,
 * `15m`, `1h`, `2d`), in milliseconds.
 *
 * @example
 * ```ts
 * import { parseDuration } from './parse.js'
 *
 * parseDuration('15m') // 900000
 * ```
 */
export function parseDuration(value: string): number {
  const match = durationPattern.exec(value.trim())
  if (!match)
    throw new InvalidArgumentError('must be a duration such as 90, 500ms, 30s, 15m or 1h.')
  const unit = (match[2] ?? 's') as keyof typeof unitMs
  const ms = Math.round(Number(match[1]) * unitMs[unit])
  if (ms <= 0) throw new InvalidArgumentError('must be longer than 0.')
  return ms
}

/**
 * Reads a duration option that may have a sign (`-40m`, `+2d`, `0`): an offset, in milliseconds.
 *
 * @example
 * ```ts
 * import { parseOffset } from './parse.js'
 *
 * parseOffset('-40m') // -2400000
 * ```
 */
export function parseOffset(value: string): number {
  const match = /^([+-]?)(.*)$/.exec(value.trim())
  const magnitude = match?.[2] ?? ''
  if (/^0+(?:\.0+)?(?:ms|s|m|h|d)?$/.test(magnitude)) return 0
  try {
    return (match?.[1] === '-' ? -1 : 1) * parseDuration(magnitude)
  } catch {
    throw new InvalidArgumentError('must be a duration with an optional sign, such as -40m or +2d.')
  }
}

/**
 * Reads a TCP port option (0 lets the system choose).
 *
 * @example
 * ```ts
 * import { parsePort } from './parse.js'
 *
 * parsePort('8787') // 8787
 * ```
 */
export function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new InvalidArgumentError('must be a port number from 0 to 65535.')
  return port
}

/**
 * Reads a positive integer option.
 *
 * @example
 * ```ts
 * import { parsePositiveInteger } from './parse.js'
 *
 * parsePositiveInteger('50') // 50
 * ```
 */
export function parsePositiveInteger(value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || number < 1 || !Number.isSafeInteger(number))
    throw new InvalidArgumentError('must be a positive integer.')
  return number
}

/**
 * Reads a non-negative integer option.
 *
 * @example
 * ```ts
 * import { parseCount } from './parse.js'
 *
 * parseCount('0') // 0
 * ```
 */
export function parseCount(value: string): number {
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new InvalidArgumentError('must be an integer, 0 or more.')
  return number
}
