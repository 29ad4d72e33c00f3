// Tests the built docs site (dist-docs/, from `pnpm docs:build`): reads every page's links from the
// files and fails on a link to a missing page or anchor; renders in headless Chromium the index,
// the getting-started guide, one API page, every guide and a page of every kind of API page, and
// fails on a failed request or any console error, or a link (the navigation included) to a
// missing page or anchor. It
// searches the site as a reader would (an error code, a guide phrase, an option name), checks the
// navigation and the options order of createJobsClient, and runs the code blocks of the Getting
// started guide as one file against the built packages. It checks the signature debugger (a good
// request, an ASCII-form one and one broken request per kind of mistake, built with the packages
// in docs/debugger/cases.mjs), eight realistic queries' first hits, every guide at 390 px, and the
// CLI guide's curl walkthrough against a sandbox. Screenshots (landing page, searches, debugger)
// go to dist-docs-screenshots/ (kept as CI artifacts).
//
// Run: node --test docs/site.test.mjs   (needs Debian's chromium at /usr/bin/chromium)
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const siteDir = join(repoDir, 'dist-docs')
const screenshotDir = join(repoDir, 'dist-docs-screenshots')
const executablePath = '/usr/bin/chromium'
const startPages = [
  'index.html',
  'documents/Getting_started.html',
  'functions/_agentpmt-kit_canonical-json.canonicalize.html',
]

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
}

/** Serves dist-docs; answers 404 for anything outside it or missing. */
function serveSite() {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    // Chromium asks every site for a favicon; typedoc makes none and a static host answers 404,
    // which is not a broken link of ours.
    if (pathname === '/favicon.ico') {
      response.writeHead(204).end()
      return
    }
    let file = normalize(join(siteDir, decodeURIComponent(pathname)))
    if (file !== siteDir && !file.startsWith(siteDir + sep)) file = ''
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
    if (!file || !existsSync(file)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    response
      .writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      })
      .end(readFileSync(file))
  })
  return new Promise((resolvePromise) =>
    server.listen(0, '127.0.0.1', () => resolvePromise(server)),
  )
}

let server
let origin
let context
let userDataDir

before(async () => {
  assert.ok(existsSync(join(siteDir, 'index.html')), 'dist-docs/ is missing: run pnpm docs:build')
  assert.ok(existsSync(executablePath), `${executablePath} is missing: apt-get install chromium`)
  rmSync(screenshotDir, { recursive: true, force: true })
  mkdirSync(screenshotDir, { recursive: true })
  server = await serveSite()
  origin = `http://127.0.0.1:${server.address().port}`
  userDataDir = mkdtempSync(join(tmpdir(), 'agentpmt-docs-chromium-'))
  // launchPersistentContext owns --user-data-dir (playwright refuses it in `args`): a fresh one.
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

after(async () => {
  for (const tab of tabs) await tab.page.close()
  await context?.close()
  await new Promise((resolvePromise) => (server ? server.close(resolvePromise) : resolvePromise()))
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
})

/** A browser tab that records the problems of the page it shows. */
async function openTab() {
  const page = await context.newPage()
  const tab = { page, problems: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') tab.problems.push(`console error: ${message.text()}`)
  })
  page.on('pageerror', (error) => tab.problems.push(`uncaught: ${error.message}`))
  page.on('requestfailed', (request) =>
    tab.problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  )
  page.on('response', (response) => {
    if (response.url().startsWith(origin) && response.status() >= 400)
      tab.problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return tab
}

/**
 * Shows a page in a tab; returns the problems seen while it loaded (console errors, uncaught
 * exceptions, failed same-origin requests) and the ids and links it has.
 */
async function render(tab, url) {
  tab.problems = []
  const response = await tab.page.goto(url, { waitUntil: 'load' })
  if (response?.status() !== 200)
    tab.problems.push(`HTTP ${response?.status()} for the page itself`)
  // typedoc's scripts fill the navigation after load (from assets/navigation.js); wait until they
  // have, then one more frame for anything they schedule.
  await tab.page.waitForFunction(() => document.querySelector('#tsd-nav-container a[href]'))
  await tab.page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))),
  )
  const { ids, links } = await tab.page.evaluate(() => ({
    ids: [...document.querySelectorAll('[id], a[name]')].map(
      (element) => element.id || element.name,
    ),
    links: [...document.querySelectorAll('a[href]')].map((anchor) => anchor.href),
  }))
  return { problems: tab.problems, ids: new Set(ids), links }
}

