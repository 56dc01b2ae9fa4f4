// An add or a remove killed between its keychain change and its record change, and what a fresh
// Vault's recovery makes of it: no keychain item without a record, and the state as if the add
// never happened or the remove completed. Work whose owner still runs is left alone.
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../../main/audit/audit-log'
import { checkInvariants } from '../../../main/rotation/invariants'
import { KeychainUnavailableError } from '../../../main/vault/errors'
import { KeychainSecretStore, type SecretStore } from '../../../main/vault/secret-store'
import { FileStateStore, type VaultIntent } from '../../../main/vault/state-store'
import type { Vault } from '../../../main/vault/vault'
import type { VaultCrashJob } from '../../support/vault-crash-child'
import { runAndKillAtPause } from '../../support/kill-at-pause'
import { useSandbox } from './support/sandbox'
import { openVault } from './support/vault-fixture'

const CHILD = fileURLToPath(new URL('../../support/vault-crash-child.ts', import.meta.url))

const sandbox = useSandbox()
const keychain = () => new KeychainSecretStore(sandbox.service)
const state = () => new FileStateStore(sandbox.dataDir).read()

/** Runs the job in a child, SIGKILLs it at its crash point, and answers the child's pid. */
const runAndKill = (job: VaultCrashJob): Promise<number> => runAndKillAtPause(CHILD, job)

function credentialFields() {
  return {
    name: 'Acme Corp',
    clientId: `BUSINESSAPI.${randomUUID()}`,
    keyId: randomUUID(),
    key: sandbox.newKey(),
  }
}

/** A keychain that lets its `set` finish only when the test says so. */
function gatedKeychain(): { secrets: SecretStore; written: Promise<void>; open(): void } {
  const real = keychain()
  let signalWritten = () => {}
  let open = () => {}
  const written = new Promise<void>((resolve) => (signalWritten = resolve))
  const gate = new Promise<void>((resolve) => (open = resolve))
  const secrets: SecretStore = {
    set: async (account, secret) => {
      await real.set(account, secret)
      signalWritten()
      await gate
    },
    get: (account) => real.get(account),
    delete: (account) => real.delete(account),
    accounts: () => real.accounts(),
  }
  return { secrets, written, open: () => open() }
}

async function expectNoLeftovers(vault: Vault): Promise<void> {
  expect(
    await checkInvariants({ state: new FileStateStore(sandbox.dataDir), secrets: keychain() }),
  ).toEqual([])
  expect(state().vaultIntents).toEqual({})
  expect(await vault.recover()).toEqual([])
}

describe('an add killed after its keychain write, before its record', () => {
  it('is undone at the next start: its keychain item is deleted and nothing else changed', async () => {
    const kept = await sandbox.vault.add(credentialFields())
    const before = state()
    const auditBefore = new AuditLog(sandbox.dataDir).list()

    const pid = await runAndKill({
      op: 'add',
      dataDir: sandbox.dataDir,
      service: sandbox.service,
      keyPath: sandbox.newKeyFile(),
    })
    const [orphan, ...others] = Object.keys(state().vaultIntents)
    expect(others).toEqual([])
    expect(state().vaultIntents[orphan ?? '']).toMatchObject({ kind: 'add', ownerPid: pid })
    expect((await keychain().accounts()).sort()).toEqual([kept.id, orphan].sort())

    const fresh = openVault(sandbox.dataDir, sandbox.service)
    expect(await fresh.recover()).toEqual([{ credentialId: orphan, action: 'rolled_back' }])

    expect(await keychain().accounts()).toEqual([kept.id])
    expect(state()).toEqual(before)
    expect(new AuditLog(sandbox.dataDir).list()).toEqual(auditBefore)
    await expectNoLeftovers(fresh)
  })
})

