import { describe, expect, it } from 'vitest'
import { parseRegQueryValue } from '../../../main/managed/registry-source'

// Captured from `reg query HKLM\SOFTWARE\Policies\AxMCredentialManager /v ManagedCredentials`
// on Windows 11 (CRLF line ends, four-space separators).
const SAMPLE = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\AxMCredentialManager',
  '    ManagedCredentials    REG_SZ    [{"id":"acme","name":"Acme  Corp","revision":2}]',
  '',
  '',
].join('\r\n')

describe('parseRegQueryValue', () => {
  it('returns the data of the named value, spaces inside it kept', () => {
    expect(parseRegQueryValue(SAMPLE, 'ManagedCredentials')).toBe(
      '[{"id":"acme","name":"Acme  Corp","revision":2}]',
    )
  })

  it('matches the value name case-insensitively, as the registry does', () => {
    expect(parseRegQueryValue(SAMPLE, 'managedcredentials')).toContain('"acme"')
  })

  it('answers undefined when the value is not listed', () => {
    expect(parseRegQueryValue(SAMPLE, 'Other')).toBeUndefined()
    expect(parseRegQueryValue('', 'ManagedCredentials')).toBeUndefined()
  })

  it('ignores values that are not strings', () => {
    const dword = '\r\nHKEY_CURRENT_USER\\X\r\n    ManagedCredentials    REG_DWORD    0x1\r\n'
    expect(parseRegQueryValue(dword, 'ManagedCredentials')).toBeUndefined()
  })
})
