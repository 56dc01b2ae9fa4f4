// The helpdesk-grade UI (issue 11): axe-core on every screen and dialog state in light and dark,
// keyboard-only flows, focus that opens on the first field and comes back, tenants named apart
// from credentials, 60 tenants, and layouts at 960 px and at 200% zoom.
import type { Page } from '@playwright/test'
import { TEST_PASSPHRASE } from '../support/openssl-keys'
import { expectAccessible } from './support/axe'
import { expect, test, type AppHarness } from './support/fixtures'
import { pushManaged, seedTenant } from './support/scenes'

const dialogNamed = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name })

async function openApiInformation(app: AppHarness): Promise<void> {
  await app.open()
  await app.page.getByRole('button', { name: 'API Information' }).click()
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing on any screen or dialog state (${colorScheme})`, async ({ app }) => {
    const { page } = app
    await page.emulateMedia({ colorScheme })
    await app.open()
    await expectAccessible(page, 'the empty API Information screen')

    await page.getByRole('button', { name: 'Add Credential' }).first().click()
    const add = dialogNamed(page, 'Add Credential')
    await add.getByRole('button', { name: 'Save' }).click()
    await expect(add.getByText('Choose, drop or paste the private key.')).toBeVisible()
    await expectAccessible(page, 'Add Credential with every error shown')
    await add.getByLabel('Name', { exact: true }).fill('Typed')
    await page.keyboard.press('Escape')
    await expectAccessible(page, 'the discard prompt')
    await dialogNamed(page, 'Discard what you entered?')
      .getByRole('button', { name: 'Discard' })
      .click()

    const { credential } = await seedTenant(app, 'Northwind Traders', 30)
    await seedTenant(app, 'Riverside Schools')
    pushManaged(app, [{ id: 'mdm-a', name: 'Contoso (MDM)', client: app.newClient() }])
    await page.reload()
    await expect(page.getByRole('region', { name: 'Managed credentials' })).toBeVisible()
    await page.getByRole('button', { name: 'API Information' }).click()
    await expect(page.getByRole('row', { name: /Riverside Schools/ })).toBeVisible()
    await expectAccessible(page, 'API Information with credentials and the managed banner')

    await page.getByRole('button', { name: 'Rename Tenant' }).click()
    await expectAccessible(page, 'Rename Tenant')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Remove' }).click()
    await expectAccessible(page, 'Remove Credential asking about the data')
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Change Credential' }).click()
    const wizard = dialogNamed(page, /Change Credential/)
    await expectAccessible(page, 'the wizard’s Review step')
    await wizard.getByRole('button', { name: 'Next' }).click()
    const next = app.newClient()
    await wizard.getByLabel('Name', { exact: true }).fill('Northwind Traders 2026')
    await wizard.getByLabel('Client ID').fill(next.clientId)
    await wizard.getByLabel('Key ID').fill(next.keyId)
    await wizard.getByLabel('Private key text').fill(next.privateKeyPem)
    await expect(wizard.getByText('EC P-256, PKCS#8')).toBeVisible()
    await expectAccessible(page, 'the wizard’s New credential step')
    app.oauth.mode = 'server_error'
    await wizard.getByRole('button', { name: 'Migrate Credential' }).click()
    await expect(wizard.getByRole('button', { name: 'Retry' })).toBeFocused()
    await expectAccessible(page, 'the wizard’s failure')
    app.oauth.mode = 'normal'
    await wizard.getByRole('button', { name: 'Retry' }).click()
    await expect(wizard.getByRole('button', { name: 'Done' })).toBeFocused()
    await expectAccessible(page, 'the wizard’s result with the revoke reminder')
    await page.keyboard.press('Enter')
    await expect(wizard).toBeHidden()

    await page
      .getByRole('region', { name: 'Managed credentials' })
      .getByRole('button', { name: 'Add as New Credential' })
      .click()
    await expectAccessible(page, 'Add Managed Credential')
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Audit Log' }).click()
    await expect(page.getByRole('region', { name: 'Audit entries' })).toBeVisible()
    await expectAccessible(page, 'the Audit Log')

    await page.getByRole('button', { name: 'Devices' }).click()
    await page
      .getByRole('region', { name: 'Tenants' })
      .getByRole('button', { name: /Northwind Traders/ })
      .click()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    expect(credential.tenantId).toBeTruthy()
    await expectAccessible(page, 'Devices')
  })
}

test('keyboard only: add with Ctrl+N, rename the tenant, change, and remove, focus coming back', async ({
  app,
}) => {
  const { page } = app
  await openApiInformation(app)
  const client = app.newClient()

  // Ctrl+N opens Add Credential on its first field.
  await page.keyboard.press('Control+n')
  const add = dialogNamed(page, 'Add Credential')
  await expect(add.getByLabel('Name', { exact: true })).toBeFocused()
  await page.keyboard.type('Northwind key 2025')
  await page.keyboard.press('Tab')
  await page.keyboard.type(client.clientId)
  await page.keyboard.press('Tab')
  await page.keyboard.type(client.keyId)
  await add.getByLabel('Private key text').focus()
  await page.keyboard.insertText(client.privateKeyPem)
  await expect(add.getByText('EC P-256, PKCS#8')).toBeVisible()
  // Enter in the key text adds a line, as in any text box; Save is pressed from its button.
  await add.getByRole('button', { name: 'Save' }).focus()
  await page.keyboard.press('Enter')
  await expect(add).toBeHidden()

  // Rename Tenant: the tenant's own name, shown in the table, the sidebar and Remove.
  const renameTenant = page.getByRole('button', { name: 'Rename Tenant' })
  await renameTenant.focus()
  await page.keyboard.press('Enter')
  const rename = dialogNamed(page, /Rename Tenant/)
  await expect(rename.getByLabel('New tenant name')).toBeFocused()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('Northwind Traders')
  await page.keyboard.press('Enter')
  await expect(rename).toBeHidden()
  await expect(renameTenant).toBeFocused()
  const row = page.getByRole('row', { name: /Northwind key 2025/ })
  await expect(row.getByRole('cell', { name: 'Northwind Traders', exact: true })).toBeVisible()
  await expect(
    page
      .getByRole('region', { name: 'Tenants' })
      .getByRole('button', { name: /Northwind Traders/ }),
  ).toBeVisible()
  const audit = await app.call('listAudit', { kind: 'tenant.renamed' })
  expect(audit[0]?.summary).toBe('Renamed tenant "Northwind key 2025" to "Northwind Traders"')

  // Change Credential by keyboard: Next, the fields, Migrate, then Enter presses Done.
  const change = page.getByRole('button', { name: 'Change Credential' })
  await change.focus()
  await page.keyboard.press('Enter')
  const wizard = dialogNamed(page, /Change Credential/)
  await expect(wizard.getByRole('button', { name: 'Next' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(wizard.getByLabel('Name', { exact: true })).toBeFocused()
  const next = app.newClient()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('Northwind key 2026')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Control+a')
  await page.keyboard.type(next.clientId)
  await page.keyboard.press('Tab')
  await page.keyboard.type(next.keyId)
  await wizard.getByLabel('Private key text').focus()
  await page.keyboard.insertText(next.privateKeyPem)
  await expect(wizard.getByText('EC P-256, PKCS#8')).toBeVisible()
  await wizard.getByRole('button', { name: 'Migrate Credential' }).focus()
  await page.keyboard.press('Enter')
  await expect(
    wizard.getByText('Last step: revoke the old key in Apple Business Manager'),
  ).toBeVisible()
  await expect(wizard.getByText('Preferences → API', { exact: false })).toBeVisible()
  await expect(wizard.getByRole('button', { name: 'Done' })).toBeFocused()
  await wizard.getByRole('button', { name: 'I Revoked the Old Key' }).focus()
  await page.keyboard.press('Enter')
  await expect(wizard.getByText('Recorded in the audit log')).toBeVisible()
  const revoked = await app.call('listAudit', { kind: 'key.revoked' })
  expect(revoked).toHaveLength(1)
  expect(revoked[0]?.details?.keyId).toBe(client.keyId)
  await wizard.getByRole('button', { name: 'Done' }).focus()
  await page.keyboard.press('Enter')
  await expect(wizard).toBeHidden()
  await expect(change).toBeFocused()

  // Remove with the data kept says what happened; the name to type is the one the dialog shows.
  const remove = page.getByRole('button', { name: 'Remove' })
  await remove.focus()
  await page.keyboard.press('Enter')
  const dialog = dialogNamed(page, 'Remove Credential')
  await expect(dialog.getByText('of the tenant Northwind Traders')).toBeVisible()
  await dialog.getByRole('radio', { name: /Keep data/ }).focus()
  await page.keyboard.press('Space')
  await dialog.getByRole('button', { name: 'Remove' }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(
    page.getByRole('status').filter({ hasText: 'Removed "Northwind key 2026"' }),
  ).toContainText('The tenant "Northwind Traders" keeps its devices and coverage history')
})

test('an encrypted key is unlocked by Save; an empty passphrase is named', async ({ app }) => {
  const { page, keys } = app
  await openApiInformation(app)
  await page.getByRole('button', { name: 'Add Credential' }).first().click()
  const add = dialogNamed(page, 'Add Credential')
  const client = app.newClient()
  await add.getByLabel('Name', { exact: true }).fill('Encrypted Co')
  await add.getByLabel('Client ID').fill(client.clientId)
  await add.getByLabel('Key ID').fill(client.keyId)
  app.dialogs.pickNext(keys.encryptedPkcs8)
  await add.getByRole('button', { name: 'Choose File…' }).click()
  await expect(add.getByText('Encrypted: enter its passphrase.')).toBeVisible()
  await add.getByRole('button', { name: 'Save' }).click()
  await expect(add.getByRole('alert')).toHaveText(
    'This key is encrypted: enter its passphrase, then Save again.',
  )
  await add.getByLabel('Passphrase').fill(TEST_PASSPHRASE)
  await add.getByRole('button', { name: 'Save' }).click()
  await expect(add).toBeHidden()
  await expect(page.getByRole('row', { name: /Encrypted Co/ })).toBeVisible()
})

test('60 tenants: one Tab stop with arrow keys, a tenant search, a sortable searchable table', async ({
  app,
}) => {
  const { page } = app
  const names = Array.from({ length: 60 }, (_, i) => `Tenant ${String(60 - i).padStart(2, '0')}`)
  for (const name of names) await seedTenant(app, name)
  await openApiInformation(app)
  const tenants = page.getByRole('region', { name: 'Tenants' })

  // Alphabetical in the table as in the sidebar, whatever the creation order.
  const firstCells = page.getByRole('row').nth(1).getByRole('cell').nth(1)
  await expect(firstCells).toHaveText('Tenant 01')
  await page.getByRole('button', { name: 'Tenant', exact: true }).click()
  await expect(page.getByRole('columnheader', { name: 'Tenant' })).toHaveAttribute(
    'aria-sort',
    'descending',
  )
  await expect(firstCells).toHaveText('Tenant 60')

  // The list is one Tab stop: Tab from it leaves for the sections.
  await tenants.getByRole('button', { name: /Tenant 01/ }).focus()
  await page.keyboard.press('ArrowDown')
  await expect(tenants.getByRole('button', { name: /Tenant 02/ })).toBeFocused()
  await page.keyboard.press('End')
  await expect(tenants.getByRole('button', { name: /Tenant 60/ })).toBeFocused()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Devices' })).toBeFocused()

  // The sidebar's tenant and the table's selection agree, both ways.
  await expect(page.getByRole('radio', { name: /Select Tenant 60/ })).toBeChecked()
  await page.getByRole('radio', { name: /Select Tenant 07/ }).check()
  await expect(tenants.getByRole('button', { name: /Tenant 07/ })).toHaveAttribute(
    'aria-current',
    'true',
  )

  await tenants.getByRole('searchbox', { name: 'Find a tenant' }).fill('tenant 4')
  await expect(tenants.getByRole('button')).toHaveCount(10)

  await page.keyboard.press('Control+f')
  const search = page.getByRole('searchbox', { name: 'Search credentials' })
  await expect(search).toBeFocused()
  await page.keyboard.type('Tenant 33')
  await expect(page.getByRole('row')).toHaveCount(2)
  await search.fill('nothing like this')
  await expect(page.getByText('No credential matches "nothing like this".')).toBeVisible()
  await app.screenshot('api-information-60-tenants')
})

test('Test Connection can be canceled and records nothing; a 5xx gets Apple-side advice', async ({
  app,
}) => {
  const { page } = app
  await seedTenant(app, 'Riverside Schools')
  await openApiInformation(app)
  app.oauth.mode = 'hang'
  await page.getByRole('button', { name: 'Test Connection' }).click()
  await expect(page.getByText('waiting for Apple', { exact: false })).toBeVisible()
  await page.getByRole('button', { name: 'Cancel Test' }).click()
  await expect(
    page.getByText('The test of Riverside Schools was canceled; nothing was recorded.'),
  ).toBeVisible()
  expect((await app.call('listCredentials', {}))[0]?.lastCheck).toBeUndefined()

  app.oauth.mode = 'server_error'
  await page.getByRole('button', { name: 'Test Connection' }).click()
  const failure = page.getByRole('alert')
  await expect(failure).toContainText('not a sign that the key is wrong')
  await expect(failure).not.toContainText('Nothing was changed')
  await expect(failure).not.toContainText('confirm offline')
})

test('Dismiss can be undone; the problems line counts entries, not fields', async ({ app }) => {
  const { page } = app
  await app.open()
  pushManaged(app, [{ id: 'mdm-a', name: 'Contoso (MDM)', client: app.newClient() }])
  const banner = page.getByRole('region', { name: 'Managed credentials' })
  await banner.getByRole('button', { name: 'Dismiss Contoso (MDM)' }).click()
  await expect(banner.getByRole('status')).toContainText('Dismissed Contoso (MDM)')
  await banner.getByRole('button', { name: 'Undo' }).click()
  await expect(banner).toContainText('1 managed credential is ready to import')

  // Keyboard managed import: the passphrase field has focus, Enter adds it.
  await banner.getByRole('button', { name: 'Add as New Credential' }).click()
  const dialog = dialogNamed(page, 'Add Managed Credential')
  await expect(dialog.getByLabel('Passphrase')).toBeFocused()
  await page.keyboard.type(TEST_PASSPHRASE)
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
})

test('the Audit Log searches, limits by date, pages, names who, and exports only what it shows', async ({
  app,
}) => {
  const { page } = app
  for (let i = 1; i <= 55; i++) {
    app.services.audit.append({ kind: 'check.passed', summary: `Connection check ${i} passed` })
  }
  await app.open()
  await page.getByRole('button', { name: 'Audit Log' }).click()
  await expect(page.getByText('55 entries · page 1 of 2')).toBeVisible()
  await page.getByRole('button', { name: 'Older' }).click()
  await expect(page.getByText('page 2 of 2')).toBeVisible()
  await expect(page.getByRole('columnheader', { name: 'Who' })).toBeVisible()
  const who = (await app.call('listAudit', {}))[0]?.user ?? ''
  expect(who).not.toBe('')
  await expect(page.getByRole('cell', { name: who, exact: true }).first()).toBeVisible()

  await page.keyboard.press('Control+f')
  await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused()
  await page.keyboard.type('check 42')
  await expect(page.getByText('1 entry · page 1 of 1')).toBeVisible()
  await page.getByLabel('To').fill('2000-01-01')
  await expect(page.getByText('No entries match these filters.')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Export CSV…' })).toBeDisabled()
  await app.screenshot('audit-log-filtered')
})

test('fits at 960 px: every credentials column is in view without scrolling', async ({ app }) => {
  const { page } = app
  await page.setViewportSize({ width: 960, height: 700 })
  await seedTenant(app, 'Northwind Traders')
  await openApiInformation(app)
  const frame = page.getByRole('region', { name: 'Credentials', exact: true })
  const overflow = await frame.evaluate((el) => el.scrollWidth - el.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await expect(page.getByRole('columnheader', { name: 'Key age' })).toBeInViewport()
  await app.screenshot('api-information-960')
})

// 200% zoom of a 1280 × 800 window is a 640 × 400 CSS px viewport at device scale 2: the layout
// sees exactly what it sees zoomed. Playwright cannot zoom a page, so the viewport is set that way.
test.describe('at 200% zoom', () => {
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 })

  test('the sidebar, the banner and a dialog leave the screen usable, tables scroll by keyboard', async ({
    app,
  }) => {
    const { page } = app
    for (let i = 1; i <= 3; i++) {
      app.services.audit.append({ kind: 'check.passed', summary: `Connection check ${i} passed` })
    }
    await seedTenant(app, 'Northwind Traders')
    pushManaged(app, [
      { id: 'mdm-a', name: 'Contoso (MDM)', client: app.newClient() },
      { id: 'mdm-b', name: 'Fabrikam (MDM)', client: app.newClient() },
    ])
    await openApiInformation(app)
    const sidebar = await page.locator('.sidebar').boundingBox()
    expect(sidebar?.width ?? 640).toBeLessThanOrEqual(640 / 4)
    const banner = await page.getByRole('region', { name: 'Managed credentials' }).boundingBox()
    expect(banner?.height ?? 400).toBeLessThanOrEqual(400 / 4)

    // The credentials frame is a focusable region: the keyboard scrolls it sideways.
    const frame = page.getByRole('region', { name: 'Credentials', exact: true })
    await frame.focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    await app.screenshot('api-information-200-percent')

    // A dialog keeps its title in view while its content scrolls.
    await page.getByRole('button', { name: 'Change Credential' }).click()
    const wizard = dialogNamed(page, /Change Credential/)
    await wizard.getByRole('button', { name: 'Next' }).click()
    await wizard.getByLabel('Private key text').focus()
    await expect(wizard.getByRole('heading', { name: /Change Credential/ })).toBeInViewport()
    await app.screenshot('change-2-new-200-percent')
    await page.keyboard.press('Escape')
    await expect(wizard).toBeHidden()

    await page.getByRole('button', { name: 'Audit Log' }).click()
    await expect(page.getByRole('region', { name: 'Audit entries' })).toHaveAttribute(
      'tabindex',
      '0',
    )
  })
})
