// Reads the answer of a proxy auto-config (what Electron's session.resolveProxy returns):
// "DIRECT", "PROXY host:port", "HTTPS host:port", "SOCKS5 host:port", or a list of them separated
// by semicolons, tried in order. The first entry this app can use decides.

const SCHEMES: Record<string, string> = {
  PROXY: 'http',
  HTTP: 'http',
  HTTPS: 'https',
  SOCKS: 'socks5',
  SOCKS5: 'socks5',
}

/** The proxy URL to use, or undefined for a direct connection. */
export function proxyUrlFromPac(answer: string): string | undefined {
  for (const entry of answer.split(';')) {
    const [kind, hostPort] = entry.trim().split(/\s+/)
    if (!kind) continue
    if (kind.toUpperCase() === 'DIRECT') return undefined
    const scheme = SCHEMES[kind.toUpperCase()]
    if (scheme && hostPort && /^[\w.-]+:\d{1,5}$|^\[[\da-f:]+\]:\d{1,5}$/i.test(hostPort)) {
      return `${scheme}://${hostPort}`
    }
  }
  return undefined
}
