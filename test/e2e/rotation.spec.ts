import { expect, test, type AppHarness } from './support/fixtures'
import { seedTenant } from './support/scenes'
import type { TestClient } from '../support/oauth-server'

const DEVICES = 250

async function openWizard(app: AppHarness, name: string) {
  const { page } = app
  await app.open()
  await page.getByRole('button', { name: 'API Information' }).click()
  await page.getByRole('radio', { name: `Select ${name}` }).check()
  await page.getByRole('button', { name: 'Change Credential' }).click()
  return page.getByRole('dialog', { name: `Change Credential: ${name}` })
}

async function enterNewCredential(
  wizard: ReturnType<AppHarness['page']['getByRole']>,
  client: TestClient,
) {
  await wizard.getByLabel('Name', { exact: true }).fill('Northwind Traders 2025')
  await wizard.getByLabel('Client ID').fill(client.clientId)
  await wizard.getByLabel('Key ID').fill(client.keyId)
  await wizard.getByLabel('Private key text').fill(client.privateKeyPem)
  await expect(wizard.getByText('EC P-256, PKCS#8')).toBeVisible()
}

test('changes a credential: review, new credential, a refused confirmation, retry, result', async ({
  app,
}) => {
  const { page } = app
  const { credential, client: current } = await seedTenant(app, 'Northwind Traders', DEVICES)
  const before = await app.call('deviceCounts', { tenantId: credential.tenantId })
  const next = app.newClient()

  const wizard = await openWizard(app, 'Northwind Traders')
  await expect(
    wizard.getByRole('list', { name: 'Wizard steps' }).getByText('Review'),
  ).toHaveAttribute('aria-current', 'step')
  await expect(wizard.getByTitle(credential.publicKeyFingerprint)).toBeVisible()
  await expect(
    wizard.getByText(`${DEVICES} devices and their coverage history carry over`),
  ).toBeVisible()
  await app.screenshot('change-1-review')

  await wizard.getByRole('button', { name: 'Next' }).click()
  // The current key is refused as the "new" one, before anything is sent.
  await wizard.getByLabel('Private key text').fill(current.privateKeyPem)
  await expect(
    wizard.getByText('This is the key the credential already uses.', { exact: false }),
  ).toBeVisible()
  await enterNewCredential(wizard, next)
  await expect(
    wizard.getByText('This is the key the credential already uses.', { exact: false }),
  ).toBeHidden()
  await app.screenshot('change-2-new')

  app.oauth.mode = 'invalid_client'
  await wizard.getByRole('button', { name: 'Migrate Credential' }).click()
  const steps = wizard.getByRole('list', { name: 'Migration steps' })
  await expect(wizard.getByText('The change stopped at "Confirm with Apple".')).toBeVisible()
  await expect(steps.getByRole('listitem').filter({ hasText: 'Confirm with Apple' })).toContainText(
    'Failed',
  )
  await expect(steps.getByRole('listitem').filter({ hasText: 'Validate' })).toContainText('Done')
  await expect(wizard.getByText(/Apple rejected this key/)).toBeVisible()
  await expect(wizard.getByText(/Nothing was changed/)).toBeVisible()
  await app.screenshot('change-failed')
  const afterFailure = await app.call('listCredentials', {})
  expect(afterFailure.map((c) => [c.id, c.status])).toEqual([[credential.id, 'active']])

  app.oauth.mode = 'normal'
  await wizard.getByRole('button', { name: 'Retry' }).click()
  await expect(wizard.getByText('The credential was changed. Confirmed with Apple.')).toBeVisible()
  await expect(
    wizard.getByRole('list', { name: 'Wizard steps' }).getByText('Result'),
  ).toHaveAttribute('aria-current', 'step')
  await expect(wizard.getByText(`${before.devices} devices and`, { exact: false })).toContainText(
    `(before the change: ${before.devices}`,
  )
  await expect(wizard.getByRole('cell', { name: next.clientId })).toBeVisible()
  await app.screenshot('change-4-result')

  await wizard.getByRole('button', { name: 'Done' }).click()
  await expect(wizard).toBeHidden()
  const row = page.getByRole('row', { name: /Northwind Traders 2025/ })
  await expect(row.getByText('Active')).toBeVisible()
  await expect(row.getByRole('cell', { name: next.clientId })).toBeVisible()
  expect(await app.call('deviceCounts', { tenantId: credential.tenantId })).toEqual(before)
})

test('a confirmation that hangs can be canceled, and an unreachable Apple confirmed offline', async ({
  app,
}) => {
  const { credential } = await seedTenant(app, 'Northwind Traders', 20)
  const next = app.newClient()
  const wizard = await openWizard(app, 'Northwind Traders')
  await wizard.getByRole('button', { name: 'Next' }).click()
  await enterNewCredential(wizard, next)

  app.oauth.mode = 'hang'
  await wizard.getByRole('button', { name: 'Migrate Credential' }).click()
  const steps = wizard.getByRole('list', { name: 'Migration steps' })
  await expect(steps.getByRole('listitem').filter({ hasText: 'Confirm with Apple' })).toContainText(
    'Running…',
  )
  await expect(steps.getByRole('listitem').filter({ hasText: 'Stage new key' })).toContainText(
    'Done',
  )
  await app.screenshot('change-3-migrate')
  await wizard.getByRole('button', { name: 'Cancel' }).click()
  await expect(wizard.getByText('The change was canceled.')).toBeVisible()
  expect((await app.call('listCredentials', {})).map((c) => c.status)).toEqual(['active'])

  // Apple stays silent: the token request times out, and the admin may vouch for the key.
  await wizard.getByRole('button', { name: 'Retry' }).click()
  await expect(wizard.getByText(/did not answer/)).toBeVisible({ timeout: 60_000 })
  const confirmOffline = wizard.getByRole('button', { name: 'Confirm Offline Instead' })
  await expect(confirmOffline).toBeDisabled()
  await wizard.getByRole('checkbox', { name: 'I have checked this key works' }).check()
  await confirmOffline.click()
  await expect(
    wizard.getByText('The credential was changed. Confirmed offline by you.'),
  ).toBeVisible()
  const credentials = await app.call('listCredentials', {})
  expect(credentials.find((c) => c.id === credential.id)?.status).toBe('retired')
  expect(credentials.find((c) => c.clientId === next.clientId)?.status).toBe('active')
})
