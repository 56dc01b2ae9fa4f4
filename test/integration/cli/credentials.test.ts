// list, add and remove through the real axm-credentials executable, over a temp data folder and the
// real keychain.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encryptPkcs8, opensslFingerprint, TEST_PASSPHRASE } from '../../support/openssl-keys'
import { tenantSnapshot } from '../../support/rotation-world'
import { addArgs, CliWorld, keychain, lines, uniqueName } from './support'

let world: CliWorld

/** Control characters other than line breaks, or a right-to-left override, in printed text. */
const unsafeOnScreen = (text: string): boolean => /[\p{Cc}\u202e]/u.test(text.replaceAll('\n', ''))

beforeEach(() => {
  world = new CliWorld()
})

afterEach(async () => {
  world.expectNoKeyMaterial()
  await world.dispose()
})

describe('axm-credentials list', () => {
  it('says on stderr that there is nothing yet, and prints [] with --json', async () => {
    const table = await world.run(['list'])
    expect(table).toMatchObject({ status: 0, stdout: '' })
    expect(table.stderr).toContain('No credentials yet')

    const json = await world.run(['list', '--json'])
    expect(json).toMatchObject({ status: 0, stderr: '' })
    expect(JSON.parse(json.stdout)).toEqual([])
  })
})

describe('axm-credentials add', () => {
  it('prints the new id, stores openssl’s fingerprint, and list --json shows the record as stored', async () => {
    const client = world.newClient()
    const name = uniqueName('Acme')
    const added = await world.run(addArgs(name, client))
    expect(added.status).toBe(0)
    const id = added.stdout.trim()
    expect(added.stdout).toBe(`${id}\n`)
    expect(added.stderr).toContain(name)

    const stored = world.state().credentials[id]
    expect(stored).toMatchObject({
      name,
      clientId: client.clientId,
      keyId: client.keyId,
      scope: 'business',
      status: 'active',
      origin: 'manual',
      publicKeyFingerprint: opensslFingerprint(client.keyPath),
    })
    await expect(keychain.get(id)).resolves.toContain('BEGIN PRIVATE KEY')

    const listed = await world.run(['list', '--json'])
    expect(listed.status).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([stored])

    const table = await world.run(['list'])
    expect(table.stdout).toContain(name)
    expect(table.stdout).toContain(opensslFingerprint(client.keyPath).slice(0, 8))
  })

  it('finds the data folder from AXM_DATA_DIR as from --data-dir, and --data-dir wins', async () => {
    const id = await world.add(uniqueName('Env'), world.newClient())
    const elsewhere = mkdtempSync(join(tmpdir(), 'axm-cli-other-'))
    try {
      const byEnv = await world.runWithoutDataDir(['list', '--json'], {
        AXM_DATA_DIR: world.dataDir,
      })
      const byFlag = await world.run(['list', '--json'], { AXM_DATA_DIR: elsewhere })
      expect(byEnv.status).toBe(0)
      expect(byEnv.stdout).toBe(byFlag.stdout)
      expect(JSON.parse(byEnv.stdout)).toEqual([world.state().credentials[id]])
    } finally {
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })

  it('refuses a duplicate Client ID, a scope mismatch and a missing --key, changing nothing', async () => {
    const first = world.newClient()
    const firstName = uniqueName('First')
    await world.add(firstName, first)
    const before = world.stateBytes()

    const duplicate = await world.run(
      addArgs(uniqueName('Second'), { ...world.newClient(), clientId: first.clientId }),
    )
    expect(duplicate).toMatchObject({ status: 1, stdout: '' })
    expect(lines(duplicate.stderr)).toHaveLength(1)
    expect(duplicate.stderr).toContain(`already used by the credential "${firstName}"`)

    const school = await world.run([
      ...addArgs(uniqueName('School'), world.newClient()),
      '--scope',
      'school',
    ])
    expect(school).toMatchObject({ status: 1, stdout: '' })
    expect(lines(school.stderr)).toHaveLength(1)
    expect(school.stderr).toMatch(/issued by Apple Business Manager.*not Apple School Manager/)

    const client = world.newClient()
    const noKey = await world.run([
      'add',
      '--name',
      'No key',
      '--client-id',
      client.clientId,
      '--key-id',
      client.keyId,
    ])
    expect(noKey).toMatchObject({ status: 2, stdout: '' })
    expect(noKey.stderr).toContain('--key is required')

    expect(world.stateBytes().equals(before)).toBe(true)
  })

  it('refuses names with escape codes, line breaks or direction overrides, changing nothing', async () => {
    await world.add(uniqueName('First'), world.newClient())
    const before = world.stateBytes()
    for (const name of ['\u001b[2J\u001b[31mAcme', 'Acme\nNAME  CLIENT ID', 'Acme \u202egnp.exe']) {
      const refused = await world.run(addArgs(name, world.newClient()))
      expect(refused).toMatchObject({ status: 1, stdout: '' })
      expect(lines(refused.stderr)).toEqual([
        expect.stringMatching(/Name must not hold control characters/),
      ])
      expect(unsafeOnScreen(refused.stderr)).toBe(false)
    }
    expect(world.stateBytes().equals(before)).toBe(true)
  })

  it('prints a stored name with unusual characters escaped, one row per credential', async () => {
    const id = await world.add(uniqueName('Old'), world.newClient())
    const state = world.state()
    const forged = 'Old\u001b[31m\nFORGED ROW\u202e\u0000'
    const credential = state.credentials[id]
    if (!credential) throw new Error('no credential')
    state.credentials[id] = { ...credential, name: forged }
    writeFileSync(join(world.dataDir, 'config.json'), JSON.stringify(state))

    const table = await world.run(['list'])
    expect(table.status).toBe(0)
    expect(lines(table.stdout)).toHaveLength(2)
    expect(table.stdout).toContain('Old\\u001B[31m\\u000AFORGED ROW\\u202E\\u0000')
    expect(unsafeOnScreen(table.stdout)).toBe(false)
    const json = await world.run(['list', '--json'])
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: forged })])
    const removal = await world.run(['remove', id, '--keep-data'])
    expect(unsafeOnScreen(removal.stderr)).toBe(false)
    expect(removal.stderr).toContain('Old\\u001B[31m\\u000AFORGED')
  })

  it('reads an encrypted key with AXM_KEY_PASSPHRASE and refuses a wrong one', async () => {
    const client = world.newClient()
    const encrypted = encryptPkcs8(
      client.keyPath,
      join(world.keysDir, 'encrypted.pem'),
      TEST_PASSPHRASE,
      2048,
    )
    const args = [...addArgs(uniqueName('Encrypted'), client).slice(0, -1), encrypted]

    const wrong = await world.run(args, { AXM_KEY_PASSPHRASE: 'not the passphrase' })
    expect(wrong).toMatchObject({ status: 1, stdout: '' })
    expect(lines(wrong.stderr)).toHaveLength(1)
    expect(wrong.stderr).toMatch(/wrong passphrase/i)
    expect(existsSync(join(world.dataDir, 'config.json'))).toBe(false)

    const right = await world.run(args, { AXM_KEY_PASSPHRASE: TEST_PASSPHRASE })
    expect(right.status).toBe(0)
    const stored = world.state().credentials[right.stdout.trim()]
    expect(stored?.publicKeyFingerprint).toBe(opensslFingerprint(client.keyPath))
  })
})

