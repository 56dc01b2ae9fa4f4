import { describe, expect, it } from 'vitest'
import { emptyState, stateSchema } from '../../../main/vault/state-store'

describe('stateSchema', () => {
  it('reads a state file written before vault intents existed as having none', () => {
    const { vaultIntents, ...older } = emptyState()
    expect(vaultIntents).toEqual({})
    expect(stateSchema.parse(older)).toEqual(emptyState())
  })

  it('refuses an intent of an unknown kind', () => {
    const intent = { kind: 'rename', ownerPid: 1, updatedAt: new Date().toISOString() }
    const state = { ...emptyState(), vaultIntents: { id: intent } }
    expect(stateSchema.safeParse(state).success).toBe(false)
  })
})
