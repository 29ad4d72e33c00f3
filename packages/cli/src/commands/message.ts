import { randomUUID } from 'node:crypto'
import { canonicalHash } from '@agentpmt-kit/canonical-json'
import {
  buildMessage,
  type MessageFields,
  type MessageInput,
  parseMessage,
  type Scope,
} from '@agentpmt-kit/message-builder'
import type { Command } from 'commander'
import type { Context } from '../context.js'
import { ExitError } from '../exit.js'
import { InputError, readJsonObject, readMessage } from '../input.js'
import { privateKeyVariable, signerFromEnv } from '../key.js'
import { outputFor } from '../output.js'
import { commandSummaries } from './summaries.js'

type BuildOptions = {
  wallet?: string
  session: string
  request?: string
  action?: string
  product?: string
  method?: string
  path?: string
  payload?: string | false
  payloadHash?: string
  json?: boolean
}

/**
 * `agentpmt message build ...` and `agentpmt message parse [file|-]`: write the exact text to
 * sign for a request, or take a message apart line by line.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { messageCommand } from './message.js'
 *
 * declare const context: Parameters<typeof messageCommand>[1]
 * messageCommand(new Command('agentpmt'), context)
 * ```
 */
export function messageCommand(program: Command, context: Context): Command {
  const message = program.command('message').description(commandSummaries.message)
  message
    .command('build')
    .description(
      'Print the exact text to sign for a request (7 lines; no trailing newline except on a terminal).',
    )
    .option('--wallet <address>', `wallet address (default: the address of ${privateKeyVariable})`)
    .requiredOption('--session <nonce>', 'session_nonce from POST /api/external/auth/session')
    .option('--request <id>', 'request_id (default: a fresh UUID)')
    .option('--action <action>', 'scoped endpoint action, e.g. job_list, job_reserve')
    .option('--product <id>', 'product line: the job id (default: -)')
    .option('--method <method>', 'tool invoke: HTTP method')
    .option('--path <path>', 'tool invoke: the signed path')
    .option('--payload <file>', 'JSON file (or - for stdin) of the payload object; default {}')
    .option('--no-payload', 'leave the payload line empty (endpoints without a payload)')
    .option('--payload-hash <hex>', 'a payload hash computed elsewhere (64 hex)')
    .option('--json', 'print a JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  agentpmt message build --wallet 0x7099...79c8 --session n-1 --action job_reserve --product job_1\n  agentpmt message build --session n-1 --action job_list --payload page.json',
    )
    .action(async (options: BuildOptions) => {
      const input = await buildInput(context, options)
      const text = buildMessage(input)
      const fields = parseMessage(text)
      outputFor(context, options).result(
        { message: text, lines: text.split('\n'), fields },
        () => text,
        { exact: true },
      )
    })
  message
    .command('parse')
    .description('Explain a signed message line by line and check that it is well formed.')
    .argument('[file]', 'file holding the message, or - for stdin', '-')
    .option('--payload <file>', 'JSON file of the payload: check that the payload line is its hash')
    .option('--json', 'print a JSON document')
    .addHelpText('after', '\nExample:\n  agentpmt message parse message.txt --payload payload.json')
    .action(async (file: string, options: { payload?: string; json?: boolean }) => {
      const text = await readMessage(context, file)
      const fields = parseMessage(text)
      const check =
        options.payload === undefined
          ? undefined
          : payloadCheck(fields, await readJsonObject(context, options.payload))
      const output = outputFor(context, options)
      output.result({ fields, lines: text.split('\n'), ...(check ? { payload: check } : {}) }, () =>
        explain(fields, check),
      )
      if (check && !check.matches)
        throw new ExitError(1, 'The payload line is not the hash of the payload.')
    })
  return message
}

async function buildInput(context: Context, options: BuildOptions): Promise<MessageInput> {
  const wallet = options.wallet ?? (await walletFromKey(context))
  const request = options.request ?? randomUUID()
  const scope = scopeOf(options)
  const signing = { wallet, session: options.session, request, scope }
  if (options.payloadHash !== undefined) {
    if (typeof options.payload === 'string' || options.payload === false)
      throw new InputError('Give --payload, --no-payload or --payload-hash, not several.')
    return { ...signing, payloadHash: options.payloadHash }
  }
  if (options.payload === false) return { ...signing, payload: null }
  const payload =
    options.payload === undefined ? {} : await readJsonObject(context, options.payload)
  return { ...signing, payload }
}

async function walletFromKey(context: Context): Promise<string> {
  if (!context.env[privateKeyVariable])
    throw new InputError(
      `Give --wallet <address>, or set ${privateKeyVariable} to use its address.`,
    )
  return (await signerFromEnv(context.env)).address
}

function scopeOf(options: BuildOptions): Scope {
  const action = options.action !== undefined || options.product !== undefined
  const path = options.method !== undefined || options.path !== undefined
  if (action && path) throw new InputError('Give --action/--product or --method/--path, not both.')
  if (action) {
    if (options.action === undefined) throw new InputError('--product needs --action.')
    return { action: options.action, product: options.product }
  }
  if (path) {
    if (options.path === undefined) throw new InputError('--method needs --path.')
    return { method: options.method ?? 'POST', path: options.path }
  }
  throw new InputError(
    'Give the scope: --action <action> [--product <id>], or --method and --path.',
  )
}

type PayloadCheck = {
  matches: boolean
  form: 'raw' | 'ascii' | undefined
  raw: string
  ascii: string
}

function payloadCheck(fields: MessageFields, payload: Record<string, unknown>): PayloadCheck {
  const raw = canonicalHash(payload)
  const ascii = canonicalHash(payload, { ascii: true })
  const form =
    fields.payloadHash === raw ? 'raw' : fields.payloadHash === ascii ? 'ascii' : undefined
  return { matches: form !== undefined, form, raw, ascii }
}

const emptyObjectHash = canonicalHash({})

function explain(fields: MessageFields, check: PayloadCheck | undefined): string {
  const scope =
    'action' in fields.scope
      ? [
          ['action', fields.scope.action],
          ['product', fields.scope.product === '-' ? '- (none)' : fields.scope.product],
        ]
      : [
          ['method', fields.scope.method],
          ['path', fields.scope.path],
        ]
  const hash =
    fields.payloadHash === null
      ? '(empty: an endpoint without a payload object)'
      : fields.payloadHash === emptyObjectHash
        ? `${fields.payloadHash} (the hash of {})`
        : fields.payloadHash
  const rows = [
    ['prefix', 'agentpmt-external'],
    ['wallet', fields.wallet],
    ['session', fields.session],
    ['request', fields.request],
    ...scope,
    ['payload', hash],
  ]
  const lines = rows.map(([name, value], index) => `${index + 1}  ${name?.padEnd(8)} ${value}`)
  lines.push('', 'The message is well formed.')
  if (check)
    lines.push(
      check.matches
        ? `The payload line is the hash of the ${check.form} canonical form of the payload.`
        : `The payload line is not the hash of the payload (raw form ${check.raw}, ascii form ${check.ascii}).`,
    )
  return lines.join('\n')
}
