import { createInterface } from 'node:readline'
import { canonicalize, sha256Hex } from '@agentpmt-kit/canonical-json'
import {
  apiPaths,
  buildMessage,
  type MessageInput,
  parseMessage,
  toolInvokePath,
  workflowTokenHeader,
} from '@agentpmt-kit/message-builder'
import { recoverMessageSigner, verifyMessageSignature } from '@agentpmt-kit/signer-viem'
import { capabilities } from './cases.js'
import { packageVersion } from './internal/version.js'
import { type InProcessAdapter, protocolVersion } from './runVectors.js'

type Json = Record<string, unknown>

/**
 * The TypeScript toolkit as a conformance adapter, in process: it answers each message of the
 * JSON-lines protocol with the toolkit's packages, every capability. The reference every other
 * adapter is compared with; {@link serveAdapter} puts it on a process's stdin and stdout.
 *
 * @example
 * ```ts
 * import { referenceAdapter, runVectors } from '@agentpmt-kit/conformance'
 *
 * const report = await runVectors({ adapter: referenceAdapter })
 * report.verdict // 'pass'
 * ```
 */
export const referenceAdapter: InProcessAdapter = {
  async handle(message) {
    const request = message as Json
    if (request.cmd === 'start')
      return {
        ready: true,
        protocol: protocolVersion,
        implementation: {
          name: '@agentpmt-kit (reference)',
          language: 'typescript',
          version: packageVersion(),
        },
        capabilities,
      }
    if (request.cmd !== 'case') return undefined
    try {
      return {
        id: request.id,
        output: await answer(String(request.capability), request.input as Json),
      }
    } catch (error) {
      return {
        id: request.id,
        error:
          error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error),
      }
    }
  },
}

/**
 * Serves an in-process adapter over JSON lines: one message per line read from `input`, its
 * answer written as one line to `output`, until `stop` or the end of `input`. This is what
 * `agentpmt conformance adapter` runs with the {@link referenceAdapter}.
 *
 * @example
 * ```ts
 * import { referenceAdapter, serveAdapter } from '@agentpmt-kit/conformance'
 *
 * await serveAdapter(referenceAdapter, { input: process.stdin, output: process.stdout })
 * ```
 */
