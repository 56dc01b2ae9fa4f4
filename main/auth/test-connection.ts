// "Test Connection": signs in to Apple with a stored credential, records the result on it and in
// the audit log. The access token Apple returns is discarded on the spot.
import type { ConnectionCheck } from '../../preload/model'
import type { AuditLog } from '../audit/audit-log'
import type { Vault } from '../vault/vault'
import { checkCredential } from './connection-check'

export async function testConnection(
  services: { vault: Vault; audit: AuditLog; tokenUrl: string },
  credentialId: string,
): Promise<ConnectionCheck> {
  const { vault, audit, tokenUrl } = services
  const credential = vault.get(credentialId)
  const check = await checkCredential({
    clientId: credential.clientId,
    keyId: credential.keyId,
    scope: credential.scope,
    privateKeyPem: await vault.secretPem(credentialId),
    tokenUrl,
  })
  await vault.recordCheck(credentialId, check)
  audit.append({
    kind: check.ok ? 'check.passed' : 'check.failed',
    tenantId: credential.tenantId,
    credentialId,
    summary: `Connection test for “${credential.name}”: ${check.message}`,
  })
  return check
}
