/**
 * Whether `container`, about to be written at `depth`, is the ancestor at the highest power of
 * two below `depth`: one comparison a level that finds every cycle on the way down. A writer
 * follows a cycle the same way round each time (the members before the way back are finite), so
 * the open containers repeat with some period L from some depth s on; once the power of two is
 * at least s and L, the container L levels below it is that one again. A cycle is therefore
 * caught by depth 3 × max(s, L), having written at most that many levels of it (Brent's cycle
 * detection). `ancestors[d]` is the open container at depth d, for every d below `depth`.
 */
export function repeatsAncestor(container: object, depth: number, ancestors: object[]): boolean {
  return depth > 1 && container === ancestors[1 << (31 - Math.clz32(depth - 1))]
}
