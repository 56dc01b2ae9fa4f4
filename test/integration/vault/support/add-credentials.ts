// Child process for the vault tests: adds one credential per key file through a Vault on the given
// data folder and keychain service, and prints one JSON line per add (the id, or the error).
//   node --import tsx add-credentials.ts <dataDir> <keychainService> <namePrefix> <keyFile>...
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { parsePrivateKey } from '../../../../main/vault/private-key'
import { VaultError } from '../../../../main/vault/errors'
import { openVault } from './vault-fixture'

const [dataDir, service, prefix, ...keyFiles] = process.argv.slice(2)
if (!dataDir || !service || !prefix)
  throw new Error('usage: <dataDir> <service> <prefix> <keyFile>...')
const vault = openVault(dataDir, service)
for (const [index, keyFile] of keyFiles.entries()) {
  try {
    const credential = await vault.add({
      name: `${prefix} ${index}`,
      clientId: `BUSINESSAPI.${randomUUID()}`,
      keyId: randomUUID(),
      key: parsePrivateKey(readFileSync(keyFile)),
    })
    console.log(JSON.stringify({ ok: true, id: credential.id }))
  } catch (error) {
    if (!(error instanceof VaultError)) throw error
    console.log(JSON.stringify({ ok: false, code: error.code, message: error.message }))
  }
}
