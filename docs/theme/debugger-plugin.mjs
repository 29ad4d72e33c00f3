// A typedoc plugin: bundles the signature debugger (docs/debugger/page.mjs, with the toolkit's
// packages from their sources (no build needed first: the docs build runs beside it) and viem)
// into assets/debugger.js of the site, and loads it on the Signature debugger guide only.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { JSX } from 'typedoc'

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const bundled = ['canonical-json', 'message-builder', 'error-recovery', 'signer-viem']
const debuggerTitle = 'Signature debugger'

export function load(app) {
  app.renderer.hooks.on('body.end', (context) =>
    context.page.model?.isDocument?.() && context.page.model.name === debuggerTitle
      ? JSX.createElement('script', {
          type: 'module',
          src: context.relativeURL('assets/debugger.js'),
        })
      : JSX.createElement(JSX.Fragment, null),
  )
  app.renderer.postRenderAsyncJobs.push(async (event) => {
    await build({
      entryPoints: [join(repoDir, 'docs', 'debugger', 'page.mjs')],
      outfile: join(event.outputDirectory, 'assets', 'debugger.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      alias: Object.fromEntries(
        bundled.map((name) => [
          `@agentpmt-kit/${name}`,
          join(repoDir, 'packages', name, 'src', 'index.ts'),
        ]),
      ),
      // The packages' own source imports (`#sha256`: the browser's, not node's).
      conditions: ['@agentpmt-kit/source'],
      logLevel: 'warning',
    })
  })
}
