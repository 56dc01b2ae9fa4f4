import { describe, expect, it } from 'vitest'
import { proxyUrlFromPac } from '../../../main/net/pac'

describe('proxyUrlFromPac', () => {
  it.each([
    ['DIRECT', undefined],
    ['', undefined],
    ['PROXY proxy.example:8080', 'http://proxy.example:8080'],
    ['PROXY proxy.example:8080; DIRECT', 'http://proxy.example:8080'],
    ['DIRECT; PROXY proxy.example:8080', undefined],
    ['HTTPS secure.example:443', 'https://secure.example:443'],
    ['SOCKS5 10.0.0.1:1080', 'socks5://10.0.0.1:1080'],
    ['QUIC odd.example:443; PROXY next.example:3128', 'http://next.example:3128'],
    ['PROXY not a host; DIRECT', undefined],
  ])('reads %j', (answer, expected) => {
    expect(proxyUrlFromPac(answer)).toBe(expected)
  })
})
