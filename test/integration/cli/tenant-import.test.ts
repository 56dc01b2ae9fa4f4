// tenant import-csv through the real axm-credentials executable: devices and coverage into the
// tenant's SQLite file, bad rows reported by line.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEVICE_CSV_HEADER, generateDevicesCsv } from '../../support/device-csv'
import { tenantSnapshot } from '../../support/rotation-world'
import { CliWorld, lines, uniqueName } from './support'

let world: CliWorld
let tenantName: string
let tenantId: string

beforeEach(async () => {
  world = new CliWorld()
  tenantName = uniqueName('Import')
  const id = await world.add(tenantName, world.newClient())
  tenantId = world.state().credentials[id]!.tenantId
})

afterEach(async () => {
  world.expectNoKeyMaterial()
  await world.dispose()
})

/** A row of our export format with one cell changed. */
function rowWith(column: string, value: string): string {
  const cells = ['C0000BADROW1', 'Apple', 'Mac mini (2023)']
  const row = [...cells, ...DEVICE_CSV_HEADER.slice(cells.length).map(() => '')]
  row[DEVICE_CSV_HEADER.indexOf(column)] = value
  return row.join(',')
}

function csvFile(name: string, text: string): string {
  const path = join(world.keysDir, name)
  writeFileSync(path, text)
  return path
}

describe('axm-credentials tenant import-csv', () => {
  it('imports by tenant name, reports the counts and each bad row by its line', async () => {
    // Header on line 1, 30 devices × 2 coverage records on lines 2–61, then two bad rows.
    const good = generateDevicesCsv(30, 2)
    const bad = [rowWith('Serial', ''), rowWith('Coverage Start', '31/12/2024')]
    const file = csvFile('devices.csv', `${good}${bad.join('\r\n')}\r\n`)

    const run = await world.run(['tenant', 'import-csv', tenantName, file])
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe(
      `${tenantName}: 62 rows read, 30 devices and 60 coverage records imported, 2 rows rejected.`,
    )
    expect(lines(run.stderr)).toEqual([
      'line 62: missing serial number',
      expect.stringMatching(/^line 63: bad date "31\/12\/2024" in column "Coverage Start"/),
    ])
    expect(tenantSnapshot(world.dataDir, tenantId)).toMatchObject({ devices: 30, coverage: 60 })
  })

  it('imports by tenant id, updating the devices it already has', async () => {
    await world.run([
      'tenant',
      'import-csv',
      tenantId,
      csvFile('first.csv', generateDevicesCsv(30, 2)),
    ])
    const run = await world.run([
      'tenant',
      'import-csv',
      tenantId,
      csvFile('more.csv', generateDevicesCsv(40, 2)),
    ])
    expect(run).toMatchObject({ status: 0, stderr: '' })
    expect(run.stdout).toContain('40 devices and 80 coverage records imported, 0 rows rejected')
    expect(tenantSnapshot(world.dataDir, tenantId)).toMatchObject({ devices: 40, coverage: 80 })

    const json = await world.run([
      'tenant',
      'import-csv',
      tenantId,
      csvFile('again.csv', generateDevicesCsv(2, 1)),
      '--json',
    ])
    expect(JSON.parse(json.stdout)).toEqual({
      tenantId,
      rows: 2,
      devices: 2,
      coverage: 2,
      skipped: 0,
      errors: [],
    })
  })

  it('fails with one line for an unknown tenant, a file without a good row and a missing file', async () => {
    const file = csvFile('devices.csv', generateDevicesCsv(3, 1))
    const unknown = await world.run(['tenant', 'import-csv', 'No such tenant', file])
    expect(unknown).toMatchObject({ status: 1, stdout: '' })
    expect(lines(unknown.stderr)).toEqual(['axm-credentials: No tenant is named "No such tenant".'])

    const allBad = csvFile(
      'bad.csv',
      `${DEVICE_CSV_HEADER.join(',')}\r\n${rowWith('Serial', '')}\r\n`,
    )
    const nothing = await world.run(['tenant', 'import-csv', tenantName, allBad])
    expect(nothing.status).toBe(1)
    expect(nothing.stderr).toContain('line 2: missing serial number')

    const missing = join(world.keysDir, 'missing.csv')
    const unreadable = await world.run(['tenant', 'import-csv', tenantName, missing])
    expect(unreadable).toMatchObject({ status: 1, stdout: '' })
    expect(lines(unreadable.stderr)).toHaveLength(1)
    expect(unreadable.stderr).toContain(missing)

    expect(tenantSnapshot(world.dataDir, tenantId)).toMatchObject({ devices: 0, coverage: 0 })
  })
})

describe('axm-credentials tenant rename', () => {
  it('renames the tenant by its name or id, keeps the credential’s name, and audits it', async () => {
    const run = await world.run(['tenant', 'rename', tenantName, 'Acme Corporation'])
    expect(run).toMatchObject({ status: 0 })
    expect(run.stdout.trim()).toBe(`Renamed tenant "${tenantName}" to "Acme Corporation".`)
    const state = world.state()
    expect(state.tenants[tenantId]?.name).toBe('Acme Corporation')
    expect(Object.values(state.credentials).map((c) => c.name)).toEqual([tenantName])

    const byId = await world.run(['tenant', 'rename', tenantId, 'Acme Schools', '--json'])
    expect(JSON.parse(byId.stdout)).toMatchObject({ id: tenantId, name: 'Acme Schools' })

    const empty = await world.run(['tenant', 'rename', tenantId, ' '])
    expect(empty).toMatchObject({ status: 1, stdout: '' })
    expect(lines(empty.stderr)).toEqual(['axm-credentials: Name is required'])
    expect(world.state().tenants[tenantId]?.name).toBe('Acme Schools')

    const usage = await world.run(['tenant', 'rename', tenantId])
    expect(usage.status).toBe(2)
  })
})
