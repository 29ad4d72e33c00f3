// The signature debugger's logic, run in the browser (bundled by docs/theme/debugger-plugin.mjs):
// what the server rebuilds from a signed request body, the address its signature recovers to,
// and, when that is not the body's wallet, which known mistake reproduces the signature and
// error-recovery's diagnosis with the fix. Nothing here sends anything anywhere.
import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import { diagnoseSignature, payloadHashHypotheses } from '@agentpmt-kit/error-recovery'
import {
  acceptedPathCandidates,
  buildMessage,
  canonicalPath,
  messagePrefix,
  payloadOf,
} from '@agentpmt-kit/message-builder'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'

const jobPattern = /^\/external\/jobs\/([^/]+)\/(reserve|complete|status)$/
const toolPattern = /^\/external\/tools\/[^/]+\/actions\/[^/]+\/invoke$/

/** A user's input that cannot be read: shown as it is, never thrown past the page. */
export class InputError extends Error {
  name = 'Debugger.InputError'
}

/**
 * What the server signs for `endpoint`: the scope lines and the object it hashes (`null`: the
 * payload line is empty).
 */
function endpointOf(endpoint, method, body) {
  const path = String(endpoint ?? '').trim()
  if (!path.startsWith('/'))
    throw new InputError('The endpoint must be a path such as /api/external/jobs/list.')
  const canonical = canonicalPath(path)
  if (canonical === '/external/jobs/list')
    return {
      scope: { action: 'job_list', product: '-' },
      payload: payloadOf(body),
      source: 'the body minus wallet_address, session_nonce, request_id, signature',
    }
  if (canonical === '/external/credits/balance')
    return {
      scope: { action: 'balance', product: '-' },
      payload: null,
      source: 'nothing: the balance check has no payload object, so the payload line is empty',
    }
  const job = jobPattern.exec(canonical)
  if (job) {
    const [, jobId, verb] = job
    return verb === 'complete'
      ? {
          scope: { action: 'job_complete', product: jobId },
          payload: payloadOf(body),
          source: 'the body minus wallet_address, session_nonce, request_id, signature',
        }
      : {
          scope: { action: `job_${verb}`, product: jobId },
          payload: {},
          source: `{} (a ${verb} hashes the empty object)`,
        }
  }
  if (toolPattern.test(canonical)) {
    const parameters = body?.parameters
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
      throw new InputError('A tool invoke body carries its inputs as an object under "parameters".')
    return {
      scope: { method: String(method || 'POST').toUpperCase(), path: canonical },
      payload: parameters,
      source: 'the "parameters" object only',
      acceptedPaths: acceptedPathCandidates(path),
    }
  }
  throw new InputError(
    `${path} is not an endpoint the debugger knows (jobs list, reserve, complete, status, credits balance, tool invoke).`,
  )
}

/** Each line of a message with what it must be. */
function explainLines(message, context) {
  const rules = {
    prefix: `exactly "${messagePrefix}"`,
    wallet: 'wallet_address of the body, lower case',
    session:
      'session_nonce of the body: the nonce of a live session (POST /api/external/auth/session)',
    request: 'request_id of the body: fresh for every request',
    action: "the endpoint's action",
    product: 'the job id, or - when the endpoint has none',
    method: 'the HTTP method, upper case',
    path: `the path; accepted spellings: ${(context.acceptedPaths ?? []).join(', ')}`,
    payload: context.payloadRule,
  }
  return message.split('\n').map((text, index) => {
    const name = index === 0 ? 'prefix' : text.slice(0, text.indexOf(':'))
    return { number: index + 1, text, rule: rules[name] ?? 'not a line of the message' }
  })
}

const parseJson = (text, what) => {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(`${what} is not JSON: ${error.message}`)
  }
}

const recoverOrUndefined = async (message, signature) => {
  try {
    return await recoverMessageSigner({ message, signature })
  } catch {
    return undefined
  }
}

/** The text-shape mistakes tried on a message: each gives the text that would have been signed. */
const textVariants = (message) => [
  {
    label: 'a newline after the last line',
    mistakes: ['trailing-newline'],
    message: `${message}\n`,
  },
  {
    label: 'lines joined by \\r\\n',
    mistakes: ['crlf-line-ends'],
    message: message.replaceAll('\n', '\r\n'),
  },
  {
    label: 'the 0x-hex of the message signed as text',
    mistakes: ['hex-signed'],
    message: `0x${[...new TextEncoder().encode(message)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`,
  },
]

/**
 * Everything the page shows for a signed request. `body` and `refusal` are JSON text; `message`
 * (optional) is the exact text that was signed, when the client logged it.
 */