/** Rendered pages by URL (without fragment), each rendered once. */
const rendered = new Map()
const tabs = []

/** Renders the pages not rendered yet, in a few tabs at once. */
async function renderAll(urls) {
  const queue = [...new Set(urls)].filter((url) => !rendered.has(url))
  const parallel = Math.min(3, queue.length)
  while (tabs.length < parallel) tabs.push(await openTab())
  await Promise.all(
    tabs.slice(0, parallel).map(async (tab) => {
      for (let url = queue.shift(); url !== undefined; url = queue.shift())
        rendered.set(url, await render(tab, url))
    }),
  )
}

/** Every HTML page of the site by path (`documents/Errors.html`): its ids and the paths its links name. */
const pages = new Map(
  readdirSync(siteDir, { recursive: true })
    .filter((file) => file.endsWith('.html'))
    .map((file) => {
      const path = file.split(sep).join('/')
      const html = readFileSync(join(siteDir, file), 'utf8')
      const values = (pattern) =>
        [...html.matchAll(pattern)].map(([, value]) => value.replaceAll('&amp;', '&'))
      const ids = new Set([...values(/\sid="([^"]*)"/g), ...values(/<a\s[^>]*?name="([^"]*)"/g)])
      const base = `http://site.invalid/${path}`
      const links = values(/<a\s[^>]*?href="([^"]*)"/g)
        .map((href) => new URL(href, base).href)
        .filter((link) => link.startsWith('http://site.invalid/'))
        .map((link) => link.slice('http://site.invalid/'.length))
      return [path, { ids, links }]
    }),
)

/**
 * What is wrong with a link of the site (a path with an optional fragment), or undefined: a page
 * that is not there, or a fragment that names no element of it (in the file, or as rendered).
 */
function brokenLink(link) {
  const [path, fragment = ''] = link.split('#')
  const page =
    pages.get(path || 'index.html') ?? pages.get(`${path.replace(/\/?$/, '/')}index.html`)
  if (!page) return existsSync(join(siteDir, decodeURIComponent(path))) ? undefined : 'no such page'
  const id = decodeURIComponent(fragment)
  if (id && !page.ids.has(id) && !rendered.get(`${origin}/${path}`)?.ids.has(id))
    return `no element with id "${id}"`
  return undefined
}

// Every page's links are checked from the files (fast, and all 400-odd pages, not only those the
// start pages reach); the browser renders the start pages (whose navigation typedoc's scripts
// build at run time), every guide and the first page of each kind of API page, for console
// errors and failed requests.
test('every link of every page of the site names a page and an element of it', () => {
  assert.ok(pages.size > 100, `only ${pages.size} pages`)
  const broken = []
  for (const [path, { links }] of pages)
    for (const link of links) {
      const problem = brokenLink(link)
      if (problem) broken.push(`${path} -> ${link}: ${problem}`)
    }
  assert.deepEqual(broken, [])
})

for (const startPage of startPages) {
  test(`${startPage} renders without errors and every link it shows resolves`, async () => {
    const startUrl = `${origin}/${startPage}`
    await renderAll([startUrl])
    const start = rendered.get(startUrl)
    const internal = [...new Set(start.links)].filter((link) => link.startsWith(`${origin}/`))
    assert.ok(internal.length > 5, `${startPage} has only ${internal.length} internal links`)
    const broken = start.problems.map((problem) => `${startPage} itself: ${problem}`)
    for (const link of internal) {
      const problem = brokenLink(link.slice(origin.length + 1))
      if (problem) broken.push(`${link}: ${problem}`)
    }
    assert.deepEqual(broken, [], `problems on ${startPage} or its links`)
  })
}

