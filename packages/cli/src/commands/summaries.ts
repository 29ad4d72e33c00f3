/**
 * The one-line summary of each top-level command, shown by `agentpmt --help` without loading the
 * commands (each is loaded only when it runs) and by the command's own help.
 *
 * @example
 * ```ts
 * import { commandSummaries } from './summaries.js'
 *
 * commandSummaries.hash // 'Print the payload hash ...'
 * ```
 */
export const commandSummaries = {
  demo: 'Run the whole job loop against a sandbox in this process, with a throwaway wallet.',
  canonicalize: 'Print the canonical form of a JSON input (sorted keys, no whitespace).',
  hash: 'Print the payload hash (SHA-256 of the canonical form) of a JSON input.',
  message: 'Build or explain a signed message.',
  sign: 'Sign a message with the key in AGENTPMT_PRIVATE_KEY (EIP-191 personal_sign).',
  verify: 'Check that a signature of a message was made by the expected wallet.',
  diagnose: 'Explain a refused request: the error body, the message you signed, the payload.',
  sandbox: 'Run the reference server of the API on this machine until Ctrl-C.',
  jobs: 'List, reserve, complete and follow jobs (key from AGENTPMT_PRIVATE_KEY).',
  mcp: 'Serve the job loop to an agent host as an MCP server over stdio.',
  probe: 'Check that a server answers as the jobs API guarantees (reserves only with --reserve).',
  conformance:
    'Run the conformance suite: an implementation or a client in any language, or a server.',
} as const