export async function analyzeRequest({
  body: bodyText,
  endpoint,
  method,
  refusal: refusalText,
  message: givenMessage,
}) {
  const body = parseJson(bodyText, 'The request body')
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InputError('The request body must be a JSON object.')
  for (const field of ['wallet_address', 'session_nonce', 'request_id', 'signature'])
    if (typeof body[field] !== 'string')
      throw new InputError(`The body has no "${field}" string: it is not a signed request.`)
  const refusal = refusalText?.trim() ? parseJson(refusalText, 'The refusal') : undefined
  const target = endpointOf(endpoint, method, body)
  const wallet = body.wallet_address.toLowerCase()
  const signing = {
    wallet: body.wallet_address,
    session: body.session_nonce,
    request: body.request_id,
    scope: target.scope,
  }
  const canonical =
    target.payload === null
      ? undefined
      : { raw: canonicalize(target.payload), ascii: canonicalize(target.payload, { ascii: true }) }
  const hashes = canonical && { raw: sha256Hex(canonical.raw), ascii: sha256Hex(canonical.ascii) }
  const expected = buildMessage(
    hashes ? { ...signing, payloadHash: hashes.raw } : { ...signing, payload: null },
  )
  const expectedAscii =
    hashes && hashes.ascii !== hashes.raw
      ? buildMessage({ ...signing, payloadHash: hashes.ascii })
      : undefined
  const payloadRule = hashes
    ? `sha256 of the canonical JSON of ${target.source}: ${hashes.raw}${expectedAscii ? ` (raw form) or ${hashes.ascii} (ASCII form)` : ''}`
    : `empty: ${target.source}`
  const lines = explainLines(expected, { acceptedPaths: target.acceptedPaths, payloadRule })
  const recovered = await recoverOrUndefined(expected, body.signature)
  const recoveredAscii = expectedAscii && (await recoverOrUndefined(expectedAscii, body.signature))

  const result = {
    wallet,
    payload: target.payload,
    payloadSource: target.source,
    canonical,
    hashes,
    expectedMessage: expected,
    lines,
    recovered,
    signatureReadable: recovered !== undefined,
  }
  if (recovered === wallet || recoveredAscii === wallet) {
    const form = recovered === wallet ? 'raw' : 'ascii'
    return { ...result, valid: true, form, recovered: wallet, serverRefusal: refusal }
  }

  // Which text was signed: the one given, or the first known mistake whose text recovers to the
  // body's wallet.
  let signed
  if (givenMessage) {
    signed = {
      label: 'the message you gave',
      mistakes: [],
      message: givenMessage,
      recovered: await recoverOrUndefined(givenMessage, body.signature),
    }
  } else {
    const candidates = [
      ...textVariants(expected),
      {
        label: 'the wallet line not in lower case',
        mistakes: ['wallet-not-lowercase'],
        message: expected.replace(
          `wallet:${wallet}`,
          `wallet:${body.wallet_address === wallet ? wallet.toUpperCase().replace('0X', '0x') : body.wallet_address}`,
        ),
      },
      ...(target.payload === null ? [] : payloadHashHypotheses(body)).map(({ hash, mistakes }) => ({
        label:
          mistakes.length > 0
            ? `a payload hash made with: ${mistakes.join(', ')}`
            : 'the hash of another object of the body',
        mistakes,
        message: buildMessage({ ...signing, payloadHash: hash }),
      })),
      ...(target.payload === null
        ? []
        : [
            {
              label: 'a hash on a payload line that must be empty',
              mistakes: ['payload-line-not-empty'],
              message: buildMessage({ ...signing, payload: {} }),
            },
          ]),
    ]
    for (const candidate of candidates) {
      if (candidate.message === expected) continue
      if ((await recoverOrUndefined(candidate.message, body.signature)) === wallet) {
        signed = { ...candidate, recovered: wallet }
        break
      }
    }
  }
  const details = refusal?.details ?? {
    expected_message: expected,
    expected_wallet: wallet,
    ...(recovered ? { recovered_wallet_for_expected_message: recovered } : {}),
    ...(hashes
      ? {
          expected_payload_hash: hashes.raw,
          accepted_payload_hashes: [...new Set([hashes.raw, hashes.ascii])],
        }
      : {}),
    ...(target.acceptedPaths ? { accepted_path_candidates: target.acceptedPaths } : {}),
  }
  const diagnosis = diagnoseSignature({
    message: signed?.message ?? expected,
    ...(target.payload === null ? {} : { payload: target.payload }),
    sent: body,
    error: refusal ?? { error_code: 'EXTERNAL_SIGNATURE_WALLET_MISMATCH', details },
  })
  return { ...result, valid: false, signed, diagnosis, serverRefusal: refusal }
}

/** The other way: the message to sign and the body to send (the signature left for you to add). */
export function composeRequest({
  wallet,
  session,
  request,
  endpoint,
  method,
  payload: payloadText,
}) {
  const payload = payloadText?.trim() ? parseJson(payloadText, 'The payload') : {}
  const envelope = { wallet_address: wallet, session_nonce: session, request_id: request }
  const probe = toolPattern.test(canonicalPath(String(endpoint ?? '/')))
    ? { ...envelope, parameters: payload, signature: '' }
    : { ...envelope, ...payload, signature: '' }
  const target = endpointOf(endpoint, method, probe)
  const message = buildMessage({
    wallet,
    session,
    request,
    scope: target.scope,
    payload: target.payload,
  })
  return {
    message,
    body: { ...probe, signature: '0x<the personal_sign signature of the message above>' },
  }
}
