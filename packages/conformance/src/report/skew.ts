import type { ClockSkew } from '../probeTypes.js'

/** `the server's clock is 2400.0 s behind this machine's (±0.5 s)`, or no measurable skew. */
export function describeSkew({ skewMs, plusMinusMs }: ClockSkew): string {
  const margin = `±${(plusMinusMs / 1000).toFixed(1)} s`
  if (Math.abs(skewMs) <= plusMinusMs) return `no measurable skew (${margin})`
  const way = skewMs > 0 ? 'ahead of' : 'behind'
  return `the server's clock is ${(Math.abs(skewMs) / 1000).toFixed(1)} s ${way} this machine's (${margin})`
}
