import { findingOf, hypothesisExplanations } from './internal/findings.js'
import { safe } from './internal/hypotheses.js'
import { type CanonicalForm, writtenTexts } from './internal/serializations.js'
import type { SignatureFinding } from './signatureDiagnosis.js'

/**
 * The answer of {@link diagnoseCanonicalJson}: one finding per mistake (several when more than
 * one encoder writes the same bytes), none when the output is canonical or no known way of
 * writing gives it.
 *
 * @example
 * ```ts
 * import type { CanonicalJsonDiagnosis } from '@agentpmt-kit/error-recovery'
 *
 * declare const diagnosis: CanonicalJsonDiagnosis
 * for (const finding of diagnosis.findings) console.log(finding.language, finding.setting)
 * ```
 */
export type CanonicalJsonDiagnosis = {
  findings: readonly SignatureFinding[]
  /** One sentence: canonical, the encoder default it looks like and what turns it off, or unknown. */
  summary: string
}

/**
 * Input of {@link diagnoseCanonicalJson}.
 *
 * @example
 * ```ts
 * import type { DiagnoseCanonicalJsonInput } from '@agentpmt-kit/error-recovery'
 *
 * const input: DiagnoseCanonicalJsonInput = { expected: '{"a":"&"}', actual: '{"a":"\\u0026"}' }
 * ```
 */
export type DiagnoseCanonicalJsonInput = {
  /** The canonical JSON text expected (raw or ASCII form). */
  expected: string
  /** The text an implementation wrote for the same value. */
  actual: string
  /**
   * The one canonical form `actual` must be (a conformance case's `raw` or `ascii` field): the
   * other form is then a mistake too, and an encoder that writes it by default (PHP's ASCII form)
   * is named. Either form is right when omitted.
   */
  form?: 'raw' | 'ascii' | undefined
}

/**
 * Tells which known way of writing JSON turns the `expected` canonical text into `actual`: a
 * standard encoder's default (Go's `encoding/json`, PHP's `json_encode`, Gson,
 * System.Text.Json, Rails' `to_json`, a hash map's key order), or one of the other mistakes
 * {@link diagnoseSignature} knows (whitespace, unsorted keys, Python floats). Each finding names
 * the `language`, `encoder` and `setting` that turns it off, with a line of code. The raw and
 * ASCII forms are both canonical: either one gives no finding, unless `form` asks for one of them.
 *
 * @example
 * ```ts
 * import { diagnoseCanonicalJson } from '@agentpmt-kit/error-recovery'
 *
 * const { findings, summary } = diagnoseCanonicalJson({
 *   expected: '{"url":"https://x.test/?a=1&b=2"}',
 *   actual: '{"url":"https://x.test/?a=1\\u0026b=2"}',
 * })
 * console.log(findings.map((finding) => finding.mistake), summary) // ['go-html-escaping', ...]
 * ```
 */
export function diagnoseCanonicalJson(input: DiagnoseCanonicalJsonInput): CanonicalJsonDiagnosis {
  const { expected, actual, form } = input
  const value = safe(() => JSON.parse(expected) as unknown)
  if (value === undefined) return { findings: [], summary: 'The expected text is not JSON.' }
  const matches = writtenTexts(value, form).filter((written) => written.text === actual)
  if (matches.some((written) => written.mistakes.length === 0))
    return { findings: [], summary: 'The output is a canonical form of the expected value.' }
  const [first, ...others] = matches
  if (first === undefined) return { findings: [], summary: unexplained(value, actual, form) }
  const hypothesis = {
    mistakes: first.mistakes,
    alternatives: others
      .filter((written) => written.mistakes.length === first.mistakes.length)
      .map((written) => written.mistakes),
    shown: first.shown ?? [],
    side: 'client' as const,
  }
  const findings: SignatureFinding[] = []
  for (const [mistakes, explanation] of hypothesisExplanations(hypothesis, 'output'))
    for (const mistake of mistakes)
      if (!findings.some((finding) => finding.mistake === mistake))
        findings.push(findingOf(mistake, explanation))
  return { findings, summary: summaryOf(findings) }
}

function unexplained(value: unknown, actual: string, form: CanonicalForm | undefined): string {
  const other = form === 'raw' ? 'ascii' : 'raw'
  return form !== undefined &&
    writtenTexts(value, other).some(
      (written) => written.mistakes.length === 0 && written.text === actual,
    )
    ? `The output is the ${other} form; the ${form} form was asked.`
    : 'No known encoder default or mistake writes the expected value this way.'
}

function summaryOf(findings: readonly SignatureFinding[]): string {
  const items = findings.map((finding) =>
    finding.language === undefined
      ? `${finding.mistake}: ${finding.fix}`
      : `${finding.language} ${finding.encoder} (${finding.mistake}): ${finding.setting}`,
  )
  return `The output looks like ${items.join('; or ')}.`
}
