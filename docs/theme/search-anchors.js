// Search results that are the errors guide jump to the code searched for: typedoc indexes a
// guide as one document, and each error code has its own heading (anchor) on that page. An error
// code searched for puts the errors guide's section first, and the queries a newcomer types for a
// topic that a guide section answers (best bets below) put that section first: typedoc's ranking
// favours API symbols whose names hold the words ("payload hash" finds `payloadHash`).
;(() => {
  const errorsPage = /\/documents\/Errors\.html$/
  const errorCode = /^[A-Za-z]+(?:_[A-Za-z0-9]+)+$/
  // Each bet: every word of `words` is in the query (in any case); the first bet that fits wins.
  const bestBets = [
    {
      words: ['payload', 'hash'],
      page: 'documents/Protocol.html#what-the-payload-line-hashes',
      title: 'Protocol: what the payload line hashes',
    },
    {
      words: ['canonical', 'json'],
      page: 'documents/Protocol.html#canonical-json',
      title: 'Protocol: canonical JSON',
    },
    {
      words: ['curl'],
      page: 'documents/CLI.html#calling-the-api-with-curl',
      title: 'CLI: calling the API with curl',
    },
    {
      words: ['complete', 'job'],
      page: 'documents/Run_the_job_loop.html#the-steps-one-by-one',
      title: 'Run the job loop: the steps one by one',
    },
    {
      words: ['signature', 'mismatch'],
      page: 'documents/Errors.html#diagnosing-a-wallet-mismatch',
      title: 'Errors: diagnosing a wallet mismatch',
    },
    { words: ['vectors'], page: 'documents/Vectors.html', title: 'Vectors for other languages' },
    { words: ['mcp'], page: 'documents/MCP_server.html', title: 'MCP server' },
  ]
  const base = () => new URL(document.documentElement.dataset.base ?? './', location.href)

  /** The result to show first for `query`, if any: `{ href, title }`. */
  const firstFor = (query) => {
    if (errorCode.test(query)) {
      const href = new URL(`documents/Errors.html#${query.toLowerCase()}`, base()).href
      return { href, title: `Errors: ${query.toUpperCase()}` }
    }
    const words = query.toLowerCase().split(/\W+/)
    const bet = bestBets.find((candidate) => candidate.words.every((word) => words.includes(word)))
    return bet && { href: new URL(bet.page, base()).href, title: bet.title }
  }

  const point = (results) => {
    const input = document.getElementById('tsd-search-input')
    const query = input?.value.trim() ?? ''
    if (errorCode.test(query))
      for (const link of results.querySelectorAll('a[href]')) {
        const url = new URL(link.href)
        if (errorsPage.test(url.pathname) && url.hash === '') {
          url.hash = query.toLowerCase()
          link.href = url.href
        }
      }
    const first = firstFor(query)
    if (!first || results.firstElementChild?.querySelector('a')?.href === first.href) return
    for (const link of results.querySelectorAll('a[href]'))
      if (link.href === first.href) link.closest('li')?.remove()
    const item = document.createElement('li')
    item.className = 'tsd-kind-document tsd-search-best-bet'
    item.setAttribute('role', 'option')
    const link = document.createElement('a')
    link.href = first.href
    link.textContent = first.title
    item.append(link)
    results.prepend(item)
  }
  const watch = () => {
    const results = document.getElementById('tsd-search-results')
    if (!results) return
    const observer = new MutationObserver(() => {
      // Our own insertion is a mutation too: stop watching while making it.
      observer.disconnect()
      point(results)
      observer.observe(results, { childList: true })
    })
    observer.observe(results, { childList: true })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch)
  else watch()
})()