describe('axm-credentials remove', () => {
  it('asks what to do with the last credential’s tenant data, keeps it with --keep-data for a credential added with --tenant', async () => {
    const name = uniqueName('Keep')
    const id = await world.add(name, world.newClient())
    const { tenantId } = world.state().credentials[id]!
    const devices = world.importDevices(tenantId, 5, 2)
    const before = world.stateBytes()

    const undecided = await world.run(['remove', name])
    expect(undecided).toMatchObject({ status: 1, stdout: '' })
    expect(lines(undecided.stderr)).toHaveLength(1)
    expect(undecided.stderr).toMatch(/last credential.*Choose whether to keep.*or to delete it/)
    expect(undecided.stderr).toContain(`Add --keep-data, or --delete-data --confirm "${name}".`)

    const mistyped = await world.run([
      'remove',
      name,
      '--delete-data',
      '--confirm',
      name.toUpperCase(),
    ])
    expect(mistyped).toMatchObject({ status: 1, stdout: '' })
    expect(mistyped.stderr).toContain('Nothing was removed')
    expect(world.stateBytes().equals(before)).toBe(true)
    expect(await keychain.get(id)).not.toBeNull()

    const kept = await world.run(['remove', id, '--keep-data'])
    expect(kept.status).toBe(0)
    expect(kept.stderr).toContain(`the devices and coverage of "${name}" were kept`)
    expect(world.state().credentials).toEqual({})
    expect(world.state().tenants[tenantId]).toMatchObject({ activeCredentialId: null })
    expect(existsSync(world.tenantDbPath(tenantId))).toBe(true)
    expect(await keychain.get(id)).toBeNull()

    const rejoined = await world.run([
      ...addArgs(uniqueName('Rejoin'), world.newClient()),
      '--tenant',
      name,
    ])
    expect(rejoined.status).toBe(0)
    const newId = rejoined.stdout.trim()
    expect(world.state().credentials[newId]?.tenantId).toBe(tenantId)
    expect(world.state().tenants[tenantId]?.activeCredentialId).toBe(newId)
    expect(tenantSnapshot(world.dataDir, tenantId)).toEqual(devices)
  })

  it('deletes the tenant and its database with --delete-data and the tenant’s name', async () => {
    const name = uniqueName('Delete')
    const id = await world.add(name, world.newClient())
    const { tenantId } = world.state().credentials[id]!
    expect(existsSync(world.tenantDbPath(tenantId))).toBe(true)

    const removed = await world.run(['remove', name, '--delete-data', '--confirm', name])
    expect(removed).toMatchObject({ status: 0, stdout: '' })
    expect(world.state()).toMatchObject({ credentials: {}, tenants: {} })
    expect(existsSync(world.tenantDbPath(tenantId))).toBe(false)
    expect(await keychain.get(id)).toBeNull()
  })
})

