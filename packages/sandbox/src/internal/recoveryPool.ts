import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import {
  createSignatureVerifier,
  type SignatureParts,
  serializeSignature,
} from '@agentpmt-kit/message-builder'
import { recoverMessageSigner } from '@agentpmt-kit/signer-viem'
import type { RecoverSigner } from '../verifySignature.js'

// A worker runs viem's recovery primitive exactly as @agentpmt-kit/signer-viem calls it (EIP-191
// hash of the message's UTF-8 text, then ecrecover) and says when it is ready. It is CommonJS
// source, not a file of this package, so that it runs the same from dist/ and from src/ under the
// tests, and it loads only `viem/utils`, by the absolute path the main thread resolved.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const { hashMessage, recoverAddress } = require(workerData.viemUtils)
parentPort.on('message', ({ id, message, signature }) => {
  recoverAddress({ hash: hashMessage(message), signature }).then(
    (address) => parentPort.postMessage({ id, address }),
    (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
  )
})
parentPort.postMessage({ ready: true })
`

/**
 * Signature recovery on worker threads, so that the event loop keeps reading and answering
 * requests while signatures are recovered. What is accepted (signature shape, low s, v) is decided
 * on the main thread by message-builder's `createSignatureVerifier`, as `recoverMessageSigner` of
 * signer-viem does; only the curve arithmetic runs in a worker, so both give the same answer for
 * every input.
 *
 * The workers start the first time two recoveries are in hand at once: a sandbox whose clients
 * send one request at a time (most tests) starts none. Until one has loaded, after they have
 * stopped, and for good if one fails to load, signers are recovered on the event loop. Each job goes to the ready worker with the
 * fewest in hand.
 */
export type RecoveryPool = {
  recover: RecoverSigner
  /** Signatures recovered on a worker so far. */
  readonly recoveredOnWorkers: number
  /** Stops every worker; a recovery still in hand rejects with {@link WorkerStoppedError}. */
  close(): Promise<void>
}

type Slot = { worker: Worker; ready: boolean; jobs: Map<number, Job> }
type Job = { resolve(address: string): void; reject(error: Error): void }
type Answer = { ready?: true; id: number; address?: string; error?: string }

/** A recovery that could not run: its worker stopped or failed (not a verdict on the signature). */
export class WorkerStoppedError extends Error {
  override name = 'Sandbox.WorkerStoppedError'
}

export function createRecoveryPool(size: number): RecoveryPool {
  const workerData = { viemUtils: createRequire(import.meta.url).resolve('viem/utils') }
  const slots: Slot[] = []
  let onEventLoop = 0
  let onWorkers = 0
  let nextId = 0
  let closed = false
  let broken = false

  const start = (): void => {
    // No inherited Node.js flags: `--input-type=module` (a script run with --eval) would make
    // this CommonJS source fail, and the worker needs no other.
    const worker = new Worker(workerSource, { eval: true, workerData, execArgv: [] })
    const slot: Slot = { worker, ready: false, jobs: new Map() }
    const fail = (error: Error): void => {
      // A worker that could not even load is not started again: recovery stays on the event loop.
      if (!slot.ready) broken = true
      if (slots.includes(slot)) slots.splice(slots.indexOf(slot), 1)
      for (const job of slot.jobs.values()) job.reject(error)
      slot.jobs.clear()
    }
    worker.on('message', ({ ready, id, address, error }: Answer) => {
      if (ready) {
        slot.ready = true
        return
      }
      const job = slot.jobs.get(id)
      slot.jobs.delete(id)
      if (address !== undefined) job?.resolve(address)
      else job?.reject(new Error(error))
    })
    worker.on('error', (error) => fail(new WorkerStoppedError(error.message, { cause: error })))
    worker.on('exit', (code) => fail(new WorkerStoppedError(`signature worker exited (${code})`)))
    slots.push(slot)
  }

  const onWorker = (message: string, parts: SignatureParts): Promise<string> => {
    let chosen: Slot | undefined
    for (const slot of slots)
      if (slot.ready && (chosen === undefined || slot.jobs.size < chosen.jobs.size)) chosen = slot
    const slot = chosen
    if (slot === undefined)
      return Promise.reject(new WorkerStoppedError('no signature worker is running'))
    const id = nextId++
    onWorkers += 1
    return new Promise((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject })
      slot.worker.postMessage({ id, message, signature: serializeSignature(parts) })
    })
  }
  const verifier = createSignatureVerifier(onWorker)

  return {
    get recoveredOnWorkers() {
      return onWorkers
    },
    async recover(input) {
      if (!closed && !broken && slots.length === 0 && onEventLoop > 0)
        for (let index = 0; index < size; index++) start()
      if (!slots.some((slot) => slot.ready)) {
        onEventLoop += 1
        try {
          return await recoverMessageSigner(input)
        } finally {
          onEventLoop -= 1
        }
      }
      try {
        return await verifier.recoverMessageSigner(input)
      } catch (error) {
        // createSignatureVerifier reads any failure of the primitive as an unrecoverable
        // signature; a stopped worker is not one, and must not be answered as a malformed
        // signature.
        const cause = (error as { cause?: unknown }).cause
        throw cause instanceof WorkerStoppedError ? cause : error
      }
    },
    async close() {
      closed = true
      await Promise.all(slots.map((slot) => slot.worker.terminate()))
    },
  }
}
