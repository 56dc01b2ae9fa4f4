import { expect, test, type AppHarness } from './support/fixtures'
import { seedTenant } from './support/scenes'

const DEVICES = 40

function tenantButton(app: AppHarness, name: string) {
  return app.page.getByRole('region', { name: 'Tenants' }).getByRole('button', { name })
}

function devicesTile(app: AppHarness) {
  return app.page
    .getByRole('group', { name: 'Filter devices by coverage' })
    .getByRole('button', { name: /Devices$/ })
}

/** Removes the tenant's only credential through the UI, keeping its devices and coverage. */
async function removeKeepingData(app: AppHarness, credentialName: string) {
  const { page } = app
  await page.getByRole('button', { name: 'API Information' }).click()
  await page.getByRole('radio', { name: `Select ${credentialName}` }).check()
  await page.getByRole('button', { name: 'Remove' }).click()
  const remove = page.getByRole('dialog', { name: 'Remove Credential' })
  await remove.getByRole('radio', { name: /Keep data/ }).check()
  await remove.getByRole('button', { name: 'Remove' }).click()
  await expect(remove).toBeHidden()
}

test('a kept tenant stays listed without a credential and a new credential takes it over', async ({
  app,
}) => {
  const { page } = app
  const { credential } = await seedTenant(app, 'Fabrikam', DEVICES)
  const { tenantId } = credential
  await seedTenant(app, 'Contoso')
  await app.open()

  // With every tenant on a credential there is nothing to re-use, so no choice is offered.
  await page.getByRole('button', { name: 'API Information' }).click()
  await page.getByRole('button', { name: 'Add Credential' }).click()
  const dialog = page.getByRole('dialog', { name: 'Add Credential' })
  await expect(dialog.getByLabel('Name', { exact: true })).toBeVisible()
  await expect(dialog.getByLabel('Tenant')).toHaveCount(0)
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  await removeKeepingData(app, 'Fabrikam')
  await expect(tenantButton(app, 'Fabrikam No credential Business')).toBeVisible()
  await expect(tenantButton(app, 'Contoso Business')).toBeVisible()

  // The kept tenant's devices can still be opened, marked as having no credential.
  await tenantButton(app, 'Fabrikam No credential Business').click()
  await page.getByRole('button', { name: 'Devices', exact: true }).click()
  const notice = page.getByRole('region', { name: 'No credential' })
  await expect(notice).toContainText('Fabrikam has no credential')
  await expect(devicesTile(app)).toHaveAccessibleName(`${DEVICES} Devices`)

  // Add Credential offers the kept tenant, only for a Client ID of the tenant's scope.
  const client = app.newClient()
  await page.getByRole('button', { name: 'API Information' }).click()
  await page.getByRole('button', { name: 'Add Credential' }).click()
  const tenantSelect = dialog.getByLabel('Tenant')
  const keptOption = 'Fabrikam — kept devices and coverage'
  await expect(tenantSelect).toHaveValue('')
  await expect(tenantSelect.getByRole('option')).toHaveText(['A new tenant', keptOption])
  await dialog.getByLabel('Client ID').fill(app.newClient('school').clientId)
  await expect(tenantSelect.getByRole('option')).toHaveText(['A new tenant'])
  await dialog.getByLabel('Name', { exact: true }).fill('Fabrikam 2025')
  await dialog.getByLabel('Client ID').fill(client.clientId)
  await dialog.getByLabel('Key ID').fill(client.keyId)
  await tenantSelect.selectOption({ label: keptOption })
  await expect(
    dialog.getByText("The new credential takes over this tenant's devices and coverage history."),
  ).toBeVisible()
  app.dialogs.pickNext(client.keyPath)
  await dialog.getByRole('button', { name: 'Choose File…' }).click()
  await expect(dialog.getByText(/EC P-256/)).toBeVisible()
  await app.screenshot('add-credential-kept-tenant')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  // The same tenant runs on the new credential, with every device it had.
  const [added] = (await app.call('listCredentials', {})).filter((c) => c.name === 'Fabrikam 2025')
  expect(added?.tenantId).toBe(tenantId)
  const tenants = await app.call('listTenants', {})
  expect(tenants.find((t) => t.id === tenantId)?.activeCredentialId).toBe(added?.id)
  expect(tenants).toHaveLength(2)
  await expect(tenantButton(app, 'Fabrikam Business')).toBeVisible()
  expect((await app.call('deviceCounts', { tenantId })).devices).toBe(DEVICES)
  await page.getByRole('button', { name: 'Devices', exact: true }).click()
  await expect(devicesTile(app)).toHaveAccessibleName(`${DEVICES} Devices`)
  await expect(notice).toHaveCount(0)
})

test("a kept tenant's Devices screen opens Add Credential with that tenant chosen", async ({
  app,
}) => {
  const { page } = app
  const { tenantId } = (await seedTenant(app, 'Northwind', DEVICES)).credential
  await app.open()
  await removeKeepingData(app, 'Northwind')
  await page.getByRole('button', { name: 'Devices', exact: true }).click()

  await page
    .getByRole('region', { name: 'No credential' })
    .getByRole('button', { name: 'Add Credential…' })
    .click()
  const dialog = page.getByRole('dialog', { name: 'Add Credential' })
  await expect(dialog.getByLabel('Tenant')).toHaveValue(tenantId)

  // A Client ID of the other scope cannot take the tenant over, and says so before saving.
  const school = app.newClient('school')
  await dialog.getByLabel('Name', { exact: true }).fill('Northwind School')
  await dialog.getByLabel('Client ID').fill(school.clientId)
  await expect(
    dialog.getByText('This tenant is in Apple Business Manager; the new Client ID must be too.'),
  ).toBeVisible()

  const client = app.newClient()
  await dialog.getByLabel('Client ID').fill(client.clientId)
  await dialog.getByLabel('Key ID').fill(client.keyId)
  await dialog.getByLabel('Private key text').fill(client.privateKeyPem)
  await expect(dialog.getByText(/EC P-256/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()

  await expect(page.getByRole('region', { name: 'No credential' })).toHaveCount(0)
  await expect(devicesTile(app)).toHaveAccessibleName(`${DEVICES} Devices`)
  await expect(tenantButton(app, 'Northwind Business')).toBeVisible()
  const [tenant] = await app.call('listTenants', {})
  expect(tenant?.activeCredentialId).not.toBeNull()
})
