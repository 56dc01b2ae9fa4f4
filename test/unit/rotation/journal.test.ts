import { describe, expect, it } from 'vitest'
import {
  advanceJournal,
  findJournal,
  journalEntries,
  removeJournal,
  reviseJournal,
  tenantHasJournal,
} from '../../../main/rotation/journal'
import { RotationConflictError } from '../../../main/rotation/errors'
import { emptyState } from '../../../main/vault/state-store'
import { addTenant, stageReplacement } from '../../support/rotation-state'

describe('the rotation journal', () => {
  it('advances a step, stamps the time and keeps what it knew', () => {
    const state = emptyState()
    const { journal } = stageReplacement(state, addTenant(state, 'East'))
    const at = new Date('2025-06-02T09:00:00.000Z')
    const before = { devices: 3, coverage: 9, contentHash: 'abc' }

    advanceJournal(state, journal.runId, 'cutover', at, { confirmation: 'oauth', before })
    const advanced = advanceJournal(state, journal.runId, 'purge', at)

    expect(advanced).toEqual({
      ...journal,
      step: 'purge',
      updatedAt: at.toISOString(),
      confirmation: 'oauth',
      before,
    })
    expect(journalEntries(state)).toEqual([{ runId: journal.runId, journal: advanced }])
  })

  it('records a rollback or the audited change without moving the step', () => {
    const state = emptyState()
    const { journal } = stageReplacement(state, addTenant(state, 'East'))
    const at = new Date('2025-06-02T09:00:00.000Z')

    reviseJournal(state, journal.runId, at, { rollingBack: true })

    expect(findJournal(state, journal.runId)).toEqual({
      ...journal,
      rollingBack: true,
      updatedAt: at.toISOString(),
    })
  })

  it('reads a journal written before rollbacks and audits were recorded in it', () => {
    const state = emptyState()
    const { journal } = stageReplacement(state, addTenant(state, 'East'))
    expect(journal).not.toHaveProperty('rollingBack')
    expect(journal).not.toHaveProperty('rotatedAudited')
    expect(findJournal(state, journal.runId)).toEqual(journal)
  })

  it('refuses to advance a journal that is gone', () => {
    const state = emptyState()
    const { journal } = stageReplacement(state, addTenant(state, 'East'))
    removeJournal(state, journal.runId)
    expect(() => advanceJournal(state, journal.runId, 'stage', new Date())).toThrow(
      RotationConflictError,
    )
  })

  it('reports a damaged entry, or one filed under another run id, without hiding the others', () => {
    const state = emptyState()
    const east = addTenant(state, 'East')
    const west = addTenant(state, 'West')
    const { journal } = stageReplacement(state, east)
    state.rotations.torn = { runId: 'torn', step: 'cutover' }
    state.rotations.moved = { ...journal, runId: 'elsewhere' }

    const entries = journalEntries(state)

    expect(entries.filter((entry) => entry.journal !== null)).toHaveLength(1)
    expect(entries.filter((entry) => entry.journal === null).map((e) => e.runId)).toEqual([
      'torn',
      'moved',
    ])
    expect(tenantHasJournal(state, west.tenantId)).toBe(true)
  })

  it('tells which tenants a run holds', () => {
    const state = emptyState()
    const east = addTenant(state, 'East')
    const west = addTenant(state, 'West')
    stageReplacement(state, east)
    expect(tenantHasJournal(state, east.tenantId)).toBe(true)
    expect(tenantHasJournal(state, west.tenantId)).toBe(false)
  })
})