test('every guide and a page of every kind of API page render without errors', async () => {
  const sample = new Map()
  for (const path of pages.keys()) {
    const kind = path.includes('/') ? path.split('/')[0] : path
    if (kind === 'documents') sample.set(path, path)
    else if (!sample.has(kind)) sample.set(kind, path)
  }
  const urls = [...sample.values()].map((path) => `${origin}/${path}`)
  assert.ok(urls.length > 15, `only ${urls.length} pages sampled`)
  await renderAll(urls)
  const broken = urls.flatMap((url) =>
    rendered.get(url).problems.map((problem) => `${url.slice(origin.length + 1)}: ${problem}`),
  )
  assert.deepEqual(broken, [])
})

/** Source files of every package, tests left out. */
function packageSources() {
  const packagesDir = resolve(siteDir, '..', 'packages')
  // Each package's src/ only: a recursive walk of packages/ enters node_modules (940,000 entries).
  return readdirSync(packagesDir).flatMap((name) => {
    const src = join(packagesDir, name, 'src')
    if (!existsSync(src)) return []
    return readdirSync(src, { recursive: true })
      .filter((file) => /\.ts$/.test(file) && !/\.(test|fuzz|bench|test-d)\.ts$/.test(file))
      .map((file) => join(src, file))
  })
}

test('every docsPath written in the packages names a page and an anchor of the site', () => {
  const missing = []
  // Each page read once: the packages name a few guides hundreds of times.
  const pages = new Map()
  const pageText = (html) => {
    if (!pages.has(html)) pages.set(html, existsSync(html) ? readFileSync(html, 'utf8') : undefined)
    return pages.get(html)
  }
  for (const file of packageSources()) {
    const text = readFileSync(file, 'utf8')
    for (const [, page, anchor] of text.matchAll(
      /['"`](\/documents\/[^'"`#\s]+\.html)(?:#([\w-]+))?/g,
    )) {
      const html = pageText(join(siteDir, page))
      if (html === undefined) {
        missing.push(`${file}: ${page} is not a page of the site`)
        continue
      }
      if (anchor && !html.includes(`id="${anchor}"`))
        missing.push(`${file}: ${page} has no anchor #${anchor}`)
    }
  }
  assert.deepEqual(missing, [])
})

test('the docsPath of every API error names an anchor of the errors page', async () => {
  // error-recovery computes these links from the error code, so they are checked at run time
  // through the built package rather than read from its source.
  const entry = resolve(siteDir, '..', 'packages', 'error-recovery', 'dist', 'index.js')
  assert.ok(existsSync(entry), 'packages/error-recovery/dist is missing: run pnpm build')
  const { errorCodes, parseApiError } = await import(pathToFileURL(entry).href)
  const missing = []
  for (const [code, { status }] of Object.entries(errorCodes)) {
    const body = { error_code: code, detail: 'detail', details: { checklist: [] } }
    const { docsPath } = parseApiError(status, body)
    const [page, anchor] = docsPath.split('#')
    const html = join(siteDir, page)
    if (!existsSync(html)) missing.push(`${code}: ${page} is not a page of the site`)
    else if (anchor && !readFileSync(html, 'utf8').includes(`id="${anchor}"`))
      missing.push(`${code}: ${page} has no anchor #${anchor}`)
  }
  assert.deepEqual(missing, [])
})

/** Types `query` into the site's search box and returns the results shown: text and link. */
async function search(page, query) {
  await page.goto(`${origin}/index.html`, { waitUntil: 'load' })
  await page.click('#tsd-search-trigger')
  await page.fill('#tsd-search-input', query)
  await page.waitForSelector('#tsd-search-results li a', { timeout: 10_000 })
  // Results are recomputed on each input event; one more frame for the last of them.
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))),
  )
  return page.evaluate(() =>
    [...document.querySelectorAll('#tsd-search-results li a')].map((anchor) => ({
      text: anchor.textContent.replace(/\s+/g, ' ').trim(),
      href: anchor.href,
    })),
  )
}

const screenshot = (page, name) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false })