// No Secret Service at all (no D-Bus session to reach one): `add` and `change` are refused with the
// keychain message alone, and leave nothing behind: no add intent, no rotation journal, no warning
// about deleting a keychain item that was never written.
describe('with no Secret Service', () => {
  const noSecretService = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }
  const KEYCHAIN_MESSAGE =
    'axm-credentials: The system keychain is not available (locked or no Secret Service running). ' +
    'Nothing was changed. Unlock your keychain, or on Linux install and start gnome-keyring, then try again.'

  it('add: one line saying the keychain is unavailable, and no intent left in the state file', async () => {
    const run = await world.run(addArgs(uniqueName('Offline'), world.newClient()), noSecretService)
    expect(run.status).toBe(1)
    expect(lines(run.stderr)).toEqual([KEYCHAIN_MESSAGE])
    expect(world.state()).toMatchObject({ credentials: {}, tenants: {}, vaultIntents: {} })
  })

  it('change: refused as the keychain is unavailable, and no rotation journal left', async () => {
    const name = uniqueName('Before')
    const id = await world.add(name, world.newClient())
    const before = world.state()
    const next = world.newClient()
    const change = ['change', name, '--name', uniqueName('After'), '--client-id', next.clientId]
    const run = await world.run(
      [...change, '--key-id', next.keyId, '--key', next.keyPath],
      noSecretService,
    )
    expect(run.status).toBe(1)
    // The steps it ran, then the refusal; nothing about a clean-up left for later.
    const said = lines(run.stderr)
    expect(said.at(-1)).toMatch(
      /^axm-credentials: Saving the new key in the keychain failed: The system keychain is not available/,
    )
    expect(said.filter((line) => line.startsWith('axm-credentials:'))).toHaveLength(1)
    expect(run.stderr).not.toMatch(/next start|later|recover/i)
    const after = world.state()
    expect(after.rotations).toEqual({})
    expect(after.vaultIntents).toEqual({})
    expect(after.credentials).toEqual(before.credentials)
    expect(after.tenants).toEqual(before.tenants)
    expect(after.credentials[id]?.status).toBe('active')
  })
})
