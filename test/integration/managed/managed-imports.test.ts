// Managed imports end to end: payloads written by plistlib, keys encrypted by openssl, the real
// state file, the real keychain, the real vault and rotation engine.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ManagedState } from '../../../preload/model'
import { ManagedImportError } from '../../../main/managed/errors'
import { PolicyFileSource } from '../../../main/managed/file-source'
import { ManagedImports } from '../../../main/managed/managed-imports'
import { MAX_PAYLOAD_BYTES } from '../../../main/managed/payload-bytes'
import { createServices, type AppServices } from '../../../main/services'
import { plistData, writePlist, type PlistFormat } from '../../support/plist'
import { FaultyStateStore } from '../../support/rotation-faults'
import {
  entryFor,
  makeEntryKey,
  pkcs12Of,
  schoolClientId,
  tempDir,
  TEST_PASSPHRASE,
  type EntryKey,
} from '../../unit/managed/fixtures'
import { rejectionOf } from '../../support/rejection'

const KEYCHAIN_SERVICE = `AxM managed test ${process.pid}`

let keyDir: string
let keyA: EntryKey
let keyB: EntryKey
let dataDir: string
let prefsPath: string
let services: AppServices

beforeAll(() => {
  keyDir = tempDir()
  keyA = makeEntryKey(keyDir)
  keyB = makeEntryKey(keyDir)
})

beforeEach(() => {
  dataDir = tempDir('axm-managed-data-')
  prefsPath = join(dataDir, 'prefs', 'managed.plist')
  services = createServices({
    dataDir,
    tokenUrl: 'http://127.0.0.1:9/never-called',
    keychainService: KEYCHAIN_SERVICE,
    managedSources: [new PolicyFileSource(prefsPath, { trustedOwnerUid: null })],
  })
})
afterEach(() => services.close())

function writePrefs(entries: unknown[], format: PlistFormat = 'xml'): void {
  mkdirSync(join(dataDir, 'prefs'), { recursive: true })
  writePlist(prefsPath, { ManagedCredentials: entries }, format)
}

function stateBytes(): Buffer | null {
  return existsSync(services.state.path) ? readFileSync(services.state.path) : null
}

const importFailure = (run: () => Promise<unknown>) => rejectionOf(run(), ManagedImportError)

const importRequest = (entryId: string, revision = 1, passphrase = TEST_PASSPHRASE) => ({
  entryId,
  revision,
  passphrase,
  runId: randomUUID(),
})

describe('refresh', () => {
  it('offers nothing while the source is absent', async () => {
    expect(await services.managed.refresh()).toEqual({
      source: { location: prefsPath, present: false },
      pending: [],
      problems: [],
    })
  })

  it('offers each valid entry as a view without key material', async () => {
    const entry = entryFor('acme', keyA, { publicKeyFingerprint: keyA.fingerprint })
    writePrefs([entry])
    const state = await services.managed.refresh()
    expect(state.pending).toEqual([
      {
        id: 'acme',
        revision: 1,
        name: 'Tenant acme',
        clientId: entry.clientId,
        keyId: entry.keyId,
        scope: 'business',
        keyFormat: 'encrypted-pkcs8',
        publicKeyFingerprint: keyA.fingerprint,
      },
    ])
    expect(JSON.stringify(state)).not.toContain('ENCRYPTED')
    expect(services.managed.current()).toEqual(state)
  })
})