test('search finds an error code (at its anchor), a guide phrase and an option name', async () => {
  const tab = await openTab()
  const { page } = tab
  try {
    await page.setViewportSize({ width: 1280, height: 800 })

    const code = await search(page, 'EXTERNAL_RESERVATION_EXPIRED')
    await screenshot(page, 'search-error-code')
    const codeHit = code.find(({ href }) =>
      href.endsWith('/documents/Errors.html#external_reservation_expired'),
    )
    assert.ok(codeHit, `no result at the error code's anchor: ${JSON.stringify(code)}`)
    await Promise.all([
      page.waitForURL(/Errors\.html#external_reservation_expired$/),
      page.evaluate(
        (href) =>
          [...document.querySelectorAll('#tsd-search-results a')]
            .find((anchor) => anchor.href === href)
            .click(),
        codeHit.href,
      ),
    ])
    assert.ok(
      await page.evaluate(() => {
        const target = document.getElementById('external_reservation_expired')
        return target !== null && target.getBoundingClientRect().top < window.innerHeight
      }),
      'the anchor of the error code is not shown',
    )
    await screenshot(page, 'errors-anchor')

    const phrase = await search(page, 'job loop')
    await screenshot(page, 'search-guide-phrase')
    assert.ok(
      phrase.some(({ href }) => href.endsWith('/documents/Run_the_job_loop.html')),
      `"job loop" does not find the guide: ${JSON.stringify(phrase)}`,
    )

    const option = await search(page, 'safetyMarginMs')
    await screenshot(page, 'search-option')
    assert.ok(
      option.some(({ text, href }) => text.includes('safetyMarginMs') && href.includes('#')),
      `safetyMarginMs is not found as an option: ${JSON.stringify(option)}`,
    )
    assert.deepEqual(tab.problems, [])
  } finally {
    await page.close()
  }
})

test('the navigation opens with Getting started; the index has one title and clean links', async () => {
  const tab = await openTab()
  const { page } = tab
  try {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${origin}/index.html`, { waitUntil: 'load' })
    await page.waitForFunction(() => document.querySelector('#tsd-nav-container a[href]'))
    await screenshot(page, 'index')
    const { firstDocument, titles, linkTexts } = await page.evaluate(() => ({
      firstDocument: [
        ...document.querySelectorAll('#tsd-nav-container a[href*="documents/"]'),
      ][0]?.textContent.trim(),
      titles: [...document.querySelectorAll('h1')].map((h1) => h1.textContent.trim()),
      linkTexts: [...document.querySelectorAll('.tsd-panel a, .col-content a')].map((anchor) =>
        anchor.textContent.trim(),
      ),
    }))
    assert.equal(firstDocument, 'Getting started')
    assert.deepEqual(titles, ['agentpmt-kit'])
    assert.deepEqual(
      linkTexts.filter((text) => text.endsWith('!')),
      [],
    )
    await page.goto(`${origin}/documents/Getting_started.html`, { waitUntil: 'load' })
    await screenshot(page, 'getting-started')
    assert.deepEqual(tab.problems, [])
  } finally {
    await page.close()
  }
})

test('the createJobsClient options show the required signer first', async () => {
  const tab = await openTab()
  const { page } = tab
  try {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${origin}/types/_agentpmt-kit_jobs-client.index.JobsClientOptions.html`, {
      waitUntil: 'load',
    })
    await screenshot(page, 'jobs-client-options')
    const members = await page.evaluate(() =>
      [...document.querySelectorAll('.tsd-signature .tsd-kind-property')].map((element) =>
        element.textContent.trim(),
      ),
    )
    assert.equal(members[0], 'signer', `members: ${members.join(', ')}`)
    assert.deepEqual(tab.problems, [])
  } finally {
    await page.close()
  }
})

