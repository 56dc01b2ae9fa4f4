import { readFileSync } from 'node:fs'
import { publicKeyPemOf } from '../support/oauth-server'
import { TEST_PASSPHRASE } from '../support/openssl-keys'
import { expect, test, type AppHarness } from './support/fixtures'

const CLIENT_ID = 'BUSINESSAPI.3b6f2c1e-8d4a-4f0e-9c2b-7a1d5e6f8a90'
const KEY_ID = '5e8c1a2b-3d4f-4a6b-8c9d-0e1f2a3b4c5d'

const short = (fingerprint: string) => `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`

function addDialog(app: AppHarness) {
  return app.page.getByRole('dialog', { name: 'Add Credential' })
}

async function fillFields(app: AppHarness, name: string, clientId: string, keyId: string) {
  const dialog = addDialog(app)
  await dialog.getByLabel('Name', { exact: true }).fill(name)
  await dialog.getByLabel('Client ID').fill(clientId)
  await dialog.getByLabel('Key ID').fill(keyId)
}

test('adds a credential from a picked key file and shows the fingerprint openssl computes', async ({
  app,
}) => {
  const { page, keys } = app
  await app.open()
  await expect(page.getByRole('heading', { name: 'Add your first API credential' })).toBeVisible()
  await expect(page.getByText('Preferences → API')).toBeVisible()

  await page.getByRole('button', { name: 'Add Credential' }).first().click()
  const dialog = addDialog(app)
  await expect(dialog).toBeVisible()
  await fillFields(app, 'Northwind Traders', CLIENT_ID, KEY_ID)
  await expect(dialog.getByText('Apple Business Manager')).toBeVisible()

  app.dialogs.pickNext(keys.pkcs8)
  await dialog.getByRole('button', { name: 'Choose File…' }).click()
  await expect(dialog.getByText('key.pem')).toBeVisible()
  await expect(dialog.getByTitle(keys.fingerprint)).toHaveText(short(keys.fingerprint))

  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  const row = page.getByRole('row', { name: /Northwind Traders/ })
  await expect(row.getByTitle(keys.fingerprint)).toHaveText(short(keys.fingerprint))
  await expect(row.getByRole('cell', { name: CLIENT_ID })).toBeVisible()
  await expect(row.getByText('Active')).toBeVisible()
  await expect(
    page
      .getByRole('region', { name: 'Tenants' })
      .getByRole('button', { name: /Northwind Traders/ }),
  ).toBeVisible()

  // A second tenant, school scope, and a connection test against the loopback "Apple".
  const school = app.newClient('school')
  await app.call('addCredential', {
    name: 'Riverside School District',
    clientId: school.clientId,
    keyId: school.keyId,
    key: { kind: 'text', text: school.privateKeyPem },
  })
  app.oauth.register({
    clientId: CLIENT_ID,
    keyId: KEY_ID,
    publicKeyPem: publicKeyPemOf(keys.pkcs8),
  })
  await page.getByRole('radio', { name: 'Select Northwind Traders' }).check()
  await page.getByRole('button', { name: 'Test Connection' }).click()
  await expect(page.getByText('Northwind Traders: Apple accepted this credential.')).toBeVisible()
  await expect(row.getByText(/^OK ·/)).toBeVisible()
  await expect(page.getByRole('row', { name: /Riverside School District/ })).toBeVisible()
  await expect(
    page.getByRole('row', { name: /Riverside/ }).getByText('School', { exact: true }),
  ).toBeVisible()
  await app.screenshot('api-information')

  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('api-information-dark')
})

test('a pasted encrypted key asks for its passphrase, refuses a wrong one, takes the right one', async ({
  app,
}) => {
  const { page, keys } = app
  await app.open()
  await page.getByRole('button', { name: 'Add Credential' }).first().click()
  const dialog = addDialog(app)
  await fillFields(app, 'Encrypted Co', CLIENT_ID, KEY_ID)
  const pasted = dialog.getByLabel('Private key text')
  await pasted.fill(readFileSync(keys.encryptedPkcs8, 'utf8'))
  await expect(dialog.getByText('Encrypted: enter its passphrase.')).toBeVisible()

  // The pasted text is masked until the user asks to see it, with a real toggle button.
  const show = dialog.getByRole('button', { name: 'Show key text' })
  await expect(pasted).toHaveClass(/key-paste-masked/)
  await expect(show).toHaveAttribute('aria-pressed', 'false')
  await show.focus()
  await page.keyboard.press('Space')
  await expect(show).toHaveAttribute('aria-pressed', 'true')
  await expect(pasted).not.toHaveClass(/key-paste-masked/)
  await page.keyboard.press('Enter')
  await expect(show).toHaveAttribute('aria-pressed', 'false')
  await expect(pasted).toHaveClass(/key-paste-masked/)

  const passphrase = dialog.getByLabel('Passphrase')
  await passphrase.fill('not the passphrase')
  await dialog.getByRole('button', { name: 'Unlock Key' }).click()
  await expect(dialog.getByRole('alert')).toHaveText('Wrong passphrase.')

  await passphrase.fill(TEST_PASSPHRASE)
  await passphrase.press('Enter')
  await expect(dialog.getByTitle(keys.fingerprint)).toHaveText(short(keys.fingerprint))
  await expect(dialog.getByText('encrypted PKCS#8')).toBeVisible()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(
    page.getByRole('row', { name: /Encrypted Co/ }).getByTitle(keys.fingerprint),
  ).toBeVisible()
})

