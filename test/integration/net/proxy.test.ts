// Requests to Apple go through the proxy the environment (the CLI) or the system (the app, through
// Electron's session.resolveProxy) names, tunnelled with CONNECT over HTTP/1.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../main/net/http'
import { smallOrgFixture } from '../../support/apple-api'
import { startConnectProxy, type ConnectProxy } from '../../support/connect-proxy'
import { addSyncTenant, createSyncWorld, disposeSyncWorld } from '../../support/sync-world'

let proxy: ConnectProxy

beforeAll(async () => {
  proxy = await startConnectProxy()
})

afterAll(() => proxy.close())

describe('the proxy in HTTPS_PROXY / HTTP_PROXY / NO_PROXY', () => {
  it('carries the token exchange and every API request of a sync', async () => {
    const world = await createSyncWorld({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } })
    try {
      const tenant = await addSyncTenant(world, smallOrgFixture())
      const before = proxy.tunnels.length
      const run = await (await world.services.sync.start(tenant.tenantId, { kind: 'full' })).done
      expect(run.status).toBe('complete')
      const apiHost = new URL(world.fake.apiUrl).host
      expect(proxy.tunnels.slice(before).length).toBeGreaterThan(0)
      expect(new Set(proxy.tunnels.slice(before))).toEqual(new Set([apiHost]))
      // Every request the fake saw came over a tunnel, none straight from the app.
      expect(world.fake.requests.length).toBeGreaterThan(25)
    } finally {
      await disposeSyncWorld(world)
    }
  }, 60_000)

  it('goes direct to hosts NO_PROXY names', async () => {
    const world = await createSyncWorld({
      env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' },
    })
    try {
      const tenant = await addSyncTenant(world, smallOrgFixture())
      const before = proxy.tunnels.length
      const run = await (await world.services.sync.start(tenant.tenantId, { kind: 'full' })).done
      expect(run.status).toBe('complete')
      expect(proxy.tunnels.length).toBe(before)
    } finally {
      await disposeSyncWorld(world)
    }
  }, 60_000)
})

describe("the system's proxy answer (PAC)", () => {
  it('tunnels through the proxy it names, and goes direct on DIRECT', async () => {
    const target = await startConnectProxy()
    const answers: string[] = []
    try {
      let answer = `PROXY ${new URL(proxy.url).host}; DIRECT`
      const client = createHttpClient({
        resolveProxy: (url) => {
          answers.push(url)
          return Promise.resolve(answer)
        },
      })
      // Any loopback server will do as the destination: the proxy test server itself.
      const url = `${target.url}/anything`
      const before = proxy.tunnels.length
      expect((await client.fetch(url)).status).toBe(405)
      expect(proxy.tunnels.slice(before)).toEqual([new URL(target.url).host])
      answer = 'DIRECT'
      expect((await client.fetch(url)).status).toBe(405)
      expect(proxy.tunnels.length).toBe(before + 1)
      expect(answers).toEqual([url, url])
      await client.close()
    } finally {
      await target.close()
    }
  })
})

describe('a closed client', () => {
  it('sends nothing more, whether it had sent a request or not (its agents load with the first)', async () => {
    const target = await startConnectProxy()
    try {
      const used = createHttpClient()
      expect((await used.fetch(`${target.url}/anything`)).status).toBe(405)
      await used.close()
      await expect(used.fetch(`${target.url}/anything`)).rejects.toThrow(/destroyed/i)

      const unused = createHttpClient()
      await unused.close()
      await expect(unused.fetch(`${target.url}/anything`)).rejects.toThrow(/destroyed/i)
    } finally {
      await target.close()
    }
  })
})
