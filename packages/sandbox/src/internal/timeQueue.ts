/**
 * Items due at a time, taken out in time order: a binary min-heap, so that the store finds what
 * the clock has made due in O(log n) per item instead of scanning every job on every call.
 */
export type TimeQueue<item> = {
  push(at: number, item: item): void
  /** The earliest item due at or before `now`, removed; undefined when none is. */
  popDue(now: number): item | undefined
  readonly size: number
}

export function createTimeQueue<item>(): TimeQueue<item> {
  const times: number[] = []
  const items: item[] = []
  const swap = (a: number, b: number): void => {
    ;[times[a], times[b]] = [times[b]!, times[a]!]
    ;[items[a], items[b]] = [items[b]!, items[a]!]
  }
  return {
    get size() {
      return times.length
    },
    push(at, item) {
      times.push(at)
      items.push(item)
      let index = times.length - 1
      while (index > 0) {
        const parent = (index - 1) >> 1
        if (times[parent]! <= times[index]!) break
        swap(parent, index)
        index = parent
      }
    },
    popDue(now) {
      if (times.length === 0 || times[0]! > now) return undefined
      const due = items[0]!
      const lastTime = times.pop()!
      const lastItem = items.pop()!
      if (times.length > 0) {
        times[0] = lastTime
        items[0] = lastItem
        let index = 0
        for (;;) {
          const left = 2 * index + 1
          const right = left + 1
          let smallest = index
          if (left < times.length && times[left]! < times[smallest]!) smallest = left
          if (right < times.length && times[right]! < times[smallest]!) smallest = right
          if (smallest === index) break
          swap(smallest, index)
          index = smallest
        }
      }
      return due
    },
  }
}