describe('a remove killed after its record was dropped, before its keychain delete', () => {
  it('is finished at the next start: its keychain item is deleted, as the audit log says', async () => {
    const removed = await sandbox.vault.add(credentialFields())

    const pid = await runAndKill({
      op: 'remove',
      dataDir: sandbox.dataDir,
      service: sandbox.service,
      credentialId: removed.id,
    })
    expect(state().vaultIntents).toEqual({
      [removed.id]: expect.objectContaining({ kind: 'remove', ownerPid: pid }),
    })
    expect(await keychain().accounts()).toEqual([removed.id])

    const fresh = openVault(sandbox.dataDir, sandbox.service)
    expect(await fresh.recover()).toEqual([{ credentialId: removed.id, action: 'finished' }])

    expect(await keychain().accounts()).toEqual([])
    expect(state().credentials).toEqual({})
    expect(state().tenants[removed.tenantId]?.activeCredentialId).toBeNull()
    const audit = new AuditLog(sandbox.dataDir)
    expect(audit.list({ kind: 'credential.removed' })).toMatchObject([{ credentialId: removed.id }])
    await expectNoLeftovers(fresh)
  })
})

describe('Vault.recover', () => {
  it('leaves an add alone while this process is still running it', async () => {
    const gated = gatedKeychain()
    const vault = openVault(sandbox.dataDir, sandbox.service, { secrets: gated.secrets })
    const adding = vault.add(credentialFields())
    await gated.written

    const [inFlight] = Object.keys(state().vaultIntents)
    expect(await openVault(sandbox.dataDir, sandbox.service).recover()).toEqual([])
    expect(await keychain().accounts()).toEqual([inFlight])

    gated.open()
    const credential = await adding
    expect(credential.id).toBe(inFlight)
    expect(state().credentials[credential.id]?.status).toBe('active')
    await expectNoLeftovers(vault)
  })

  it('leaves an intent alone while the process that wrote it still runs', async () => {
    const id = randomUUID()
    const alive: VaultIntent = {
      kind: 'add',
      ownerPid: process.ppid,
      updatedAt: new Date().toISOString(),
    }
    await new FileStateStore(sandbox.dataDir).update((s) => {
      s.vaultIntents[id] = alive
    })
    await keychain().set(id, 'not a key')

    expect(await sandbox.vault.recover()).toEqual([
      { credentialId: id, action: 'deferred', message: 'another AxM process is still running it' },
    ])
    expect(state().vaultIntents).toEqual({ [id]: alive })
    expect(await keychain().accounts()).toEqual([id])
  })

  it('keeps the intent of a remove whose keychain stopped answering, and finishes it later', async () => {
    const removed = await sandbox.vault.add(credentialFields())
    const real = keychain()
    const locked: SecretStore = {
      set: (account, secret) => real.set(account, secret),
      get: (account) => real.get(account),
      delete: () => Promise.reject(new KeychainUnavailableError()),
      accounts: () => real.accounts(),
    }
    const vault = openVault(sandbox.dataDir, sandbox.service, { secrets: locked })

    const error = await vault
      .remove(removed.id, { tenantData: 'keep' })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'keychain_unavailable' })
    expect((error as Error).message).toMatch(/the key is deleted the next time/)
    expect(await vault.recover()).toMatchObject([
      { credentialId: removed.id, action: 'deferred', message: expect.stringMatching(/keychain/) },
    ])
    expect(await real.accounts()).toEqual([removed.id])

    expect(await sandbox.vault.recover()).toEqual([
      { credentialId: removed.id, action: 'finished' },
    ])
    expect(await real.accounts()).toEqual([])
    await expectNoLeftovers(sandbox.vault)
  })

  it('drops the intent of an add whose record was written, keeping its key', async () => {
    const credential = await sandbox.vault.add(credentialFields())
    // This pid with nothing here running it: left by an earlier process that had the same pid.
    await new FileStateStore(sandbox.dataDir).update((s) => {
      s.vaultIntents[credential.id] = {
        kind: 'add',
        ownerPid: process.pid,
        updatedAt: new Date().toISOString(),
      }
    })

    expect(await sandbox.vault.recover()).toEqual([
      { credentialId: credential.id, action: 'finished' },
    ])
    expect(await keychain().accounts()).toEqual([credential.id])
    await expectNoLeftovers(sandbox.vault)
  })
})
