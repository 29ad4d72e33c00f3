// Search results that are the errors guide jump to the code searched for: typedoc indexes a
// guide as one document, and each error code has its own heading (anchor) on that page.
;(() => {
  const errorsPage = /\/documents\/Errors\.html$/
  const errorCode = /^[A-Za-z]+(?:_[A-Za-z0-9]+)+$/
  const point = (results) => {
    const input = document.getElementById('tsd-search-input')
    const query = input?.value.trim() ?? ''
    if (!errorCode.test(query)) return
    for (const link of results.querySelectorAll('a[href]')) {
      const url = new URL(link.href)
      if (errorsPage.test(url.pathname) && url.hash === '') {
        url.hash = query.toLowerCase()
        link.href = url.href
      }
    }
  }
  const watch = () => {
    const results = document.getElementById('tsd-search-results')
    if (!results) return
    new MutationObserver(() => point(results)).observe(results, { childList: true })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch)
  else watch()
})()
