// Interleaved rounds over child processes (bench/check-child.mjs), for bench/check.mjs and
// bench/targets.mjs: each contender (a build of canonical-json, or a peer) runs in processes of its
// own that load it and one class's values alone; the parent times one contender at a time.
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { root } from './builds.mjs'

const child = join(root, 'bench/check-child.mjs')

/** The child's next message; rejects if it exits first. */
function reply(running) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`bench/check-child.mjs exited with ${code}`))
    running.once('exit', onExit)
    running.once('message', (message) => {
      running.off('exit', onExit)
      resolve(message)
    })
  })
}

/** A started child of `contender` on `valuesFile`, with the digests it sent once warm. */
async function startChild({ dist, forms }, { valuesFile, batchMs, quick }) {
  const started = fork(
    child,
    [
      dist,
      valuesFile,
      '--batch-ms',
      String(batchMs),
      '--forms',
      forms.join(','),
      ...(quick ? ['--quick'] : []),
    ],
    {
      execArgv: ['--expose-gc', '--single-threaded-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  const { digests } = await reply(started)
  return { process: started, digests }
}

/**
 * `rounds` interleaved rounds of every contender (`{ dist, forms }`: a build's dist directory or
 * `peer:<package>`, and the forms it runs) on the values in `valuesFile`. Returns, per contender
 * and form, the time per operation of each round (ms) and the digests of its outputs.
 *
 * The rounds are spread over `processes` processes of each contender, one after another: how V8
 * happens to optimize code differs from process to process (by 10 % and more on the small
 * classes), so one process each would compare two draws of that, not two contenders. A round
 * runs two batches per contender, in the order A B B A (reversed every other round; the forms'
 * order alternates too), and keeps the faster: on a shared machine noise only ever adds time (a
 * batch preempted, its caches refilled after another process ran).
 */
export async function interleavedRounds(
  contenders,
  { valuesFile, rounds, processes, batchMs, quick },
) {
  const times = contenders.map(({ forms }) => Object.fromEntries(forms.map((form) => [form, []])))
  const digests = contenders.map(({ forms }) =>
    Object.fromEntries(forms.map((form) => [form, new Set()])),
  )
  let children = []
  let set = -1
  for (let round = 0; round < rounds; round++) {
    const wanted = Math.floor((round * processes) / rounds)
    if (wanted !== set) {
      for (const running of children) running.process.send({ exit: true })
      children = []
      // One after another: a child warming up while another is timed would share its cores.
      for (const contender of contenders)
        children.push(await startChild(contender, { valuesFile, batchMs, quick }))
      children.forEach(({ digests: sent }, index) => {
        for (const [form, digest] of Object.entries(sent)) digests[index][form].add(digest)
      })
      set = wanted
    }
    const order = contenders.map((_, index) => index)
    if (round % 2 === 1) order.reverse()
    const formOrder = Math.floor(round / 2) % 2 === 0 ? ['raw', 'ascii'] : ['ascii', 'raw']
    const fastest = contenders.map(() => ({}))
    for (const index of [...order, ...[...order].reverse()]) {
      children[index].process.send({ forms: formOrder })
      const { ms } = await reply(children[index].process)
      for (const [form, time] of Object.entries(ms))
        fastest[index][form] = Math.min(fastest[index][form] ?? Number.POSITIVE_INFINITY, time)
    }
    fastest.forEach((byForm, index) => {
      for (const [form, time] of Object.entries(byForm)) times[index][form].push(time)
    })
  }
  for (const running of children) running.process.send({ exit: true })
  return { times, digests }
}

/** The `q` quantile (0-1) of a list of numbers. */
export function quantile(list, q) {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}