describe('importEntry', () => {
  it('adds a new managed credential, records it in the ledger and the audit log, once', async () => {
    writePrefs([entryFor('acme', keyA)])
    await services.managed.refresh()
    const { credential, rotation } = await services.managed.importEntry(importRequest('acme'))
    expect(rotation).toBeUndefined()
    expect(credential).toMatchObject({
      origin: 'managed',
      managedId: 'acme',
      managedRevision: 1,
      status: 'active',
      publicKeyFingerprint: keyA.fingerprint,
    })
    expect(await services.secrets.get(credential.id)).toContain('BEGIN PRIVATE KEY')
    expect(services.state.read().managed.ledger.acme).toMatchObject({
      revision: 1,
      credentialId: credential.id,
    })
    const audit = services.audit.list({ kind: 'managed.imported' })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      credentialId: credential.id,
      details: { managedId: 'acme', mode: 'new' },
    })
    const auditText = readFileSync(services.audit.path, 'utf8')
    expect(auditText).not.toContain(TEST_PASSPHRASE)
    expect(auditText).not.toContain('PRIVATE KEY')
    expect(services.managed.current().pending).toEqual([])

    const before = stateBytes()
    const again = await importFailure(() => services.managed.importEntry(importRequest('acme')))
    expect(again.message).toContain('already imported')
    expect(stateBytes()).toEqual(before)
  })

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the id %s, which would not be an entry of the ledger, and imports the others',
    async (reserved) => {
      writePrefs([entryFor(reserved, keyA), entryFor('acme', keyB)])
      const state = await services.managed.refresh()
      expect(state.pending.map((entry) => entry.id)).toEqual(['acme'])
      expect(state.problems).toEqual([
        expect.objectContaining({
          index: 0,
          field: 'id',
          message: expect.stringMatching(/__proto__/),
        }),
      ])
      const refused = await importFailure(() =>
        services.managed.importEntry(importRequest(reserved)),
      )
      expect(refused.message).not.toMatch(/^Cannot|TypeError/)
      expect(Object.keys(services.state.read().managed.ledger)).toEqual([])

      const { credential } = await services.managed.importEntry(importRequest('acme'))
      const ledger = services.state.read().managed.ledger
      expect(Object.getPrototypeOf(ledger)).toBe(Object.prototype)
      expect(Object.keys(ledger)).toEqual(['acme'])
      expect(ledger.acme).toMatchObject({ credentialId: credential.id })
    },
  )

  it('never offers an entry again whose credential was added though the ledger write failed', async () => {
    writePrefs([entryFor('acme', keyA)])
    const state = new FaultyStateStore(services.state)
    const imports = new ManagedImports({
      ...services,
      state,
      sources: [new PolicyFileSource(prefsPath, { trustedOwnerUid: null })],
    })
    await imports.refresh()
    // The vault writes the credential through the real store; the ledger write here fails.
    state.failUpdate(1)
    await expect(imports.importEntry(importRequest('acme'))).rejects.toThrow(/could not be saved/)
    expect(services.vault.list()).toEqual([expect.objectContaining({ managedId: 'acme' })])
    expect(services.state.read().managed.ledger.acme).toBeUndefined()
    expect((await imports.refresh()).pending).toEqual([])
  })

  it('imports a PKCS#12 entry from a binary plist', async () => {
    writePrefs(
      [
        entryFor('p12', keyB, {
          privateKey: undefined,
          privateKeyPKCS12: plistData(pkcs12Of(keyB)),
        }),
      ],
      'binary',
    )
    const { credential } = await services.managed.importEntry(importRequest('p12'))
    expect(credential.publicKeyFingerprint).toBe(keyB.fingerprint)
  })

  it('imports an entry encrypted with 600,000 PBKDF2 iterations', async () => {
    const strong = makeEntryKey(keyDir, 600_000)
    writePrefs([entryFor('strong', strong, { clientId: schoolClientId() })])
    const { credential } = await services.managed.importEntry(importRequest('strong'))
    expect(credential).toMatchObject({ scope: 'school', publicKeyFingerprint: strong.fingerprint })
  })

  it('offers a higher revision again and rotates the suggested credential to it', async () => {
    const first = entryFor('acme', keyA)
    writePrefs([first])
    const { credential: imported } = await services.managed.importEntry(importRequest('acme'))

    writePrefs([{ ...entryFor('acme', keyB), revision: 2 }])
    const { pending } = await services.managed.refresh()
    expect(pending.map((view) => [view.id, view.revision, view.suggestedCredentialId])).toEqual([
      ['acme', 2, imported.id],
    ])
    const progress: string[] = []
    const { credential, rotation } = await services.managed.importEntry({
      ...importRequest('acme', 2),
      replaceCredentialId: imported.id,
      confirmOffline: true,
      onProgress: ({ step, state }) => progress.push(`${step}:${state}`),
    })
    expect(rotation).toMatchObject({
      oldCredentialId: imported.id,
      newCredentialId: credential.id,
      confirmation: 'offline',
    })
    expect(progress).toContain('cutover:done')
    expect(credential).toMatchObject({
      tenantId: imported.tenantId,
      origin: 'managed',
      managedId: 'acme',
      managedRevision: 2,
      publicKeyFingerprint: keyB.fingerprint,
    })
    expect(services.vault.get(imported.id).status).toBe('retired')
    expect(services.state.read().managed.ledger.acme).toMatchObject({
      revision: 2,
      credentialId: credential.id,
    })
    expect(services.audit.list({ kind: 'managed.imported' })[0]?.details).toMatchObject({
      mode: 'replace',
      revision: 2,
    })
  })

  it('refuses a revision other than the one the source holds now', async () => {
    writePrefs([{ ...entryFor('acme', keyA), revision: 3 }])
    const before = stateBytes()
    const error = await importFailure(() => services.managed.importEntry(importRequest('acme', 2)))
    expect(error.message).toContain('now hold revision 3')
    expect(stateBytes()).toEqual(before)
  })
})

