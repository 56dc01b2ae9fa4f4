import { describe, expect, it } from 'vitest'
import { KdfBudget, MAX_KDF_WORK } from '../../../main/vault/kdf-budget'
import { MAX_KDF_ITERATIONS, MAX_PKCS12_KDF_ITERATIONS } from '../../../main/vault/key-encryption'

const REFUSAL =
  'This key asks for more key-derivation work in all than this app allows, so a damaged or ' +
  "hostile file cannot freeze the app. Re-export it with openssl's default settings."

describe('the KDF work one input may spend in all', () => {
  it('fits any single derivation each KDF cap allows', () => {
    for (const digest of ['sha1', 'sha256', 'sha384', 'sha512']) {
      expect(() => new KdfBudget().pbkdf2(digest, MAX_KDF_ITERATIONS, 32)).not.toThrow()
    }
    expect(() => new KdfBudget().pkcs12('sha256', MAX_PKCS12_KDF_ITERATIONS, 32)).not.toThrow()
    expect(() => new KdfBudget().scrypt(2 ** 16, 8, 1)).not.toThrow()
  })

  it('fits openssl pkcs12 -iter 600000, modern and -legacy: MAC, key and IV', () => {
    const modern = new KdfBudget()
    modern.pkcs12('sha256', 600_000, 32)
    expect(() => modern.pbkdf2('sha256', 600_000, 32)).not.toThrow()
    const legacy = new KdfBudget()
    legacy.pkcs12('sha1', 600_000, 20)
    legacy.pkcs12('sha1', 600_000, 24)
    expect(() => legacy.pkcs12('sha1', 600_000, 8)).not.toThrow()
  })

  it('refuses the derivation that would take an input over, before it runs', () => {
    const budget = new KdfBudget()
    budget.pbkdf2('sha512', MAX_KDF_ITERATIONS, 32)
    budget.pkcs12('sha256', 100_000, 32)
    expect(() => budget.pkcs12('sha256', 100_000, 32)).toThrow(REFUSAL)
    // A refused charge spends nothing: a smaller derivation still fits.
    expect(() => budget.pbkdf2('sha256', 1_000, 32)).not.toThrow()
    expect(MAX_KDF_WORK).toBe(16_000_000)
  })
})
