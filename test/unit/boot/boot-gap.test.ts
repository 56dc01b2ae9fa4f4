import { describe, expect, test } from 'vitest'
import type { ContractEvents, EventName } from '../../../preload/contract'
import { BootGap } from '../../../main/boot/boot-gap'

type Sent = { event: EventName; payload: unknown }

function gap() {
  const sent: Sent[] = []
  const events = new BootGap(<E extends EventName>(event: E, payload: ContractEvents[E]) =>
    sent.push({ event, payload }),
  )
  return { events, sent }
}

const managed = (revision: string) =>
  ({ entries: [], revision }) as unknown as ContractEvents['managedChanged']

describe('BootGap', () => {
  test('sends every event at once, loading or not', () => {
    const { events, sent } = gap()
    events.send('dataChanged', { what: 'audit' })
    events.opened()
    events.send('dataChanged', { what: 'devices', tenantId: 't1' })
    expect(sent).toEqual([
      { event: 'dataChanged', payload: { what: 'audit' } },
      { event: 'dataChanged', payload: { what: 'devices', tenantId: 't1' } },
    ])
  })

  test('sends again, once the page has loaded, what changed a boot answer while it loaded', () => {
    const { events, sent } = gap()
    events.opened()
    events.send('managedChanged', managed('1'))
    events.send('dataChanged', { what: 'devices', tenantId: 't1' })
    events.send('syncProgress', { tenantId: 't1' } as unknown as ContractEvents['syncProgress'])
    events.send('managedChanged', managed('2'))
    events.send('dataChanged', { what: 'devices', tenantId: 't1' })
    events.send('dataChanged', { what: 'devices', tenantId: 't2' })
    sent.length = 0
    events.closed()
    // The last managed state only; each change once; progress is no boot answer's.
    expect(sent).toEqual([
      { event: 'managedChanged', payload: managed('2') },
      { event: 'dataChanged', payload: { what: 'devices', tenantId: 't1' } },
      { event: 'dataChanged', payload: { what: 'devices', tenantId: 't2' } },
    ])
  })

  test('keeps nothing before the answers are read or after the page has loaded', () => {
    const { events, sent } = gap()
    events.send('managedChanged', managed('before'))
    events.opened()
    events.closed()
    events.send('managedChanged', managed('after'))
    sent.length = 0
    events.closed()
    expect(sent).toEqual([])
  })

  test('a page loaded again starts afresh', () => {
    const { events, sent } = gap()
    events.opened()
    events.send('dataChanged', { what: 'credentials' })
    events.opened()
    sent.length = 0
    events.closed()
    expect(sent).toEqual([])
  })
})
