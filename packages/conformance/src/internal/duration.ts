/**
 * A duration in milliseconds as a person reads it and the CLI accepts it back: `5s`, `500ms`,
 * `1.5s`, `2m`.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`
  return `${Number((ms / 1000).toFixed(3))}s`
}