test('refuses an RSA key inline and validates the fields as they are typed', async ({ app }) => {
  const { page, keys } = app
  await app.open()
  await page.getByRole('button', { name: 'Add Credential' }).first().click()
  const dialog = addDialog(app)
  await dialog.getByLabel('Name', { exact: true }).fill('Contoso')
  await dialog.getByLabel('Client ID').fill('BUSINESSAPI.not-a-uuid')
  await expect(
    dialog.getByText('Client ID looks like BUSINESSAPI.<uuid> or SCHOOLAPI.<uuid>'),
  ).toBeVisible()
  await dialog.getByLabel('Client ID').fill(CLIENT_ID)
  await expect(dialog.getByText('Client ID looks like')).toBeHidden()
  await dialog.getByLabel('Key ID').fill(KEY_ID)

  app.dialogs.pickNext(keys.rsa)
  await dialog.getByRole('button', { name: 'Choose File…' }).click()
  await expect(dialog.getByRole('alert')).toHaveText(
    'This is an RSA key; Apple issues EC P-256 keys.',
  )
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeVisible()
  await app.screenshot('add-credential-error')

  // Esc asks before throwing the typed fields away; Discard closes it and nothing was added.
  await page.keyboard.press('Escape')
  const discard = page.getByRole('dialog', { name: 'Discard what you entered?' })
  await expect(discard.getByRole('button', { name: 'Keep Editing' })).toBeFocused()
  await discard.getByRole('button', { name: 'Discard' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('heading', { name: 'Add your first API credential' })).toBeVisible()
})

test('renames, then removes credentials keeping one tenant and deleting the other', async ({
  app,
}) => {
  const { page } = app
  const first = app.newClient()
  const second = app.newClient('school')
  for (const [name, client] of [
    ['Fabrikam', first],
    ['Tailspin School', second],
  ] as const) {
    await app.call('addCredential', {
      name,
      clientId: client.clientId,
      keyId: client.keyId,
      key: { kind: 'text', text: client.privateKeyPem },
    })
  }
  await app.open()
  await page.getByRole('button', { name: 'API Information' }).click()

  await page.getByRole('radio', { name: 'Select Fabrikam' }).check()
  await page.getByRole('button', { name: 'Rename', exact: true }).click()
  const rename = page.getByRole('dialog', { name: 'Rename Credential' })
  await rename.getByLabel('New credential name').fill('Fabrikam EU')
  await rename.getByRole('button', { name: 'Rename' }).click()
  await expect(page.getByRole('row', { name: /Fabrikam EU/ })).toBeVisible()

  // Keep data: the credential goes, its tenant stays in the switcher.
  await page.getByRole('radio', { name: 'Select Fabrikam EU' }).check()
  await page.getByRole('button', { name: 'Remove' }).click()
  const remove = page.getByRole('dialog', { name: 'Remove Credential' })
  await expect(remove.getByRole('button', { name: 'Remove' })).toBeDisabled()
  await remove.getByRole('radio', { name: /Keep data/ }).check()
  await remove.getByRole('button', { name: 'Remove' }).click()
  await expect(remove).toBeHidden()
  await expect(page.getByRole('row', { name: /Fabrikam/ })).toHaveCount(0)
  const tenants = page.getByRole('region', { name: 'Tenants' })
  await expect(tenants.getByRole('button', { name: /Fabrikam/ })).toBeVisible()

  // Delete data: only once the tenant's name is typed exactly.
  await page.getByRole('radio', { name: 'Select Tailspin School' }).check()
  await page.getByRole('button', { name: 'Remove' }).click()
  await remove.getByRole('radio', { name: /Delete data/ }).check()
  const confirm = remove.getByLabel('Type "Tailspin School" to confirm')
  await confirm.fill('Tailspin')
  await expect(remove.getByText('The name does not match.')).toBeVisible()
  await expect(remove.getByRole('button', { name: 'Remove' })).toBeDisabled()
  await confirm.fill('Tailspin School')
  await remove.getByRole('button', { name: 'Remove' }).click()
  await expect(remove).toBeHidden()
  await expect(tenants.getByRole('button', { name: /Tailspin/ })).toHaveCount(0)
  expect((await app.call('listTenants', {})).map((t) => t.name)).toEqual(['Fabrikam'])
})
