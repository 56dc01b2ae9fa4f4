// "Test Connection": signs in to Apple with a stored credential and records the result on it (the
// vault also writes the audit entry). The access token Apple returns is discarded on the spot.
// A canceled test says nothing about the credential, so it is not recorded.
import type { ConnectionCheck } from '../../preload/model'
import type { HttpFetch } from '../net/http'
import type { Vault } from '../vault/vault'
import { canceled } from './auth-error'
import { checkCredential } from './connection-check'

export async function testConnection(
  services: { vault: Vault; tokenUrl: string; http?: { fetch: HttpFetch } },
  credentialId: string,
  signal?: AbortSignal,
): Promise<ConnectionCheck> {
  const { vault, tokenUrl } = services
  const credential = vault.get(credentialId)
  const check = await checkCredential({
    clientId: credential.clientId,
    keyId: credential.keyId,
    scope: credential.scope,
    privateKeyPem: await vault.secretPem(credentialId),
    tokenUrl,
    fetch: services.http?.fetch,
    signal,
  })
  if (signal?.aborted) throw canceled()
  await vault.recordCheck(credentialId, check)
  return check
}
