/**
 * Whether a cache shared between calls still pays for its lookups. A cache of key lists or quoted
 * keys pays on payloads that repeat their shapes (an agent signs the same few kinds of body over
 * and over) and costs on keys that are data (ids, names, anything nearly all distinct): a lookup
 * that misses, an entry stored that is never met again, and entries that live long enough to be
 * promoted and collected by a full garbage collection.
 *
 * The gate counts hits over a window of lookups. When fewer than {@link minimumHits} of a window
 * hit, it closes: the cache is neither read nor written for the next {@link closedFor} lookups
 * (each costs a count), and then it opens for another window to sample the input again. A cache
 * that keeps hitting never closes.
 *
 * A closed cache is emptied by replacing its `Map`, not with `clear()`: on Node 20, the entries a
 * long-lived map held during a window, cleared, still survived scavenges and were promoted (on
 * keys that are data: 40 MB promoted over 2,000 documents of 50 KB and four times the time in
 * garbage collection; replaced, nothing promoted). Measured, see bench/notes.md.
 */
export class CacheGate {
  /** Whether to look up (and store) now. */
  open = true
  private left = window
  private hits = 0

  /** A lookup that found its entry. */
  hit(): void {
    this.hits++
    if (--this.left === 0) this.turn()
  }

  /** A lookup that missed, or a lookup skipped while the gate is closed. */
  miss(): void {
    if (--this.left === 0) this.turn()
  }

  private turn(): void {
    this.open = !this.open || this.hits >= minimumHits
    this.left = this.open ? window : closedFor
    this.hits = 0
  }
}

/** Lookups in one window of an open gate. */
const window = 256
/** Hits a window needs to keep the gate open: a quarter of its lookups. */
const minimumHits = window / 4
/** Lookups skipped once the gate closes, before the next window samples the input again. */
const closedFor = 16 * window
