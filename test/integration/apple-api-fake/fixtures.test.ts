// The fixtures must carry every quirk the sync has to survive, and be the same on every run.
import { describe, expect, it } from 'vitest'
import {
  makeFakeCoverage,
  makeFakeDevices,
  PAGING_ORG_DEVICES,
  PAGING_ORG_LARGE_SERVER_DEVICES,
  pagingOrgFixture,
  smallOrgFixture,
  type FakeCoverage,
} from '../../support/apple-api'

const WITH_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const WITHOUT_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

describe('makeFakeDevices', () => {
  const devices = makeFakeDevices(25, 1)
  const values = (name: string) => devices.map((device) => device.attributes[name])

  it('is the same for the same seed and differs for another', () => {
    expect(makeFakeDevices(25, 1)).toEqual(devices)
    expect(makeFakeDevices(25, 2).map((d) => d.id)).not.toEqual(devices.map((d) => d.id))
  })

  it('has unique serials that are also the ids', () => {
    expect(new Set(values('serialNumber')).size).toBe(25)
    expect(devices.every((device) => device.id === device.attributes.serialNumber)).toBe(true)
  })

  it('spans six families, three purchase sources and both statuses', () => {
    expect(new Set(values('productFamily'))).toEqual(
      new Set(['iPhone', 'iPad', 'Mac', 'AppleTV', 'Watch', 'Vision']),
    )
    expect(new Set(values('purchaseSourceType'))).toEqual(
      new Set(['APPLE', 'RESELLER', 'MANUALLY_ADDED']),
    )
    expect(new Set(values('status'))).toEqual(new Set(['ASSIGNED', 'UNASSIGNED']))
  })

  it('has milliseconds only on addedToOrgDateTime and updatedDateTime', () => {
    for (const name of ['addedToOrgDateTime', 'updatedDateTime']) {
      expect(values(name).every((value) => WITH_MS.test(String(value)))).toBe(true)
    }
    expect(values('orderDateTime').every((value) => WITHOUT_MS.test(String(value)))).toBe(true)
  })

  it('sends identifiers as a string for some devices and an array for others', () => {
    for (const name of ['imei', 'meid', 'wifiMacAddress', 'ethernetMacAddress']) {
      const present = values(name).filter((value) => value !== undefined)
      expect(
        present.some((value) => typeof value === 'string'),
        name,
      ).toBe(true)
      expect(present.some(Array.isArray), name).toBe(true)
    }
  })

  it('leaves keys out, sends an empty colour, one purchaseSourceUid and one futureField', () => {
    expect(devices.some((device) => !('color' in device.attributes))).toBe(true)
    expect(values('color')).toContain('')
    expect(devices.filter((device) => 'purchaseSourceUid' in device.attributes)).toHaveLength(1)
    expect(devices.filter((device) => 'futureField' in device.attributes)).toHaveLength(1)
  })
})

describe('makeFakeCoverage', () => {
  const asOf = new Date('2026-12-01T00:00:00Z')
  const devices = makeFakeDevices(14, 3)
  const coverage = makeFakeCoverage(devices, asOf)
  const records = (coverage: FakeCoverage | undefined) =>
    typeof coverage === 'object' ? coverage.records : []
  const all = Object.values(coverage).flatMap(records)

  it('deals every kind: records, empty and not found', () => {
    const modes = Object.values(coverage).map((c) => (typeof c === 'object' ? 'records' : c))
    expect(modes.filter((mode) => mode === 'records')).toHaveLength(10)
    expect(modes.filter((mode) => mode === 'empty')).toHaveLength(2)
    expect(modes.filter((mode) => mode === 'notFound')).toHaveLength(2)
  })

  it('has each plan type with its plan key as id', () => {
    const types = new Set(
      all.map((record) => `${record.attributes.paymentType} ${record.attributes.status}`),
    )
    expect(types).toEqual(
      new Set([
        'NONE ACTIVE',
        'NONE INACTIVE',
        'PAID_UP_FRONT ACTIVE',
        'SUBSCRIPTION ACTIVE',
        'ABE_SUBSCRIPTION ACTIVE',
      ]),
    )
    for (const record of all) {
      const { paymentType, agreementNumber } = record.attributes
      if (paymentType === 'NONE') expect(devices.map((d) => d.id)).toContain(record.id)
      else if (paymentType === 'ABE_SUBSCRIPTION') expect(record.id).toMatch(/^abe-/)
      else expect(record.id).toBe(agreementNumber)
    }
  })

  it('gives ABE a null end, a canceled plan a cancel date, and ACTIVE plans a future end', () => {
    const abe = all.filter((record) => record.attributes.paymentType === 'ABE_SUBSCRIPTION')
    expect(abe.every((record) => record.attributes.endDateTime === null)).toBe(true)
    const canceled = all.filter((record) => record.attributes.isCanceled)
    expect(canceled.length).toBeGreaterThan(0)
    expect(canceled.every((record) => record.attributes.contractCancelDateTime !== null)).toBe(true)
    const renewable = all.filter(
      (r) => r.attributes.paymentType === 'SUBSCRIPTION' && r.attributes.isRenewable,
    )
    expect(renewable.length).toBeGreaterThan(0)
    for (const record of all.filter(
      (r) => r.attributes.status === 'ACTIVE' && r.attributes.endDateTime,
    )) {
      expect(Date.parse(record.attributes.endDateTime ?? '')).toBeGreaterThan(asOf.getTime())
    }
  })
})

describe('named org fixtures', () => {
  it('smallOrgFixture: 25 devices on 2 servers, coverage for each', () => {
    const fixture = smallOrgFixture()
    expect(fixture.devices).toHaveLength(25)
    expect(fixture.servers).toHaveLength(2)
    expect(Object.keys(fixture.coverage ?? {})).toHaveLength(25)
    expect(new Set(Object.values(fixture.assignments ?? {})).size).toBe(2)
  })

  it('pagingOrgFixture: 2,345 devices, one server with more than 1000', () => {
    const fixture = pagingOrgFixture()
    expect(fixture.devices).toHaveLength(PAGING_ORG_DEVICES)
    const large = fixture.servers?.[0]?.id
    const onLarge = Object.values(fixture.assignments ?? {}).filter((id) => id === large)
    expect(onLarge).toHaveLength(PAGING_ORG_LARGE_SERVER_DEVICES)
    expect(PAGING_ORG_LARGE_SERVER_DEVICES).toBeGreaterThan(1000)
  })
})
