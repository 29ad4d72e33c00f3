// The signature debugger's page: reads the form, shows analyzeRequest's answer, and keeps the
// form in the URL fragment so that a link shares it. No request leaves the page.
import { analyzeRequest, composeRequest } from './analyze.mjs'

const $ = (id) => document.getElementById(id)
const fields = ['dbg-body', 'dbg-endpoint', 'dbg-method', 'dbg-refusal', 'dbg-message']
const composeFields = [
  'dbg-c-wallet',
  'dbg-c-session',
  'dbg-c-request',
  'dbg-c-endpoint',
  'dbg-c-method',
  'dbg-c-payload',
]

const element = (tag, text, className) => {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className) node.className = className
  return node
}
const block = (title, text) => {
  const section = element('section')
  section.append(element('h3', title), element('pre', text))
  return section
}

function saveState() {
  const state = {}
  for (const id of [...fields, ...composeFields]) if ($(id).value) state[id] = $(id).value
  const fragment = new URLSearchParams(state).toString()
  history.replaceState(null, '', fragment ? `#${fragment}` : location.pathname)
}

function loadState() {
  const state = new URLSearchParams(location.hash.slice(1))
  for (const [id, value] of state)
    if ([...fields, ...composeFields].includes(id)) $(id).value = value
}

async function analyze() {
  const out = $('dbg-result')
  out.replaceChildren()
  if (!$('dbg-body').value.trim()) return
  try {
    const result = await analyzeRequest({
      body: $('dbg-body').value,
      endpoint: $('dbg-endpoint').value,
      method: $('dbg-method').value,
      refusal: $('dbg-refusal').value,
      message: $('dbg-message').value,
    })
    const verdict = element(
      'p',
      result.valid
        ? `Valid: the signature recovers to ${result.wallet}, the body's wallet_address (payload hashed in its ${result.form === 'raw' ? 'raw' : 'ASCII'} canonical form; the server accepts both).`
        : `Refused: over the message the server rebuilds, the signature recovers to ${result.recovered ?? '(nothing: the signature is malformed)'}, not ${result.wallet}.`,
      result.valid ? 'dbg-verdict dbg-ok' : 'dbg-verdict dbg-bad',
    )
    verdict.id = 'dbg-verdict'
    out.append(verdict)
    if (!result.valid) {
      const found = element('div')
      found.id = 'dbg-diagnosis'
      found.append(element('h3', "Diagnosis (error-recovery's diagnoseSignature)"))
      if (result.signed && result.signed.mistakes.length > 0)
        found.append(
          element(
            'p',
            `The signature recovers to the wallet over the message rebuilt with ${result.signed.label}.`,
          ),
        )
      const list = element('ul')
      for (const finding of result.diagnosis.findings) {
        const item = element('li')
        item.dataset.mistake = finding.mistake
        item.append(
          element('strong', finding.mistake),
          element(
            'span',
            `${finding.line ? ` (line ${finding.line})` : ''}: ${finding.explanation} `,
          ),
        )
        item.append(element('em', `Fix: ${finding.fix}`))
        if (finding.code) item.append(element('pre', finding.code))
        list.append(item)
      }
      found.append(list, element('p', result.diagnosis.summary))
      out.append(found)
    }
    const lines = element('table')
    lines.id = 'dbg-lines'
    lines.append(element('caption', 'The message the server checks, line by line'))
    for (const line of result.lines) {
      const row = element('tr')
      row.append(
        element('td', String(line.number)),
        element('td', line.text, 'dbg-code'),
        element('td', line.rule),
      )
      lines.append(row)
    }
    out.append(lines)
    out.append(
      block(
        'The payload the server hashes',
        `${result.payloadSource}\n${JSON.stringify(result.payload, null, 2)}`,
      ),
    )
    if (result.canonical) {
      out.append(block('Canonical JSON, raw form (UTF-8)', result.canonical.raw))
      out.append(block('Canonical JSON, ASCII form (non-ASCII as \\uXXXX)', result.canonical.ascii))
      out.append(
        block(
          'sha256 (payload line)',
          `raw:   ${result.hashes.raw}\nascii: ${result.hashes.ascii}`,
        ),
      )
    }
    const recovered = block(
      'Address the signature recovers to (over the message the server checks)',
      result.recovered ?? 'none: the signature is not 0x + 65 bytes with a low s',
    )
    recovered.id = 'dbg-recovered'
    out.append(recovered)
  } catch (error) {
    const problem = element('p', error.message, 'dbg-verdict dbg-bad')
    problem.id = 'dbg-verdict'
    out.append(problem)
  }
}

function compose() {
  const out = $('dbg-compose-result')
  out.replaceChildren()
  if (!$('dbg-c-wallet').value.trim()) return
  try {
    const { message, body } = composeRequest({
      wallet: $('dbg-c-wallet').value.trim(),
      session: $('dbg-c-session').value.trim(),
      request: $('dbg-c-request').value.trim(),
      endpoint: $('dbg-c-endpoint').value,
      method: $('dbg-c-method').value,
      payload: $('dbg-c-payload').value,
    })
    const toSign = block('The message to sign (personal_sign, UTF-8, no trailing newline)', message)
    toSign.id = 'dbg-compose-message'
    out.append(toSign, block('The body to send', JSON.stringify(body, null, 2)))
  } catch (error) {
    out.append(element('p', error.message, 'dbg-verdict dbg-bad'))
  }
}

function start() {
  loadState()
  let pending
  const update = () => {
    document.body.removeAttribute('data-debugger')
    clearTimeout(pending)
    pending = setTimeout(() => {
      saveState()
      analyze().then(() => document.body.setAttribute('data-debugger', 'ready'))
      compose()
    }, 150)
  }
  for (const id of [...fields, ...composeFields]) $(id).addEventListener('input', update)
  // A shared link opened in a tab that shows the page already changes only the fragment.
  window.addEventListener('hashchange', () => {
    loadState()
    update()
  })
  update()
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
