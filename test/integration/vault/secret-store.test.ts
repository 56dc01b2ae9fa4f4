import { afterEach, describe, expect, it } from 'vitest'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import { clearKeychain, uniqueKeychainService } from './support/vault-fixture'

const service = uniqueKeychainService()

afterEach(async () => {
  await clearKeychain(service)
})

describe('KeychainSecretStore on the real keychain', () => {
  it('stores, reads, lists and deletes one item per account', async () => {
    const store = new KeychainSecretStore(service)
    await store.set('credential-a', 'secret A')
    await store.set('credential-b', 'secret B')
    await store.set('credential-b', 'secret B2')
    expect(await store.get('credential-a')).toBe('secret A')
    expect(await store.get('credential-b')).toBe('secret B2')
    expect((await store.accounts()).sort()).toEqual(['credential-a', 'credential-b'])

    expect(await store.delete('credential-a')).toBe(true)
    expect(await store.delete('credential-a')).toBe(false)
    expect(await store.get('credential-a')).toBeNull()
    expect(await store.accounts()).toEqual(['credential-b'])
  })

  it('keeps services apart', async () => {
    const other = new KeychainSecretStore(uniqueKeychainService())
    await new KeychainSecretStore(service).set('shared-account', 'mine')
    expect(await other.get('shared-account')).toBeNull()
    expect(await other.accounts()).toEqual([])
  })
})