export async function serveAdapter(
  adapter: InProcessAdapter,
  streams: { input: NodeJS.ReadableStream; output: { write(text: string): unknown } },
): Promise<void> {
  const lines = createInterface({ input: streams.input, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of lines) {
    if (line.trim() === '') continue
    const message = JSON.parse(line) as Json
    if (message.cmd === 'stop') {
      lines.close()
      return
    }
    const answer = await adapter.handle(message)
    if (answer !== undefined) streams.output.write(`${JSON.stringify(answer)}\n`)
  }
}

async function answer(capability: string, input: Json): Promise<unknown> {
  switch (capability) {
    case 'canonicalize': {
      const value = JSON.parse(input.json as string) as unknown
      return { raw: canonicalize(value), ascii: canonicalize(value, { ascii: true }) }
    }
    case 'hash': {
      const value = JSON.parse(input.json as string) as unknown
      return {
        raw_sha256: sha256Hex(canonicalize(value)),
        ascii_sha256: sha256Hex(canonicalize(value, { ascii: true })),
      }
    }
    case 'message':
      return { message: buildMessage(messageInputOf(input)) }
    case 'sign': {
      const { privateKeyToAccount } = await import('viem/accounts')
      const account = privateKeyToAccount(input.private_key as `0x${string}`)
      const { createViemSigner } = await import('@agentpmt-kit/signer-viem')
      const signer = createViemSigner(account)
      return {
        address: signer.address.toLowerCase(),
        signature: await signer.signMessage(input.message as string),
      }
    }
    case 'recover': {
      const message = input.message as string
      const signature = input.signature as string
      const valid = await verifyMessageSignature({
        address: input.address as string,
        message,
        signature,
      })
      let recovered: string | null = null
      try {
        recovered = (await recoverMessageSigner({ message, signature })).toLowerCase()
      } catch {
        recovered = null
      }
      return { valid, recovered }
    }
    case 'request':
      return request(input)
    case 'refuse':
      return refuse(input)
    default:
      throw new Error(`unknown capability ${capability}`)
  }
}

function messageInputOf(input: Json): MessageInput {
  const { payload_hash: payloadHash, payload, ...fields } = input
  return (payloadHash === undefined
    ? { ...fields, payload: payload ?? null }
    : payload === undefined
      ? { ...fields, payloadHash }
      : { ...fields, payload, payloadHash }) as unknown as MessageInput
}

async function request(input: Json): Promise<unknown> {
  const endpoint = input.endpoint as Json
  const fields = input.fields as Json
  const name = endpoint.name as string
  const jobId = endpoint.job_id as string
  if (name === 'workflow_create' || name === 'workflow_publish') {
    const path =
      name === 'workflow_create'
        ? apiPaths.workflowCreate(jobId)
        : apiPaths.workflowPublish(jobId, endpoint.workflow_id as string)
    return {
      path,
      headers: { [workflowTokenHeader]: `Bearer ${input.workflow_token as string}` },
      payload_canonical: null,
      payload_sha256: null,
      message: null,
      signature: null,
      body: canonicalize(fields),
    }
  }
  const { privateKeyToAccount } = await import('viem/accounts')
  const { createViemSigner } = await import('@agentpmt-kit/signer-viem')
  const signer = createViemSigner(privateKeyToAccount(input.private_key as `0x${string}`))
  const wallet = signer.address.toLowerCase()
  if (name === 'session')
    return {
      path: apiPaths.session,
      payload_canonical: null,
      payload_sha256: null,
      message: null,
      signature: null,
      body: canonicalize({ ...fields, wallet_address: wallet }),
    }
  const ascii = input.hash_form === 'ascii'
  const route = routeOf(name, endpoint, fields)
  if (route === undefined) throw new Error(`unknown endpoint ${name}`)
  const payloadCanonical = route.payload === null ? null : canonicalize(route.payload, { ascii })
  const payloadHash = payloadCanonical === null ? null : sha256Hex(payloadCanonical)
  const message = buildMessage({
    wallet,
    session: input.session as string,
    request: input.request_id as string,
    scope: route.scope,
    ...(payloadHash === null ? { payload: null } : { payloadHash }),
  } as MessageInput)
  const signature = await signer.signMessage(message)
  return {
    path: route.path,
    payload_canonical: payloadCanonical,
    payload_sha256: payloadHash,
    message,
    signature,
    body: canonicalize({
      ...fields,
      wallet_address: wallet,
      session_nonce: input.session,
      request_id: input.request_id,
      signature,
    }),
  }
}

type Route = { path: string; scope: MessageInput['scope']; payload: Json | null }

function routeOf(name: string, endpoint: Json, fields: Json): Route | undefined {
  const jobId = endpoint.job_id as string
  switch (name) {
    case 'job_list':
      return { path: apiPaths.list, scope: { action: 'job_list' }, payload: fields }
    case 'job_reserve':
      return {
        path: apiPaths.reserve(jobId),
        scope: { action: name, product: jobId },
        payload: fields,
      }
    case 'job_complete':
      return {
        path: apiPaths.complete(jobId),
        scope: { action: name, product: jobId },
        payload: fields,
      }
    case 'job_status':
      return {
        path: apiPaths.status(jobId),
        scope: { action: name, product: jobId },
        payload: fields,
      }
    case 'balance':
      return { path: apiPaths.balance, scope: { action: 'balance' }, payload: null }
    case 'tool_invoke': {
      const product = endpoint.product_slug as string
      const action = endpoint.action_slug as string
      return {
        path: apiPaths.toolInvoke(product, action),
        scope: { method: 'POST', path: toolInvokePath(product, action) },
        payload: fields.parameters as Json,
      }
    }
    default:
      return undefined
  }
}

function refuse(input: Json): unknown {
  const options = input.options as { max_depth?: number } | undefined
  try {
    if (input.kind === 'canonical')
      canonicalize(
        decodeSpecial(input.input),
        options?.max_depth === undefined ? {} : { maxDepth: options.max_depth },
      )
    else if (input.kind === 'message') buildMessage(messageInputOf(input.input as Json))
    else parseMessage(input.input as string)
  } catch (error) {
    return { refused: true, error: error instanceof Error ? error.name : String(error) }
  }
  return { refused: false }
}

/** Sets an own member, `__proto__` included (an assignment would set the prototype instead). */
function setMember(object: Json, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

/** The `{"$special": ...}` encoding of vectors/README.md, as JavaScript values. */
function decodeSpecial(
  encoded: unknown,
  ancestors: readonly object[] = [],
  shared: Map<unknown, unknown> = new Map(),
): unknown {
  if (Array.isArray(encoded)) {
    const array: unknown[] = []
    for (const member of encoded) array.push(decodeSpecial(member, [...ancestors, array], shared))
    return array
  }
  if (typeof encoded !== 'object' || encoded === null) return encoded
  const tagged = encoded as Json
  if (!('$special' in tagged)) {
    const object: Json = {}
    for (const [key, member] of Object.entries(tagged))
      setMember(object, key, decodeSpecial(member, [...ancestors, object], shared))
    return object
  }
  switch (tagged.$special) {
    case 'NaN':
      return Number.NaN
    case 'negative_zero':
      return -0
    case 'date':
      return new Date(tagged.iso as string)
    case 'shared':
      if ('value' in tagged) shared.set(tagged.name, decodeSpecial(tagged.value, ancestors, shared))
      return shared.get(tagged.name)
    case 'Infinity':
      return Number.POSITIVE_INFINITY
    case '-Infinity':
      return Number.NEGATIVE_INFINITY
    case 'undefined':
      return undefined
    case 'bigint':
      return BigInt(tagged.value as string)
    case 'function':
      return () => undefined
    case 'symbol':
      return Symbol('vector')
    case 'class_instance':
      return new (class Point {
        x = 1
      })()
    case 'map':
      return new Map([['a', 1]])
    case 'utf16':
      return String.fromCharCode(
        ...(tagged.units as string[]).map((unit) => Number.parseInt(unit, 16)),
      )
    case 'entries': {
      const object: Json = {}
      for (const [key, member] of tagged.entries as [unknown, unknown][])
        setMember(
          object,
          decodeSpecial(key) as string,
          decodeSpecial(member, [...ancestors, object], shared),
        )
      return object
    }
    case 'ancestor':
      return ancestors[ancestors.length - (tagged.levels as number)]
    case 'nest': {
      let value = decodeSpecial(tagged.leaf, [], shared)
      for (let level = 0; level < (tagged.depth as number); level++) value = [value]
      return value
    }
    default:
      throw new Error(`unknown $special ${String(tagged.$special)}`)
  }
}
