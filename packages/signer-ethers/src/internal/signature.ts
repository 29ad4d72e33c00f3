import type { Hex } from '@agentpmt-kit/message-builder'

/** Order of the secp256k1 group. */
const curveOrder = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const halfCurveOrder = curveOrder >> 1n

/** A 65-byte signature split into its parts, `yParity` being the recovery bit. */
export type SignatureParts = { r: bigint; s: bigint; yParity: 0 | 1 }

/** The parts of an acceptable signature, or why a value is not one. */
export type SignatureReading = { ok: true; parts: SignatureParts } | { ok: false; reason: string }

/**
 * Reads `0x` + 65 bytes (r, s, v) the way the server does, with v one of 0, 1, 27, 28.
 * 64-byte compact (EIP-2098) signatures are refused: the server expects 65 bytes.
 * A high-s signature is refused unless `allowHighS`, in which case it is returned low-s
 * (s' = n - s, recovery bit flipped), which recovers the same address.
 */
export function readSignature(
  value: unknown,
  { allowHighS = false }: { allowHighS?: boolean | undefined } = {},
): SignatureReading {
  if (typeof value !== 'string')
    return { ok: false, reason: `expected a hex string, got ${typeOf(value)}` }
  if (!value.startsWith('0x')) return { ok: false, reason: 'expected a 0x-prefixed hex string' }
  const digits = value.slice(2)
  if (!/^[0-9a-fA-F]*$/.test(digits)) return { ok: false, reason: 'not a hex string' }
  if (digits.length === 128)
    return {
      ok: false,
      reason: '64-byte compact (EIP-2098) signatures are not accepted; send r, s and v (65 bytes)',
    }
  if (digits.length !== 130)
    return { ok: false, reason: `expected 65 bytes, got ${digits.length / 2} bytes` }
  const r = BigInt(`0x${digits.slice(0, 64)}`)
  let s = BigInt(`0x${digits.slice(64, 128)}`)
  const v = Number.parseInt(digits.slice(128), 16)
  let yParity: 0 | 1
  if (v === 0 || v === 27) yParity = 0
  else if (v === 1 || v === 28) yParity = 1
  else return { ok: false, reason: `v must be 0, 1, 27 or 28, got ${v}` }
  if (r === 0n || r >= curveOrder) return { ok: false, reason: 'r is out of range' }
  if (s === 0n || s >= curveOrder) return { ok: false, reason: 's is out of range' }
  if (s > halfCurveOrder) {
    if (!allowHighS)
      return { ok: false, reason: 's is in the upper half of the curve order (high-s, EIP-2)' }
    s = curveOrder - s
    yParity = yParity === 0 ? 1 : 0
  }
  return { ok: true, parts: { r, s, yParity } }
}

/** `0x` + r + s + v with v = 27/28, lower-case hex. */
export function serializeSignature({ r, s, yParity }: SignatureParts): Hex {
  return `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${yParity === 0 ? '1b' : '1c'}`
}

/** Addresses are compared and returned lower-case. */
export function readAddress(value: unknown): Hex | undefined {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) return undefined
  return value.toLowerCase() as Hex
}

/** A short description of a value's type for error details (never the value itself). */
export function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Uint8Array) return 'a Uint8Array'
  return typeof value
}
