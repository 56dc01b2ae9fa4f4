// The loopback fake of Apple's Business/School Manager API, for tests (apple-api-sync.md §13).
//
//   const fake = await startAppleApiFake({ latencyMs: 25 })
//   const org = fake.addOrg(pagingOrgFixture())           // or smallOrgFixture(), or your own
//   org.addClient(makeTestClient(dir))                    // its key must sign the assertion
//   // point the app's token URL at fake.tokenUrl and both API hosts at fake.apiUrl, then:
//   fake.faults.add({ route: 'coverage', serial, status: 429, retryAfter: 2 })
//   expect(fake.unexpected).toEqual([])
//   await fake.close()
//
// One listener serves the token endpoint and every org; a request's org is its token's client's.
export { startAppleApiFake } from './server'
export * from './fixtures'
export type * from './types'
