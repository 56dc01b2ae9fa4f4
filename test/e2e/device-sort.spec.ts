// Sorting the devices table with the keyboard alone: each header is a button that sorts by its
// column and turns the order around when pressed again; the order is on the header (aria-sort) and
// beside its label, stays through a tile and a search, reaches the last row by key, and is the
// order of the CSV export. Light and dark pass axe.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DeviceFilter, DeviceSort } from '../../preload/model'
import { expectAccessible } from './support/axe'
import { expect, test } from './support/fixtures'
import { seedTenant } from './support/scenes'

const DEVICES = 600

for (const colorScheme of ['light', 'dark'] as const) {
  test(`sorts the devices by a column from the keyboard, both ways (${colorScheme})`, async ({
    app,
  }) => {
    const { page } = app
    await page.emulateMedia({ colorScheme })
    const { tenantId } = (await seedTenant(app, 'Sorted Devices Ltd', DEVICES)).credential
    await app.open()
    const table = page.getByRole('table', { name: 'Devices' })
    await expect(table).toHaveAttribute('aria-rowcount', String(DEVICES + 1))
    const header = (name: string) => table.getByRole('columnheader', { name })
    const firstRow = table.getByRole('row').nth(1)
    const serialOf = async (
      sort: DeviceSort,
      from: 'start' | 'end',
      filter: DeviceFilter = 'all',
      search = '',
    ) => {
      const [row] = await app.call('queryDevices', {
        tenantId,
        filter,
        search,
        sort,
        cursor: { from },
        limit: 1,
      })
      return row!.serial
    }

    // Serial ascending to begin with; the search box, then Tab, reaches the headers.
    await expect(header('Serial')).toHaveAttribute('aria-sort', 'ascending')
    await expect(header('End date')).not.toHaveAttribute('aria-sort')
    await page.getByRole('searchbox', { name: 'Search devices' }).focus()
    await page.keyboard.press('Tab')
    await expect(header('Serial').getByRole('button')).toBeFocused()
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab')
    const endDate = header('End date').getByRole('button', { name: 'End date' })
    await expect(endDate).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(header('End date')).toHaveAttribute('aria-sort', 'ascending')
    await expect(header('Serial')).not.toHaveAttribute('aria-sort')
    const ascending = { column: 'coverageEnd', descending: false } as const
    await expect(firstRow).toContainText(await serialOf(ascending, 'start'))
    await page.keyboard.press('Space')
    await expect(header('End date')).toHaveAttribute('aria-sort', 'descending')
    await expect(endDate).toContainText('▼')
    await expect(endDate).toBeFocused()
    const descending = { column: 'coverageEnd', descending: true } as const
    await expect(firstRow).toContainText(await serialOf(descending, 'start'))
    await expectAccessible(page, `the devices sorted by end date (${colorScheme})`)
    if (colorScheme === 'light') await app.screenshot('devices-sorted')

    // The last row, reached by a jump of the scroll bar, is the sort's last.
    const lastRow = table.locator(`[role="row"][aria-rowindex="${DEVICES + 1}"]`)
    await table.locator('.device-table-scroll').evaluate((element) => {
      element.scrollTop = element.scrollHeight
    })
    await expect(lastRow).toContainText(await serialOf(descending, 'end'))

    // The sort stays through a tile and a search, and starts again at the top.
    const expired = page
      .getByRole('group', { name: 'Filter devices by coverage' })
      .getByRole('button', { name: /Expired$/ })
    await expired.focus()
    await page.keyboard.press('Enter')
    await expect(header('End date')).toHaveAttribute('aria-sort', 'descending')
    await expect(firstRow).toContainText(await serialOf(descending, 'start', 'expired'))
    await page.getByRole('searchbox', { name: 'Search devices' }).fill('iPad')
    await expect(firstRow).toContainText(await serialOf(descending, 'start', 'expired', 'iPad'))
    await expect(header('End date')).toHaveAttribute('aria-sort', 'descending')

    // Another column sorts ascending first.
    await header('Model').getByRole('button').focus()
    await page.keyboard.press('Enter')
    await expect(header('Model')).toHaveAttribute('aria-sort', 'ascending')
    const byModel = { column: 'model', descending: false } as const
    await expect(firstRow).toContainText(await serialOf(byModel, 'start', 'expired', 'iPad'))

    // The export writes what the table shows, in the table's order.
    const path = join(app.dir, `sorted-${colorScheme}.csv`)
    app.dialogs.saveNext(path)
    await page.getByRole('button', { name: 'Export CSV…' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toBeVisible()
    const shown = await app.call('queryDevices', {
      tenantId,
      filter: 'expired',
      search: 'iPad',
      sort: byModel,
      cursor: { from: 'start' },
      limit: DEVICES,
    })
    const lines = readFileSync(path, 'utf8').trim().split('\r\n').slice(1)
    const exported = [...new Set(lines.map((line) => line.split(',')[0]))]
    expect(exported).toEqual(shown.map((row) => row.serial))
  })
}
