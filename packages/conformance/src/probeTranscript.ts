import { asRecord, parseJson } from './internal/json.js'
import type { ProbeExchange } from './probeTypes.js'

type JsonRecord = Record<string, unknown>

/**
 * Every request and answer of a probe (and the wallet that sent them), redacted, as JSON text to save: signatures become
 * `<signature>`, session nonces and workflow tokens their first 6 characters and `…`, and any
 * text that `secret` matches (the wallet's private key) `<redacted key>`.
 *
 * @example
 * ```ts
 * import { probe, probeTranscript, type ProbeExchange } from '@agentpmt-kit/conformance'
 *
 * const exchanges: ProbeExchange[] = []
 * const report = await probe({ baseUrl: 'http://127.0.0.1:8787', onExchange: (e) => exchanges.push(e) })
 * const text = probeTranscript(exchanges, { baseUrl: report.baseUrl })
 * ```
 */
export function probeTranscript(
  exchanges: readonly ProbeExchange[],
  target: { baseUrl: string; secret?: RegExp | undefined },
): string {
  const secrets = new Set<string>()
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) collect(item)
    const record = asRecord(value)
    if (record === undefined) return
    for (const [key, member] of Object.entries(record)) {
      if ((key === 'session_nonce' || key === 'access_token') && typeof member === 'string')
        secrets.add(member)
      collect(member)
    }
  }
  for (const exchange of exchanges) {
    collect(exchange.json)
    collect(parseJson(exchange.requestBody))
  }
  const ordered = [...secrets]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
  const keyPattern = target.secret
  const redactString = (text: string): string => {
    let redacted = text.replace(/0x[0-9a-fA-F]{130}/g, '<signature>')
    for (const secret of ordered) redacted = redacted.replaceAll(secret, shortSecret(secret))
    return keyPattern === undefined ? redacted : redacted.replace(keyPattern, '<redacted key>')
  }
  const redact = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key === 'signature' ? '<signature>' : redactString(value)
    if (Array.isArray(value)) return value.map((item) => redact(item))
    const record = asRecord(value)
    if (record === undefined) return value
    const copy: JsonRecord = {}
    for (const [name, member] of Object.entries(record)) copy[name] = redact(member, name)
    return copy
  }
  const bodyValue = (text: string): unknown => {
    const json = parseJson(text)
    return json === undefined ? redactString(text) : redact(json)
  }
  const transcript = {
    probe: 'agentpmt probe',
    baseUrl: target.baseUrl,
    wallet: asRecord(parseJson(exchanges[0]?.requestBody ?? ''))?.wallet_address ?? null,
    redaction:
      'signatures as <signature>; session nonces and workflow tokens as their first 6 characters and …',
    exchanges: exchanges.map((exchange) => ({
      step: exchange.step,
      sentAt: new Date(exchange.sentAt).toISOString(),
      durationMs: exchange.receivedAt - exchange.sentAt,
      request: {
        method: 'POST',
        path: exchange.path,
        headers: {
          'content-type': 'application/json',
          // The token itself is never written, only the header it went in.
          ...(exchange.workflowTokenHeader && {
            [exchange.workflowTokenHeader]: 'Bearer <workflow token>',
          }),
        },
        body: bodyValue(exchange.requestBody),
      },
      response: {
        status: exchange.status,
        headers: selectedHeaders(exchange.headers),
        body: bodyValue(exchange.text),
      },
    })),
  }
  return `${redactString(JSON.stringify(transcript, null, 2))}\n`
}

function shortSecret(secret: string): string {
  return `${secret.slice(0, 6)}…`
}

function selectedHeaders(headers: Headers): Record<string, string> {
  const selected: Record<string, string> = {}
  for (const name of ['content-type', 'date', 'retry-after', 'location']) {
    const value = headers.get(name)
    if (value !== null) selected[name] = value
  }
  return selected
}
