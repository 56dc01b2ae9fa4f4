import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog, AuditSecretError, auditToCsv } from '../../../main/audit/audit-log'
import type { AuditEntry } from '../../../preload/model'
import { makeP256Key, makeRsaKey, pemBody } from '../../support/openssl-keys'

// Keys made by openssl for this run: what a leak into the audit log would really look like.
const keyDir = mkdtempSync(join(tmpdir(), 'axm-audit-keys-'))
const ecPem = readFileSync(makeP256Key(keyDir), 'utf8')
const rsaPem = readFileSync(makeRsaKey(keyDir), 'utf8')

let dir: string
let log: AuditLog

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'axm-audit-'))
  log = new AuditLog(dir)
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const added = (tenantId: string, summary = 'Added credential "Acme"') =>
  ({ kind: 'credential.added', tenantId, credentialId: 'c1', summary }) as const

describe('AuditLog', () => {
  it('appends one JSON line per entry, private to the user, and lists newest first', () => {
    const first = log.append(added('t1'))
    const second = log.append({ kind: 'credential.renamed', tenantId: 't1', summary: 'Renamed' })
    expect(first.id).not.toBe(second.id)
    expect(new Date(first.at).toISOString()).toBe(first.at)
    const lines = readFileSync(log.path, 'utf8').split('\n')
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[0] ?? '')).toEqual(first)
    expect(statSync(log.path).mode & 0o777).toBe(0o600)
    expect(log.list()).toEqual([second, first])
  })

  it('records the OS user who made each change, and none when the OS cannot name one', () => {
    expect(log.append(added('t1')).user).toBe(userInfo().username)
    const nameless = new AuditLog(dir, undefined, () => undefined)
    const entry = nameless.append(added('t1'))
    expect(entry).not.toHaveProperty('user')
    expect(log.list()[0]).toEqual(entry)
  })

  it('reads an empty list when nothing was written yet', () => {
    expect(log.read()).toEqual({ entries: [], skippedLines: 0 })
  })

  it('filters by tenant and by kind', () => {
    log.append(added('t1'))
    log.append(added('t2'))
    log.append({ kind: 'tenant.removed', tenantId: 't2', summary: 'Removed tenant' })
    expect(log.list({ tenantId: 't2' }).map((e) => e.kind)).toEqual([
      'tenant.removed',
      'credential.added',
    ])
    expect(log.list({ kind: 'credential.added' }).map((e) => e.tenantId)).toEqual(['t2', 't1'])
    expect(log.list({ tenantId: 't1', kind: 'tenant.removed' })).toEqual([])
  })

  it('finds entries by words in the summary, user, ids or details, and by a time range', () => {
    let at = Date.parse('2025-03-01T10:00:00.000Z')
    const clocked = new AuditLog(
      dir,
      () => new Date((at += 24 * 3600_000)),
      () => 'ada',
    )
    clocked.append(added('t1', 'Added credential "Acme Corp"'))
    clocked.append({ ...added('t2', 'Added credential "Beta"'), details: { keyId: 'K-42' } })
    clocked.append({ kind: 'tenant.renamed', tenantId: 't2', summary: 'Renamed tenant' })
    const summaries = (filter: Parameters<AuditLog['list']>[0]) =>
      clocked.list(filter).map((e) => e.summary)
    expect(summaries({ search: 'acme' })).toEqual(['Added credential "Acme Corp"'])
    expect(summaries({ search: 'k-42 beta' })).toEqual(['Added credential "Beta"'])
    expect(summaries({ search: 'ADA' })).toHaveLength(3)
    expect(summaries({ search: 'acme beta' })).toEqual([])
    expect(
      summaries({ from: '2025-03-03T00:00:00.000Z', until: '2025-03-04T00:00:00.000Z' }),
    ).toEqual(['Added credential "Beta"'])
    expect(summaries({ from: '2025-03-04T00:00:00.000Z', tenantId: 't2' })).toEqual([
      'Renamed tenant',
    ])
  })

  it('keeps details and reads back what another AuditLog on the same folder wrote', () => {
    const details = { devices: 12, coverage: 3, confirmed: true, note: null, clientId: 'B.1' }
    log.append({ ...added('t1'), details })
    expect(new AuditLog(dir).list()[0]?.details).toEqual(details)
  })

  it.each([
    ['PEM armor', `key ${ecPem}`],
    ['a JWT', 'token eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJCVVNJTkVTU0FQSSJ9.c2lnbmF0dXJl'],
    ['a bare PKCS#8 key', `key ${pemBody(ecPem)}`],
    ['a bare RSA key', `key ${pemBody(rsaPem)}`],
  ])('refuses an entry holding %s and writes nothing', (_what, secret) => {
    expect(() => log.append(added('t1', secret))).toThrow(AuditSecretError)
    expect(() => log.append({ ...added('t1'), details: { leaked: secret } })).toThrow(
      /looked like it held key material/,
    )
    expect(log.read()).toEqual({ entries: [], skippedLines: 0 })
  })

  it.each([
    ['a long name without spaces', `Acme_${'Regional-School-District'.repeat(6)}`],
    ['a 200-character managed id', `managed-${'A1b2C3d4'.repeat(24)}`],
    [
      "Apple's error_description",
      'error_description=' + 'The_client_assertion_is_invalid_or_expired_'.repeat(4),
    ],
  ])('writes an entry holding %s, which is ordinary data', (_what, text) => {
    expect(text.length).toBeGreaterThan(100)
    const entry = log.append({ ...added('t1', text), details: { value: text } })
    expect(log.list()).toEqual([entry])
  })

  it('refuses a kind that does not exist', () => {
    expect(() => log.append({ kind: 'credential.stolen' as never, summary: 'x' })).toThrow()
  })

  it('skips and counts a torn last line, and the next entry still lands whole', () => {
    const kept = log.append(added('t1'))
    appendFileSync(log.path, '{"id":"torn","at":"2025-01-0')
    expect(log.read()).toEqual({ entries: [kept], skippedLines: 1 })
    const next = log.append(added('t2'))
    expect(log.read()).toEqual({ entries: [next, kept], skippedLines: 1 })
  })
})