/** The Getting started guide's TypeScript blocks. */
function gettingStartedBlocks() {
  const guide = readFileSync(join(repoDir, 'docs', 'guides', 'getting-started.md'), 'utf8')
  return [...guide.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(([, code]) => code)
}

/**
 * Bundles `code` against the built packages (their dist/, the `default` condition, resolved from
 * the CLI, which depends on every package the guide uses) and runs it; never waits past 60 s.
 */
async function runAgainstBuiltPackages(code) {
  const work = mkdtempSync(join(tmpdir(), 'agentpmt-getting-started-'))
  try {
    const source = join(work, 'getting-started.ts')
    writeFileSync(source, code)
    const { build } = await import('esbuild')
    await build({
      entryPoints: [source],
      outfile: join(work, 'getting-started.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      nodePaths: [join(repoDir, 'packages', 'cli', 'node_modules')],
      logLevel: 'silent',
    })
    return spawnSync(process.execPath, [join(work, 'getting-started.mjs')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        // A public test key (Hardhat account #1): the guide reads the key from the environment.
        AGENTPMT_PRIVATE_KEY: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
      },
    })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

test('the first Getting started snippet, copied alone, runs the loop and exits', async () => {
  const ran = await runAgainstBuiltPackages(gettingStartedBlocks()[0])
  assert.equal(ran.signal, null, `the snippet did not exit by itself within 60 s`)
  assert.equal(ran.status, 0, `the snippet failed:\n${ran.stdout}\n${ran.stderr}`)
  assert.match(ran.stdout, /^\d+ open jobs; job_workflow_invoice_digest: verified$/m)
})

test('the Getting started code blocks run as one file against the built packages', async () => {
  const blocks = gettingStartedBlocks()
  assert.ok(blocks.length >= 4, `only ${blocks.length} ts blocks`)
  const ran = await runAgainstBuiltPackages(blocks.join('\n'))
  assert.equal(ran.status, 0, `the guide's code failed:\n${ran.stdout}\n${ran.stderr}`)
  assert.match(ran.stdout, /^\d+ open jobs; job_workflow_invoice_digest: verified$/m)
  assert.match(ran.stdout, /^\d+$/m)
})

/** WCAG relative luminance of an `rgb(r, g, b)` colour. */
function luminance(rgb) {
  const [r, g, b] = rgb
    .match(/\d+(\.\d+)?/g)
    .slice(0, 3)
    .map((channel) => {
      const c = Number(channel) / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

test('the toolbar icons (search, menu) stand out from the toolbar (contrast at least 4.5:1)', async () => {
  const tab = await openTab()
  try {
    for (const width of [1280, 390]) {
      await tab.page.setViewportSize({ width, height: 800 })
      await tab.page.goto(`${origin}/index.html`, { waitUntil: 'load' })
      const colours = await tab.page.evaluate(() => {
        const toolbar = getComputedStyle(document.querySelector('.tsd-page-toolbar'))
        // The icons' <use> reads --color-icon-text: the colour each icon is drawn in.
        const icon = (selector) => {
          const probe = document.createElement('span')
          probe.style.color = 'var(--color-icon-text)'
          document.querySelector(selector).append(probe)
          const colour = getComputedStyle(probe).color
          probe.remove()
          return colour
        }
        return {
          background: toolbar.backgroundColor,
          search: icon('#tsd-search-trigger'),
          menu: icon('#tsd-toolbar-menu-trigger'),
        }
      })
      for (const name of ['search', 'menu']) {
        const [light, dark] = [luminance(colours[name]), luminance(colours.background)].sort(
          (a, b) => b - a,
        )
        const contrast = (light + 0.05) / (dark + 0.05)
        assert.ok(
          contrast >= 4.5,
          `${name} icon ${colours[name]} on ${colours.background} at ${width}px: contrast ${contrast.toFixed(2)}`,
        )
      }
    }
  } finally {
    await tab.page.close()
  }
})

const debuggerPage = 'documents/Signature_debugger.html'

/** Opens the debugger with `state` in the URL fragment (as a shared link does); returns what it shows. */
async function debugWithLink(tab, state) {
  const fragment = new URLSearchParams(state).toString()
  if (tab.page.url().startsWith(`${origin}/${debuggerPage}`))
    await tab.page.evaluate((hash) => {
      document.body.removeAttribute('data-debugger')
      location.hash = hash
    }, fragment)
  else await tab.page.goto(`${origin}/${debuggerPage}#${fragment}`, { waitUntil: 'load' })
  await tab.page.waitForSelector('body[data-debugger="ready"]', {
    state: 'attached',
    timeout: 10_000,
  })
  return tab.page.evaluate(() => ({
    verdict: document.getElementById('dbg-verdict')?.textContent ?? '',
    recovered: document.querySelector('#dbg-recovered pre')?.textContent ?? '',
    mistakes: [...document.querySelectorAll('#dbg-diagnosis [data-mistake]')].map(
      (item) => item.dataset.mistake,
    ),
    lines: [...document.querySelectorAll('#dbg-lines tr')].map((row) => row.cells[1].textContent),
  }))
}

test('the signature debugger recovers a good request and names the mistake of each broken one', async () => {
  const { debuggerCases } = await import('./debugger/cases.mjs')
  const tab = await openTab()
  const outside = []
  tab.page.on('request', (request) => {
    if (!request.url().startsWith(`${origin}/`)) outside.push(request.url())
  })
  try {
    await tab.page.setViewportSize({ width: 1280, height: 900 })
    const wrong = []
    for (const { name, input, expect } of await debuggerCases()) {
      const state = {
        'dbg-body': input.body,
        'dbg-endpoint': input.endpoint,
        'dbg-method': input.method,
        ...(input.message ? { 'dbg-message': input.message } : {}),
      }
      const shown = await debugWithLink(tab, state)
      const valid = shown.verdict.startsWith('Valid')
      if (valid !== expect.valid) wrong.push(`${name}: verdict "${shown.verdict}"`)
      if (expect.form === 'ascii' && !shown.verdict.includes('ASCII'))
        wrong.push(`${name}: the ASCII form is not named: "${shown.verdict}"`)
      if (expect.recovered && shown.recovered !== expect.recovered)
        wrong.push(`${name}: recovered ${shown.recovered}, expected ${expect.recovered}`)
      if (expect.mistake && shown.mistakes[0] !== expect.mistake)
        wrong.push(`${name}: mistakes [${shown.mistakes}], expected ${expect.mistake} first`)
      if (shown.lines.length !== 7) wrong.push(`${name}: ${shown.lines.length} message lines shown`)
      if (name === 'the envelope hashed with the payload') await screenshot(tab.page, 'debugger')
    }
    assert.deepEqual(wrong, [])
    assert.deepEqual(outside, [], 'the debugger sent a request off the site')
    assert.deepEqual(tab.problems, [])
  } finally {
    await tab.page.close()
  }
})

test('the signature debugger builds the message to sign and the body to send', async () => {
  const { buildMessage } = await import(
    pathToFileURL(join(repoDir, 'packages', 'message-builder', 'dist', 'index.js')).href
  )
  const tab = await openTab()
  try {
    await tab.page.goto(`${origin}/${debuggerPage}`, { waitUntil: 'load' })
    const wallet = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
    await tab.page.fill('#dbg-c-wallet', wallet)
    await tab.page.fill('#dbg-c-session', 'nonce-1')
    await tab.page.fill('#dbg-c-request', 'req-1')
    await tab.page.fill('#dbg-c-endpoint', '/api/external/tools/Acme/actions/run/invoke')
    await tab.page.fill('#dbg-c-payload', '{"query":"Zoë","limit":3}')
    await tab.page.waitForSelector('#dbg-compose-message pre')
    const shown = await tab.page.evaluate(
      () => document.querySelector('#dbg-compose-message pre').textContent,
    )
    const expected = buildMessage({
      wallet,
      session: 'nonce-1',
      request: 'req-1',
      scope: { method: 'POST', path: '/external/tools/acme/actions/run/invoke' },
      payload: { query: 'Zoë', limit: 3 },
    })
    assert.equal(shown, expected)
    assert.match(tab.page.url(), /#.*dbg-c-wallet=/, 'the form is not kept in the fragment')
    assert.deepEqual(tab.problems, [])
  } finally {
    await tab.page.close()
  }
})

test('eight realistic queries give a guide, or the errors guide at the code, first', async () => {
  const expected = {
    EXTERNAL_SIGNATURE_WALLET_MISMATCH: '/documents/Errors.html#external_signature_wallet_mismatch',
    EXTERNAL_RESERVATION_EXPIRED: '/documents/Errors.html#external_reservation_expired',
    'payload hash': '/documents/Protocol.html#what-the-payload-line-hashes',
    curl: '/documents/CLI.html#calling-the-api-with-curl',
    'canonical json': '/documents/Protocol.html#canonical-json',
    'how to complete a job': '/documents/Run_the_job_loop.html#the-steps-one-by-one',
    'signature mismatch': '/documents/Errors.html#diagnosing-a-wallet-mismatch',
    'claude desktop': '/documents/MCP_server.html',
  }
  const tab = await openTab()
  try {
    await tab.page.setViewportSize({ width: 1280, height: 800 })
    const wrong = []
    for (const [query, first] of Object.entries(expected)) {
      const results = await search(tab.page, query)
      if (query === 'payload hash') await screenshot(tab.page, 'search')
      const href = results[0] && new URL(results[0].href)
      if (!href || `${href.pathname}${href.hash}` !== first)
        wrong.push(`"${query}": first ${results[0]?.href ?? 'nothing'}, expected ${first}`)
      else {
        // The target exists: the page has the anchor.
        const { ids } = await render(tab, href.href)
        if (href.hash && !ids.has(href.hash.slice(1)))
          wrong.push(`"${query}": no anchor ${href.hash}`)
      }
    }
    assert.deepEqual(wrong, [])
    assert.deepEqual(tab.problems, [])
  } finally {
    await tab.page.close()
  }
})

test('every guide is readable at 390 px: the page body never scrolls sideways', async () => {
  const guides = readdirSync(join(siteDir, 'documents')).filter((file) => file.endsWith('.html'))
  assert.ok(guides.length >= 10, `only ${guides.length} guides`)
  const tab = await openTab()
  try {
    await tab.page.setViewportSize({ width: 390, height: 844 })
    const wide = []
    for (const guide of guides) {
      await render(tab, `${origin}/documents/${guide}`)
      const { scrollWidth, clientWidth } = await tab.page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }))
      if (scrollWidth > clientWidth)
        wide.push(`${guide}: ${scrollWidth}px wide in ${clientWidth}px`)
      if (guide === 'Signature_debugger.html') await screenshot(tab.page, 'debugger-phone')
    }
    assert.deepEqual(wide, [])
    assert.deepEqual(tab.problems, [])
  } finally {
    await tab.page.close()
  }
})

test('the curl walkthrough of the CLI guide lists the jobs of a sandbox', async () => {
  const guide = readFileSync(join(repoDir, 'docs', 'guides', 'cli.md'), 'utf8')
  const [, script] =
    /## Calling the API with curl[\s\S]*?^```bash\n([\s\S]*?)^```$/m.exec(guide) ?? []
  assert.ok(script, 'no bash block under "Calling the API with curl"')
  const { startSandbox } = await import(
    pathToFileURL(join(repoDir, 'packages', 'sandbox', 'dist', 'index.js')).href
  )
  const sandbox = await startSandbox({})
  const work = mkdtempSync(join(tmpdir(), 'agentpmt-curl-'))
  try {
    // `agentpmt` as the reader has it: the built CLI on PATH.
    const bin = join(work, 'bin')
    mkdirSync(bin)
    writeFileSync(
      join(bin, 'agentpmt'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(repoDir, 'packages', 'cli', 'dist', 'bin.js')}" "$@"\n`,
      { mode: 0o755 },
    )
    // Run asynchronously: the sandbox answers from this process's event loop.
    const ran = await new Promise((done, fail) => {
      const child = execFile(
        'bash',
        ['-euo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:8787', sandbox.url)],
        {
          cwd: work,
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            ...process.env,
            PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH}`,
            // Hardhat's public test account #1, whose address the walkthrough names.
            AGENTPMT_PRIVATE_KEY:
              '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
          },
        },
        (error, stdout, stderr) => done({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
      )
      child.on('error', fail)
    })
    assert.equal(ran.status, 0, `the walkthrough failed:\n${ran.stdout}\n${ran.stderr}`)
    assert.ok(Array.isArray(JSON.parse(ran.stdout).jobs), `not a job list: ${ran.stdout}`)
  } finally {
    await sandbox.close()
    rmSync(work, { recursive: true, force: true })
  }
})
