// How the fake's tests talk to it: tokens obtained as the app obtains them (a client assertion
// exchanged at the token endpoint), then plain fetch with the headers the app sends.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClientAssertion } from '../../../main/auth/client-assertion'
import { requestAccessToken, type AccessToken } from '../../../main/auth/token-client'
import type { Scope } from '../../../preload/model'
import {
  startAppleApiFake,
  type AppleApiFake,
  type AppleApiFakeOptions,
  type FakeOrg,
  type FakeOrgInput,
} from '../../support/apple-api'
import { makeTestClient, type TestClient } from '../../support/oauth-server'

const keyDir = mkdtempSync(join(tmpdir(), 'axm-apple-fake-'))

/** A new API account of `org`, its key made by openssl. */
export function addClient(org: FakeOrg, scope: Scope = org.scope): TestClient {
  const client = makeTestClient(keyDir, scope)
  org.addClient(client)
  return client
}

/** The token exchange as the app makes it. */
export function exchange(fake: AppleApiFake, client: TestClient): Promise<AccessToken> {
  return requestAccessToken({
    tokenUrl: fake.tokenUrl,
    clientId: client.clientId,
    scope: client.scope,
    assertion: createClientAssertion(client),
  })
}

export async function tokenFor(fake: AppleApiFake, client: TestClient): Promise<string> {
  return (await exchange(fake, client)).accessToken
}

export interface FakeWorld {
  fake: AppleApiFake
  org: FakeOrg
  client: TestClient
  token: string
}

/** A fake serving one org, with one API account and a token for it. */
export async function startWorld(
  input: FakeOrgInput,
  options?: AppleApiFakeOptions,
): Promise<FakeWorld> {
  const fake = await startAppleApiFake(options)
  const org = fake.addOrg(input)
  const client = addClient(org)
  return { fake, org, client, token: await tokenFor(fake, client) }
}

export function apiGet(
  fake: AppleApiFake,
  path: string,
  token: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(`${fake.apiUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...init.headers },
  })
}

export async function getJson<T = Record<string, unknown>>(
  fake: AppleApiFake,
  path: string,
  token: string,
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await apiGet(fake, path, token)
  return { status: response.status, body: (await response.json()) as T, headers: response.headers }
}

export interface ErrorBody {
  errors: Array<{
    id?: string
    status: string
    code: string
    title?: string
    detail: string
    source?: { parameter?: string }
  }>
}

export interface PagedBody {
  data: Array<{
    type: string
    id: string
    attributes?: Record<string, unknown>
    relationships?: Record<string, unknown>
  }>
  links: { self: string; next?: string; related?: string }
  meta: { paging: { limit: number; nextCursor?: string; total?: number } }
}
