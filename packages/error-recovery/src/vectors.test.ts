import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sha256Hex } from '@agentpmt-kit/canonical-json'
import { parseMessage } from '@agentpmt-kit/message-builder'
import { describe, expect, test } from 'vitest'
import {
  type ApiEndpoint,
  ApiError,
  type DiagnoseSignatureInput,
  diagnoseSignature,
  parseApiError,
  recoveryFor,
} from './index.js'

type Expected = {
  className: string
  classifiedBy?: 'error_code' | 'status'
  errorCode: string | null
  detail?: string | null
  checklist?: string[]
  recovery: string
  retryAfterMs?: number | null
  mustNotContain?: string[]
  diagnosis?: {
    kinds: string[]
    lines: number[]
    payloadFindings?: string[]
    findings?: string[]
  }
}
type Case = {
  name: string
  status: number
  endpoint?: ApiEndpoint
  body: unknown
  headers?: Record<string, string>
  now?: string
  signed?: {
    message: string
    payload?: unknown
    sent?: unknown
    earlierErrors?: unknown[]
    hashedText?: string
  }
  expected: Expected
}

const folder = join(dirname(fileURLToPath(import.meta.url)), '../../../vectors/errors')
const files = readdirSync(folder).filter((file) => file.endsWith('.json'))

test('the vector files are there', () => {
  expect(files.sort()).toEqual([
    'codes.json',
    'encoders.json',
    'mismatches.json',
    'statuses.json',
    'unparseable.json',
  ])
})

for (const file of files) {
  const { cases } = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { cases: Case[] }
  describe(file, () => {
    test.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_, entry) => {
      const error = parseApiError(entry.status, entry.body, {
        endpoint: entry.endpoint,
        headers: entry.headers,
        now: entry.now === undefined ? undefined : Date.parse(entry.now),
      })
      const { expected } = entry
      expect(error).toBeInstanceOf(ApiError)
      expect(error.name).toBe(`ErrorRecovery.${expected.className}`)
      expect(error.constructor.name).toBe(expected.className)
      expect(error.status).toBe(entry.status)
      expect(error.errorCode).toBe(expected.errorCode ?? undefined)
      if (expected.classifiedBy) expect(error.classifiedBy).toBe(expected.classifiedBy)
      if ('detail' in expected) expect(error.detail).toBe(expected.detail ?? undefined)
      if (expected.checklist) expect(error.errorDetails.checklist).toEqual(expected.checklist)
      expect(recoveryFor(error)).toBe(expected.recovery)
      if ('retryAfterMs' in expected)
        expect(error.retryAfterMs).toBe(expected.retryAfterMs ?? undefined)
      // A text or HTML body is never shown as markup.
      expect(error.detail ?? '').not.toMatch(/<\/?[a-z][^>]*>/i)
      for (const secret of expected.mustNotContain ?? []) {
        expect(error.message).not.toContain(secret)
        expect(JSON.stringify(error.body)).not.toContain(secret)
        expect(JSON.stringify(error.errorDetails)).not.toContain(secret)
      }
      if (expected.diagnosis && entry.signed) {
        // The server's message must be one that message-builder would write.
        if (error.errorDetails.expected_message !== undefined)
          expect(() => parseMessage(String(error.errorDetails.expected_message))).not.toThrow()
        const { earlierErrors, hashedText, ...signed } = entry.signed
        // encoders.json: the payload line is the hash of the text as the encoder wrote it.
        if (hashedText !== undefined)
          expect(signed.message.endsWith(`\npayload:${sha256Hex(hashedText)}`)).toBe(true)
        const diagnosis = diagnoseSignature({
          ...signed,
          error,
          earlierErrors: earlierErrors as DiagnoseSignatureInput['earlierErrors'],
        })
        expect(diagnosis.problems.map((problem) => problem.kind)).toEqual(expected.diagnosis.kinds)
        expect(
          diagnosis.problems.flatMap((problem) =>
            problem.line === undefined ? [] : [problem.line],
          ),
        ).toEqual(expected.diagnosis.lines)
        const payloadProblem = diagnosis.problems.find((p) => p.kind === 'payload-hash-differs')
        if (expected.diagnosis.payloadFindings)
          expect([...(payloadProblem?.payloadFindings ?? [])].sort()).toEqual(
            [...expected.diagnosis.payloadFindings].sort(),
          )
        expect(diagnosis.summary).toContain('never sign details.expected_message')
        // Each mistake is found from its vector alone, and nothing else is.
        if (expected.diagnosis.findings)
          expect(diagnosis.findings.map((finding) => finding.mistake).sort()).toEqual(
            [...expected.diagnosis.findings].sort(),
          )
        for (const finding of diagnosis.findings) expect(finding.fix).not.toContain('\n')
      }
    })
  })
}
