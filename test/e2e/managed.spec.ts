import { opensslFingerprint, TEST_PASSPHRASE } from '../support/openssl-keys'
import { expect, test } from './support/fixtures'
import { pushManaged, seedTenant } from './support/scenes'

test('adds a managed credential after a wrong passphrase, and dismisses another', async ({
  app,
}) => {
  const { page } = app
  await app.open()
  pushManaged(app, [
    { id: 'mdm-northwind', name: 'Northwind (MDM)', client: app.newClient() },
    { id: 'mdm-tailspin', name: 'Tailspin (MDM)', client: app.newClient() },
  ])
  const banner = page.getByRole('region', { name: 'Managed credentials' })
  await expect(banner).toContainText('2 managed credentials are ready to import')
  await app.screenshot('managed-banner')

  await banner.getByRole('button', { name: 'Dismiss Tailspin (MDM)' }).click()
  await expect(banner).toContainText('1 managed credential is ready to import')

  await banner.getByRole('button', { name: 'Add as New Credential' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add Managed Credential' })
  await expect(dialog.getByText('mdm-northwind (revision 1)')).toBeVisible()
  await dialog.getByLabel('Passphrase').fill('not it')
  await dialog.getByRole('button', { name: 'Add Credential' }).click()
  await expect(
    dialog.getByText('Wrong passphrase for "Northwind (MDM)".', { exact: false }),
  ).toBeVisible()
  await app.screenshot('managed-wrong-passphrase')
  await dialog.getByLabel('Passphrase').fill(TEST_PASSPHRASE)
  await dialog.getByRole('button', { name: 'Add Credential' }).click()
  await expect(dialog).toBeHidden()
  await expect(banner).toBeHidden()

  await page.getByRole('button', { name: 'API Information' }).click()
  const row = page.getByRole('row', { name: /Northwind \(MDM\)/ })
  await expect(row.getByText('Managed')).toBeVisible()
  await page.getByRole('radio', { name: 'Select Northwind (MDM)' }).check()
  await expect(page.getByRole('button', { name: 'Rename', exact: true })).toBeDisabled()
  await expect(page.getByRole('button', { name: 'Change Credential' })).toBeDisabled()
})

test('updates an existing credential from a managed entry through the rotation engine', async ({
  app,
}) => {
  const { page } = app
  const { credential } = await seedTenant(app, 'Northwind Traders', 30)
  await app.open()
  const replacement = app.newClient()
  pushManaged(app, [{ id: 'mdm-northwind', name: 'Northwind 2025', client: replacement }])
  const banner = page.getByRole('region', { name: 'Managed credentials' })
  await banner.getByRole('button', { name: 'Update Existing Credential' }).click()

  const dialog = page.getByRole('dialog', { name: 'Update Existing Credential' })
  await expect(dialog.getByLabel('Credential to replace')).toHaveValue(credential.id)
  await dialog.getByLabel('Passphrase').fill(TEST_PASSPHRASE)
  await dialog.getByRole('button', { name: 'Update Credential' }).click()
  await expect(dialog.getByText('The credential was changed. Confirmed with Apple.')).toBeVisible()
  await expect(dialog.getByText('30 devices and 60 coverage records')).toBeVisible()
  await expect(dialog.getByTitle(opensslFingerprint(replacement.keyPath))).toBeVisible()
  await app.screenshot('managed-update-result')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(banner).toBeHidden()

  const credentials = await app.call('listCredentials', {})
  expect(credentials.find((c) => c.id === credential.id)?.status).toBe('retired')
  const active = credentials.find((c) => c.status === 'active')
  expect([active?.clientId, active?.origin]).toEqual([replacement.clientId, 'managed'])
})
