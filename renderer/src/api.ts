// The renderer's only door to the app: window.api, exposed by preload (or, in the e2e harness, by
// a forwarding script with the same shape). Everything else in the renderer goes through here.
import type { Api, AppError, Result } from '../../preload/contract'

declare global {
  interface Window {
    api: Api
  }
}

export function api(): Api {
  return window.api
}

/**
 * A call that could not even reach main (the app is closing, the bridge is gone) becomes an
 * AppError like any other, so screens have one failure path.
 */
export function unreachable(): AppError {
  return {
    code: 'internal',
    message: 'The app did not answer. Nothing was changed. Try again, or restart the app.',
  }
}

export async function settle<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call
  } catch {
    return { ok: false, error: unreachable() }
  }
}