describe('auditToCsv', () => {
  const entry = (over: Partial<AuditEntry>): AuditEntry => ({
    id: 'e1',
    at: '2025-03-01T10:00:00.000Z',
    kind: 'credential.added',
    summary: 'Added',
    ...over,
  })

  it('writes a header and one CRLF row per entry, with ISO dates', () => {
    const csv = auditToCsv([
      entry({ tenantId: 't1', credentialId: 'c1', details: { n: 1 }, user: 'ada' }),
    ])
    expect(csv).toBe(
      'at,kind,tenantId,credentialId,summary,details,id,user\r\n' +
        '2025-03-01T10:00:00.000Z,credential.added,t1,c1,Added,"{""n"":1}",e1,ada\r\n',
    )
  })

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const csv = auditToCsv([entry({ summary: 'Renamed "A, Inc."\nto B' })])
    expect(csv.split('\r\n')[1]).toBe(
      '2025-03-01T10:00:00.000Z,credential.added,,,"Renamed ""A, Inc.""\nto B",,e1,',
    )
  })

  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)'])(
    'defuses the formula %s',
    (summary) => {
      const cell =
        auditToCsv([entry({ summary })])
          .split('\r\n')[1]
          ?.split(',')[4] ?? ''
      expect(cell.replace(/^"/, '').startsWith(`'${summary.slice(0, 1)}`)).toBe(true)
    },
  )

  it('adds one more apostrophe to a value that already starts with one before a formula', () => {
    const row = auditToCsv([entry({ summary: "'=1+2" })]).split('\r\n')[1]
    expect(row?.split(',')[4]).toBe("''=1+2")
  })

  it('writes just the header for no entries', () => {
    expect(auditToCsv([])).toBe('at,kind,tenantId,credentialId,summary,details,id,user\r\n')
  })
})
