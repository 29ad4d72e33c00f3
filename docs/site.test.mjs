// Renders the built docs site (dist-docs/, from `pnpm docs:build`) in headless Chromium: opens the
// index, the getting-started guide and one API page, follows every internal link of those pages,
// and fails on a link to a missing page or anchor, a failed request, or any console error.
//
// Run: node --test docs/site.test.mjs   (needs Debian's chromium at /usr/bin/chromium)
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

const siteDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist-docs')
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

for (const startPage of startPages) {
  test(`${startPage} renders without errors and every internal link resolves`, async () => {
    const startUrl = `${origin}/${startPage}`
    await renderAll([startUrl])
    const start = rendered.get(startUrl)
    const internal = [...new Set(start.links)]
      .filter((link) => link.startsWith(`${origin}/`))
      .map((link) => {
        const url = new URL(link)
        const fragment = decodeURIComponent(url.hash.slice(1))
        url.hash = ''
        return { link, target: url.href, fragment }
      })
    assert.ok(internal.length > 5, `${startPage} has only ${internal.length} internal links`)
    await renderAll(internal.map(({ target }) => target))
    const broken = start.problems.map((problem) => `${startPage} itself: ${problem}`)
    for (const { link, target, fragment } of internal) {
      const page = rendered.get(target)
      for (const problem of page.problems) broken.push(`${link}: ${problem}`)
      if (fragment && !page.ids.has(fragment))
        broken.push(`${link}: no element with id "${fragment}"`)
    }
    assert.deepEqual(broken, [], `problems on ${startPage} or the pages it links to`)
  })
}

/** Source files of every package, tests left out. */
function packageSources() {
  const packagesDir = resolve(siteDir, '..', 'packages')
  return readdirSync(packagesDir, { recursive: true })
    .filter(
      (file) => /\/src\/.*\.ts$/.test(`/${file}`) && !/\.(test|fuzz|bench|test-d)\.ts$/.test(file),
    )
    .map((file) => join(packagesDir, file))
}

test('every docsPath written in the packages names a page and an anchor of the site', () => {
  const missing = []
  for (const file of packageSources()) {
    const text = readFileSync(file, 'utf8')
    for (const [, page, anchor] of text.matchAll(
      /['"`](\/documents\/[^'"`#\s]+\.html)(?:#([\w-]+))?/g,
    )) {
      const html = join(siteDir, page)
      if (!existsSync(html)) {
        missing.push(`${file}: ${page} is not a page of the site`)
        continue
      }
      if (anchor && !readFileSync(html, 'utf8').includes(`id="${anchor}"`))
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
