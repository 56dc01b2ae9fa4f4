// The production cutover confirmation: sign an ES256 client assertion with the NEW key and exchange
// it at the token endpoint. Apple answering with a token proves the Client ID, Key ID and key belong
// together; the token is dropped on the spot.
import { createClientAssertion } from '../auth/client-assertion'
import { requestAccessToken } from '../auth/token-client'
import type { HttpFetch } from '../net/http'
import type { CutoverConfirmer } from './rotation-types'

export function oauthConfirmer(
  tokenUrl: string,
  fetch?: HttpFetch,
  timeoutMs?: number,
): CutoverConfirmer {
  return {
    async confirm({ clientId, keyId, scope, privateKeyPem, signal }) {
      const assertion = createClientAssertion({ clientId, keyId, privateKeyPem })
      await requestAccessToken({ tokenUrl, clientId, scope, assertion, timeoutMs, signal, fetch })
    },
  }
}
