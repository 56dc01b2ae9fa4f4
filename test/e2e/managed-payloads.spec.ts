// Payloads as admins really make them reach the UI: one written by python3's plistlib (binary
// plist) with keys encrypted by openssl (PBES2 PKCS#8 and PKCS#12), one built by the app's own
// packager as a .mobileconfig. Each entry is added through the banner and keeps openssl's fingerprint.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildPayload } from '../../main/managed/packager'
import {
  encryptPkcs8,
  makePkcs12,
  opensslFingerprint,
  TEST_PASSPHRASE,
} from '../support/openssl-keys'
import { plistData, writePlist } from '../support/plist'
import { expect, test, type AppHarness } from './support/fixtures'

const short = (fingerprint: string) => `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`

async function addFromBanner(app: AppHarness, name: string, fingerprint: string): Promise<void> {
  const { page } = app
  const banner = page.getByRole('region', { name: 'Managed credentials' })
  await banner
    .getByRole('listitem')
    .filter({ hasText: name })
    .getByRole('button', { name: 'Add as New Credential' })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Add Managed Credential' })
  await dialog.getByLabel('Passphrase').fill(TEST_PASSPHRASE)
  await dialog.getByRole('button', { name: 'Add Credential' }).click()
  await expect(dialog).toBeHidden()
  await page.getByRole('button', { name: 'API Information' }).click()
  const row = page.getByRole('row').filter({ hasText: name })
  await expect(row.getByTitle(fingerprint)).toHaveText(short(fingerprint))
  await expect(row.getByText('Managed')).toBeVisible()
}

test('imports a binary plist made with plistlib and openssl, PKCS#8 and PKCS#12 entries', async ({
  app,
}) => {
  const pkcs8Client = app.newClient()
  const pkcs12Client = app.newClient('school')
  const encrypted = encryptPkcs8(pkcs8Client.keyPath, join(app.dir, 'entry.enc.pem'))
  const p12 = makePkcs12(pkcs12Client.keyPath, join(app.dir, 'entry.p12'))
  app.guard.protectKeyFile(encrypted, TEST_PASSPHRASE)
  writePlist(
    app.managedPrefsPath,
    {
      ManagedCredentials: [
        {
          id: 'plistlib-pkcs8',
          name: 'Contoso (plistlib)',
          clientId: pkcs8Client.clientId,
          keyId: pkcs8Client.keyId,
          privateKey: readFileSync(encrypted, 'utf8'),
          revision: 1,
        },
        {
          id: 'plistlib-pkcs12',
          name: 'Lincoln School (PKCS#12)',
          clientId: pkcs12Client.clientId,
          keyId: pkcs12Client.keyId,
          privateKeyPKCS12: plistData(readFileSync(p12)),
        },
      ],
    },
    'binary',
  )
  await app.open()
  const banner = app.page.getByRole('region', { name: 'Managed credentials' })
  await expect(banner).toContainText('2 managed credentials are ready to import')
  await addFromBanner(app, 'Contoso (plistlib)', opensslFingerprint(pkcs8Client.keyPath))
  await addFromBanner(app, 'Lincoln School (PKCS#12)', opensslFingerprint(pkcs12Client.keyPath))
  await expect(banner).toBeHidden()
})

test('imports a .mobileconfig built by the packager', async ({ app }) => {
  const client = app.newClient()
  const csv = `id,name,scope,client_id,key_id,pem_path\npackaged,Fabrikam (packager),business,${client.clientId},${client.keyId},${client.keyPath}\n`
  const { bytes } = buildPayload({
    csvText: csv,
    passphrase: TEST_PASSPHRASE,
    baseDir: app.dir,
    format: 'mobileconfig',
  })
  writeFileSync(app.managedPrefsPath, bytes, { mode: 0o644 })
  await app.open()
  await addFromBanner(app, 'Fabrikam (packager)', opensslFingerprint(client.keyPath))
})

test('lists what is wrong with a bad entry next to the good ones', async ({ app }) => {
  const client = app.newClient()
  const encrypted = encryptPkcs8(client.keyPath, join(app.dir, 'good.enc.pem'))
  app.guard.protectKeyFile(encrypted, TEST_PASSPHRASE)
  const good = {
    id: 'good',
    name: 'Good (MDM)',
    clientId: client.clientId,
    keyId: client.keyId,
    privateKey: readFileSync(encrypted, 'utf8'),
  }
  const broken = { ...good, id: 'broken', name: 'Broken (MDM)', keyId: 'not-a-key-id' }
  writePlist(app.managedPrefsPath, { ManagedCredentials: [good, broken] })
  await app.open()
  const banner = app.page.getByRole('region', { name: 'Managed credentials' })
  await expect(banner).toContainText('1 managed credential is ready to import')
  await banner.getByText('1 managed entry could not be used').click()
  await expect(banner.getByText(/Entry 2 \("broken"\), keyId: /)).toBeVisible()
  await app.screenshot('managed-problems')
})