describe('dismiss', () => {
  it('hides an entry until its revision changes', async () => {
    writePrefs([entryFor('acme', keyA)])
    await services.managed.refresh()
    await services.managed.dismiss('acme', 1)
    expect(services.managed.current().pending).toEqual([])
    expect(services.state.read().managed.dismissed).toEqual({ acme: 1 })
    const refused = await importFailure(() => services.managed.importEntry(importRequest('acme')))
    expect(refused.message).toContain('already dismissed')

    writePrefs([{ ...entryFor('acme', keyA), revision: 2 }])
    expect((await services.managed.refresh()).pending.map((view) => view.revision)).toEqual([2])
  })
})

describe('an entry leaving the source', () => {
  it('makes its credential user-owned; an unreadable source does not', async () => {
    writePrefs([entryFor('acme', keyA), entryFor('other', keyB)])
    const { credential } = await services.managed.importEntry(importRequest('acme'))

    truncateSync(prefsPath, 200)
    await services.managed.refresh({ releaseDeparted: true })
    expect(services.vault.get(credential.id).origin).toBe('managed')

    // While the app runs (watching), a missing entry releases nothing: it may be a reinstall.
    writePrefs([entryFor('other', keyB)])
    await services.managed.refresh()
    expect(services.vault.get(credential.id).origin).toBe('managed')

    await services.managed.refresh({ releaseDeparted: true })
    const released = services.vault.get(credential.id)
    expect(released.origin).toBe('manual')
    expect(released.managedId).toBeUndefined()
    expect(released.managedRevision).toBeUndefined()
  })
})

describe('failures leave the state file as it was', () => {
  type Seed = Record<string, unknown>
  const withSeed = (seed: Seed, entry: Record<string, unknown>) => writePrefs([seed, entry])
  const cases: Array<[string, (seed: Seed) => void, string, string?]> = [
    [
      'a wrong passphrase',
      (seed) => withSeed(seed, entryFor('e', keyA)),
      'wrong_passphrase',
      'not the passphrase',
    ],
    [
      'a fingerprint mismatch',
      (seed) => withSeed(seed, entryFor('e', keyA, { publicKeyFingerprint: keyB.fingerprint })),
      'key_invalid',
    ],
    [
      'an entry with a missing field',
      (seed) => withSeed(seed, entryFor('e', keyA, { keyId: undefined })),
      'not_found',
    ],
    [
      'an unknown scope',
      (seed) => withSeed(seed, entryFor('e', keyA, { scope: 'enterprise' })),
      'not_found',
    ],
    [
      'both key fields',
      (seed) =>
        withSeed(seed, entryFor('e', keyA, { privateKeyPKCS12: plistData(pkcs12Of(keyA)) })),
      'not_found',
    ],
    [
      'neither key field',
      (seed) => withSeed(seed, entryFor('e', keyA, { privateKey: undefined })),
      'not_found',
    ],
    [
      'a truncated plist',
      (seed) => {
        withSeed(seed, entryFor('e', keyA))
        truncateSync(prefsPath, 250)
      },
      'not_found',
    ],
    [
      'a huge file',
      (seed) => {
        withSeed(seed, entryFor('e', keyA))
        truncateSync(prefsPath, MAX_PAYLOAD_BYTES + 1)
      },
      'not_found',
    ],
  ]

  it.each(cases)('%s', async (_what, arrange, code, passphrase) => {
    // An earlier import makes a state file (with a ledger) whose bytes can be compared.
    const seed = entryFor('seed', keyB)
    writePrefs([seed])
    await services.managed.importEntry(importRequest('seed'))

    arrange(seed)
    const before = stateBytes()
    expect(before).not.toBeNull()
    const state = await services.managed.refresh()
    const error = await importFailure(() =>
      services.managed.importEntry(importRequest('e', 1, passphrase)),
    )
    expect(error.code).toBe(code)
    expect(error.message).not.toContain(passphrase ?? TEST_PASSPHRASE)
    expect(stateBytes()).toEqual(before)
    if (code === 'not_found') expect(state.problems.length).toBeGreaterThan(0)
  })
})

describe('watch', () => {
  async function nextPending(arrange: () => void): Promise<ManagedState> {
    await services.managed.refresh()
    let stop = () => {}
    const changed = new Promise<ManagedState>((resolve) => {
      stop = services.managed.watch((state) => {
        if (state.pending.length > 0) resolve(state)
      })
    })
    arrange()
    // A generous bound, not a speed assertion: the design asks for under 2 s.
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no change reported')), 10_000).unref(),
    )
    return Promise.race([changed, timeout]).finally(stop)
  }

  it('tells the listener about a new entry written while it watches', async () => {
    mkdirSync(join(dataDir, 'prefs'))
    const state = await nextPending(() => writePrefs([entryFor('late', keyA)]))
    expect(state.pending.map((view) => view.id)).toEqual(['late'])
  })

  it('notices the policy folder appearing after the watch started', async () => {
    const state = await nextPending(() => writePrefs([entryFor('later', keyA)]))
    expect(state.pending.map((view) => view.id)).toEqual(['later'])
  })
})
