// The loopback fake of Apple's Business/School Manager API, for tests: see server.ts.
export { startAppleApiFake } from './server'
export * from './fixtures'
export type * from './types'
