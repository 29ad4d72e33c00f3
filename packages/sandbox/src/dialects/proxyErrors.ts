import type { Dialect, DialectAnswer } from './types.js'

const html = { 'content-type': 'text/html; charset=utf-8' }

const unavailable: DialectAnswer = {
  status: 503,
  headers: { ...html, 'retry-after': '1' },
  body: null,
  text: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
}

const badGateway: DialectAnswer = {
  status: 502,
  headers: html,
  body: null,
  text: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
}

const tooMany: DialectAnswer = {
  status: 429,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' },
  body: null,
  text: 'Too Many Requests: rate limit exceeded, retry in 1 second.\n',
}

/**
 * `proxy-errors`: a proxy in front of the server answers before the route runs (nothing
 * changes): the 1st request of each route gets a 503 HTML page with `Retry-After: 1`; then every
 * 5th request of that route (5th, 10th, ...) a 502 HTML page without `Retry-After` and a 429 in
 * plain text with `Retry-After: 1`, in turn. Never two in a row on a route.
 */
export const proxyErrors: Dialect = {
  before(_route, count) {
    if (count === 1) return unavailable
    if (count % 5 !== 0) return undefined
    return (count / 5) % 2 === 1 ? badGateway : tooMany
  },
}
