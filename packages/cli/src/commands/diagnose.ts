import {
  diagnoseSignature,
  parseApiError,
  recoveryFor,
  type SignatureDiagnosis,
} from '@agentpmt-kit/error-recovery'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import type { Context } from '../context.js'
import { InputError, readJsonObject, readMessage } from '../input.js'
import { outputFor } from '../output.js'
import { commandSummaries } from './summaries.js'

/**
 * `agentpmt diagnose <error.json> --message <file> [--payload <file>] [--sent <file>]
 * [--earlier <file>]...`: why the server refused a signature. Compares the message you signed with
 * the server's `details.expected_message` line by line, names each differing line, then the known
 * mistakes that reproduce what the server expected, each with its fix; never suggests signing the
 * server's text.
 *
 * @example
 * ```ts
 * import { Command } from 'commander'
 * import { diagnoseCommand } from './diagnose.js'
 *
 * declare const context: Parameters<typeof diagnoseCommand>[1]
 * diagnoseCommand(new Command('agentpmt'), context)
 * ```
 */
export function diagnoseCommand(program: Command, context: Context): Command {
  return program
    .command('diagnose')
    .description(commandSummaries.diagnose)
    .argument('<error.json>', 'the JSON body of the error response, or - for stdin')
    .requiredOption('--message <file>', 'the exact message you signed')
    .option('--payload <file>', 'the JSON payload you hashed (explains a payload mismatch)')
    .option('--sent <file>', 'the JSON body you sent, envelope included')
    .option(
      '--earlier <file>',
      'an error body answered to an earlier attempt (repeatable)',
      (file: string, files: string[]) => [...files, file],
      [] as string[],
    )
    .option('--status <code>', 'the HTTP status of the response', httpStatus, 401)
    .option('--exact', 'keep a trailing newline of the message file (it is dropped by default)')
    .option('--json', 'print a JSON document')
    .addHelpText(
      'after',
      '\nExample:\n  agentpmt diagnose error.json --message message.txt --payload payload.json',
    )
    .action(
      async (
        errorFile: string,
        options: {
          message: string
          payload?: string
          sent?: string
          earlier: string[]
          status: number
          exact?: boolean
          json?: boolean
        },
      ) => {
        const stdinTwice = [
          errorFile,
          options.message,
          options.payload,
          options.sent,
          ...options.earlier,
        ].filter((f) => f === '-')
        if (stdinTwice.length > 1)
          throw new InputError('Only one input can be - (stdin): give the others as files.')
        const body = await readJsonObject(context, errorFile)
        const message = await readMessage(context, options.message, {
          exact: options.exact === true,
        })
        const payload =
          options.payload === undefined ? undefined : await readJsonObject(context, options.payload)
        const sent =
          options.sent === undefined ? undefined : await readJsonObject(context, options.sent)
        const earlierErrors = await Promise.all(
          options.earlier.map((file) => readJsonObject(context, file)),
        )
        const error = parseApiError(options.status, body)
        const diagnosis = diagnoseSignature({
          message,
          error,
          earlierErrors,
          ...(payload ? { payload } : {}),
          ...(sent ? { sent } : {}),
        })
        const recovery = recoveryFor(error)
        outputFor(context, options).result(
          {
            status: error.status,
            errorCode: error.errorCode ?? null,
            recovery,
            problems: diagnosis.problems,
            findings: diagnosis.findings,
            summary: diagnosis.summary,
            checklist: error.errorDetails.checklist,
          },
          () => describe(error.shortMessage, recovery, diagnosis, error.errorDetails.checklist),
        )
      },
    )
}

function describe(
  headline: string,
  recovery: string,
  diagnosis: SignatureDiagnosis,
  checklist: readonly string[],
): string {
  const lines = [headline, `recovery: ${recovery}`, '']
  if (diagnosis.problems.length === 0) lines.push('No problem found in the message.')
  for (const problem of diagnosis.problems) {
    const where =
      problem.line === undefined
        ? ''
        : `line ${problem.line}${problem.field ? ` (${problem.field})` : ''}: `
    lines.push(`- ${where}${problem.kind}`)
    lines.push(`  ${problem.explanation}`)
    if (problem.ours !== undefined) lines.push(`  yours:    ${problem.ours}`)
    if (problem.expected !== undefined) lines.push(`  expected: ${problem.expected}`)
    if (problem.payloadFindings?.length)
      lines.push(`  payload:  ${problem.payloadFindings.join(', ')}`)
  }
  if (diagnosis.findings.length) lines.push('', 'Findings:')
  for (const finding of diagnosis.findings) {
    lines.push(`- ${finding.line === undefined ? '' : `line ${finding.line}: `}${finding.mistake}`)
    lines.push(`  ${finding.explanation}`)
    lines.push(`  fix:  ${finding.fix}`)
    if (finding.code !== undefined) lines.push(`  code: ${finding.code}`)
  }
  lines.push('', diagnosis.summary)
  if (checklist.length) lines.push('', 'Server checklist:', ...checklist.map((item) => `- ${item}`))
  return lines.join('\n')
}

function httpStatus(value: string): number {
  const status = Number(value)
  if (!Number.isInteger(status) || status < 100 || status > 599)
    throw new InvalidArgumentError('must be an HTTP status code (100-599).')
  return status
}
