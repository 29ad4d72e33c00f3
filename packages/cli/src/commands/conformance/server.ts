import type { Command } from 'commander'
import type { Context } from '../../context.js'

/**
 * Registers `agentpmt conformance server`.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { registerServerCheck } from './server.js'
 *
 * declare const context: Parameters<typeof registerServerCheck>[1]
 * registerServerCheck(new Command('conformance'), context)
 * ```
 */
export function registerServerCheck(parent: Command, _context: Context): Command {
  return parent
}
