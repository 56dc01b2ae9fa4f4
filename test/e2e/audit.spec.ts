import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './support/fixtures'
import { seedTenant } from './support/scenes'

test('lists credential operations, filters them by tenant and kind, and exports CSV', async ({
  app,
}) => {
  const { page } = app
  const northwind = await seedTenant(app, 'Northwind Traders', 40)
  await seedTenant(app, 'Riverside School District')
  const next = app.newClient()
  app.oauth.mode = 'invalid_client'
  const change = {
    credentialId: northwind.credential.id,
    name: 'Northwind Traders 2025',
    clientId: next.clientId,
    keyId: next.keyId,
    key: { kind: 'text' as const, text: next.privateKeyPem },
  }
  await expect(
    app.call('changeCredential', { runId: 'audit-failed-run', ...change }),
  ).rejects.toThrow(/Apple rejected this key/)
  app.oauth.mode = 'normal'
  await app.call('changeCredential', { runId: 'audit-run', ...change })

  await app.open()
  await page.getByRole('button', { name: 'Audit Log' }).click()
  const table = page.getByRole('table')
  await expect(table.getByRole('cell', { name: 'Credential changed', exact: true })).toBeVisible()
  await expect(table.getByRole('cell', { name: 'Change failed', exact: true })).toBeVisible()
  await expect(table.getByRole('cell', { name: 'Devices imported', exact: true })).toBeVisible()
  await expect(
    table.getByText('All 40 devices and 80 coverage records were carried over unchanged.', {
      exact: false,
    }),
  ).toBeVisible()
  await expect(
    table.getByRole('cell', { name: 'Riverside School District', exact: true }),
  ).toBeVisible()
  await app.screenshot('audit-log')

  await page.getByRole('combobox', { name: 'Tenant' }).selectOption({ label: 'Northwind Traders' })
  await expect(
    table.getByRole('cell', { name: 'Riverside School District', exact: true }),
  ).toHaveCount(0)
  await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Credential changed' })
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(table.getByRole('row').nth(1)).toContainText('Northwind Traders')

  const path = join(app.dir, 'audit.csv')
  app.dialogs.saveNext(path)
  await page.getByRole('button', { name: 'Export CSV…' }).click()
  await expect(page.getByRole('status')).toHaveText(`Exported 1 entry to ${path}.`)
  const lines = readFileSync(path, 'utf8').trimEnd().split(/\r?\n/)
  expect(lines).toHaveLength(2)
  expect(lines[1]).toContain('credential.rotated')
})
