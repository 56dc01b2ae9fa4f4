// The locked-keychain scenario, run in a keyring session of its own (locking the shared one would
// disturb every other test), one phase per process: `locked` adds a credential, locks
// gnome-keyring's collection over D-Bus and tries what a user would; `midway` has the keychain
// lock between a remove's check and its delete; `recover` runs recovery on the unlocked keychain.
// A phase after the first unlocks the keychain before its first keychain call, by starting the
// daemon again with the password (libsecret keeps its session with the old daemon, hence a new
// process). Each prints what it saw as one JSON line. Run with `node --import tsx` inside
// test/support/with-keyring.sh. Arguments: phase, data folder, keychain service, key file.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { testConnection } from '../../main/auth/test-connection'
import { AuditLog } from '../../main/audit/audit-log'
import { parsePrivateKey } from '../../main/vault/private-key'
import { KeychainSecretStore, type SecretStore } from '../../main/vault/secret-store'
import { FileStateStore } from '../../main/vault/state-store'
import { Vault } from '../../main/vault/vault'
import { fileTenantData } from '../integration/vault/support/vault-fixture'
import { makeP256Key } from './openssl-keys'

const [phase, dataDir, service, keyPath] = process.argv.slice(2) as [string, string, string, string]
const secrets = new KeychainSecretStore(service)
const state = new FileStateStore(dataDir)
const parts = { state, audit: new AuditLog(dataDir), tenantData: fileTenantData(dataDir) }
const vault = new Vault({ ...parts, secrets })

const bus = ['--session', '--dest', 'org.freedesktop.secrets']
const gdbus = (path: string, method: string, ...args: string[]) =>
  execFileSync('gdbus', ['call', ...bus, '--object-path', path, '--method', method, ...args], {
    encoding: 'utf8',
  })
const lock = () =>
  gdbus(
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    "['/org/freedesktop/secrets/collection/login']",
  )
const locked = () =>
  gdbus(
    '/org/freedesktop/secrets/collection/login',
    'org.freedesktop.DBus.Properties.Get',
    'org.freedesktop.Secret.Collection',
    'Locked',
  ).includes('true')

function unlock(): void {
  execFileSync('gnome-keyring-daemon', ['--replace', '--unlock', '--components=secrets'], {
    input: 'axm-test-keyring',
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  // The new daemon answers once it has taken over the bus name.
  while (locked()) execFileSync('sleep', ['0.1'])
}

/** The keychain items of this credential, found without unlocking: [unlocked, locked]. */
const items = (account: string) =>
  gdbus(
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.SearchItems',
    `{'service': '${service}', 'account': '${account}'}`,
  )
    .match(/\[[^\]]*\]|@ao \[\]/g)!
    .map((list) => (list.match(/objectpath/g) ?? []).length)

const failure = (error: unknown) => {
  const { code, message } = error as { code?: string; message: string }
  return { code, message }
}

async function lockedPhase(): Promise<Record<string, unknown>> {
  const fields = async (path: string) => ({
    name: `Locked ${randomUUID().slice(0, 8)}`,
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: await parsePrivateKey(readFileSync(path, 'utf8')),
  })
  const credential = await vault.add(await fields(keyPath))
  lock()
  return {
    credentialId: credential.id,
    lockedAtStart: locked(),
    remove: await vault.remove(credential.id, { tenantData: 'keep' }).catch(failure),
    afterRemove: {
      listed: vault.list().map((c) => c.id),
      intents: state.read().vaultIntents,
      items: items(credential.id),
    },
    testConnection: await testConnection(
      { vault, tokenUrl: 'http://127.0.0.1:9/token' },
      credential.id,
    ).catch(failure),
    lastCheck: vault.get(credential.id).lastCheck ?? null,
    add: await vault.add(await fields(makeP256Key(dirname(keyPath), 'second.pem'))).catch(failure),
    afterAdd: { credentials: vault.list().length, intents: state.read().vaultIntents },
  }
}

/** The keychain locks between the remove's check and its delete. */
async function midwayPhase(): Promise<Record<string, unknown>> {
  const [credential] = vault.list()
  const lockingAfterCheck: SecretStore = {
    set: (account, secret) => secrets.set(account, secret),
    get: async (account) => {
      const secret = await secrets.get(account)
      lock()
      return secret
    },
    delete: (account) => secrets.delete(account),
    accounts: () => secrets.accounts(),
  }
  const midway = new Vault({ ...parts, secrets: lockingAfterCheck })
  return {
    remove: await midway.remove(credential!.id, { tenantData: 'keep' }).catch(failure),
    listed: vault.list().map((c) => c.id),
    intents: Object.keys(state.read().vaultIntents),
    items: items(credential!.id),
    recover: await vault.recover(),
  }
}

async function recoverPhase(): Promise<Record<string, unknown>> {
  const [credentialId] = Object.keys(state.read().vaultIntents)
  return {
    recover: await vault.recover(),
    intents: state.read().vaultIntents,
    items: items(credentialId!),
    accounts: await secrets.accounts(),
  }
}

if (phase !== 'locked') unlock()
const phases: Record<string, () => Promise<Record<string, unknown>>> = {
  locked: lockedPhase,
  midway: midwayPhase,
  recover: recoverPhase,
}
console.log(JSON.stringify(await phases[phase]!()))
