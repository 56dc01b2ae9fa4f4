// The token endpoint override is for tests on this computer only, and the CLI says when it is on.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCliProcess } from '../../support/cli'

const dataDir = mkdtempSync(join(tmpdir(), 'axm-cli-endpoint-'))

describe('AXM_OAUTH_TOKEN_URL', () => {
  it('warns on every run that uses a loopback test endpoint', () => {
    const run = runCliProcess(['--data-dir', dataDir, 'list', '--json'], {
      AXM_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/auth/oauth2/token',
    })
    expect(run.status).toBe(0)
    expect(run.stderr).toBe(
      "Using the test token endpoint http://127.0.0.1:9 from AXM_OAUTH_TOKEN_URL, not Apple's.\n",
    )
  })

  it('refuses any endpoint off this computer, without echoing credentials in the URL', () => {
    const run = runCliProcess(['--data-dir', dataDir, 'list'], {
      AXM_OAUTH_TOKEN_URL: 'https://user:secret@token.example.com/token',
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('may only point at a test server on this computer')
    expect(run.stderr).not.toContain('secret')
  })

  it('says nothing without the override', () => {
    const run = runCliProcess(['--data-dir', dataDir, 'list', '--json'], {
      AXM_OAUTH_TOKEN_URL: '',
    })
    expect(run).toMatchObject({ status: 0, stderr: '' })
  })
})
