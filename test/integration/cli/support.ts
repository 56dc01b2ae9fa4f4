// The setting of the axm-credentials integration tests: a data folder and a key folder of their
// own, the real executable run against them in child processes, and a record of every run so each
// test can check that no private key material left the keychain. The CLI always uses the real
// keychain service name, so a world deletes the keychain items of its own credentials, and only
// those, when it is disposed.
import { spawn } from 'node:child_process'
import { createPrivateKey, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { TenantDataSnapshot } from '../../../preload/model'
import { AUDIT_FILE_NAME } from '../../../main/audit/audit-log'
import { KEYCHAIN_SERVICE } from '../../../main/paths'
import { TenantDatabase } from '../../../main/tenants/tenant-database'
import { KeychainSecretStore } from '../../../main/vault/secret-store'
import type { AppState } from '../../../main/vault/state-store'
import type { CliRun } from '../../support/cli'
import { generateDevicesCsv } from '../../support/device-csv'
import { makeTestClient, type TestClient } from '../../support/oauth-server'

const ENTRY = join(import.meta.dirname, '..', '..', '..', 'main', 'cli', 'main.ts')
/** The token URL of runs that must not reach any server: a closed port on this computer. */
export const CLOSED_TOKEN_URL = 'http://127.0.0.1:9/auth/oauth2/token'

export const keychain = new KeychainSecretStore(KEYCHAIN_SERVICE)

export class CliWorld {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'axm-cli-data-'))
  readonly keysDir = mkdtempSync(join(tmpdir(), 'axm-cli-keys-'))
  readonly runs: CliRun[] = []
  /** Passphrases given to runs; they must never be echoed either. */
  readonly #passphrases = new Set<string>()

  constructor(readonly env: NodeJS.ProcessEnv = {}) {}

  /**
   * Runs `axm-credentials --data-dir DIR ...args`. Asynchronous, so that this process keeps
   * serving the loopback OAuth server while the child talks to it, and so runs can overlap.
   */
  run(
    args: string[],
    env: NodeJS.ProcessEnv = {},
    kill?: AbortSignal,
    interrupt?: AbortSignal,
  ): Promise<CliRun> {
    return this.runWithoutDataDir(['--data-dir', this.dataDir, ...args], env, kill, interrupt)
  }

  /**
   * The same, for runs that find their folder another way (AXM_DATA_DIR). Aborting `kill` ends the
   * child with SIGKILL, as a crash or a power cut would; aborting `interrupt` sends it SIGINT, as
   * Ctrl+C on its terminal would.
   */
  async runWithoutDataDir(
    args: string[],
    env: NodeJS.ProcessEnv = {},
    kill?: AbortSignal,
    interrupt?: AbortSignal,
  ): Promise<CliRun> {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: {
        ...process.env,
        AXM_OAUTH_TOKEN_URL: CLOSED_TOKEN_URL,
        AXM_KEY_PASSPHRASE: '',
        ...this.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      signal: kill,
      killSignal: 'SIGKILL',
    })
    interrupt?.addEventListener('abort', () => child.kill('SIGINT'), { once: true })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    // A killed child reports an AbortError first; its output still counts.
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', (error) => kill?.aborted || reject(error))
      child.on('close', resolve)
    })
    // Every run here talks to this suite's own loopback endpoint; the CLI says so on each, and the
    // assertions are about what follows. (One test checks the warning itself.)
    const run = { status, stdout, stderr: withoutTestEndpointWarning(stderr) }
    this.runs.push(run)
    if (env.AXM_KEY_PASSPHRASE) this.#passphrases.add(env.AXM_KEY_PASSPHRASE)
    return run
  }

  /** A new API account: fresh Client ID and Key ID, and a key made by openssl. */
  newClient(scope: TestClient['scope'] = 'business'): TestClient {
    return makeTestClient(this.keysDir, scope)
  }

  /** `add` through the CLI; returns the new credential's id. */
  async add(name: string, client: TestClient): Promise<string> {
    const run = await this.run(addArgs(name, client))
    expect(run.stderr).not.toMatch(/^axm-credentials:/m)
    expect(run.status).toBe(0)
    return run.stdout.trim()
  }

  /** The state file as the app would read it. */
  state(): AppState {
    return JSON.parse(this.stateBytes().toString('utf8')) as AppState
  }

  stateBytes(): Buffer {
    return readFileSync(join(this.dataDir, 'config.json'))
  }

  /** Writes a tenant's devices straight into its database, for tests of what becomes of them. */
  importDevices(tenantId: string, devices: number, coveragePerDevice: number): TenantDataSnapshot {
    const db = TenantDatabase.open(this.dataDir, tenantId)
    try {
      db.importCsv(generateDevicesCsv(devices, coveragePerDevice))
      return db.snapshot()
    } finally {
      db.close()
    }
  }

  tenantDbPath(tenantId: string): string {
    return join(this.dataDir, 'tenants', `${tenantId}.sqlite`)
  }

  /** Nothing that could rebuild a private key, nor a passphrase, in any output or file. */
  expectNoKeyMaterial(): void {
    const files = ['config.json', AUDIT_FILE_NAME]
      .map((name) => join(this.dataDir, name))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path, 'utf8'))
    const outputs = this.runs.flatMap((run) => [run.stdout, run.stderr])
    const fragments = [...this.#keyFragments(), ...this.#passphrases]
    for (const text of [...outputs, ...files]) {
      expect(text).not.toContain('PRIVATE KEY')
      for (const fragment of fragments) expect(text).not.toContain(fragment)
    }
  }

  /** Deletes the keychain items of this world's credentials and its folders. */
  async dispose(): Promise<void> {
    const credentials = existsSync(join(this.dataDir, 'config.json'))
      ? Object.keys(this.state().credentials)
      : []
    for (const id of credentials) await keychain.delete(id)
    rmSync(this.dataDir, { recursive: true, force: true })
    rmSync(this.keysDir, { recursive: true, force: true })
  }

  /**
   * Every key file's PEM body lines, and of the unencrypted ones the private scalar in the
   * encodings a leak would most likely take (base64url as in a JWK, base64, hex).
   */
  #keyFragments(): string[] {
    return readdirSync(this.keysDir)
      .filter((name) => name.endsWith('.pem'))
      .flatMap((name) => {
        const pem = readFileSync(join(this.keysDir, name), 'utf8')
        const body = pem.split(/\r?\n/).filter((line) => line.length >= 32 && !line.startsWith('-'))
        if (pem.includes('ENCRYPTED')) return body
        const d = createPrivateKey(pem).export({ format: 'jwk' }).d as string
        const scalar = Buffer.from(d, 'base64url')
        return [...body, d, scalar.toString('base64'), scalar.toString('hex')]
      })
  }
}

export function addArgs(name: string, client: TestClient): string[] {
  return [
    'add',
    '--name',
    name,
    '--client-id',
    client.clientId,
    '--key-id',
    client.keyId,
    '--key',
    client.keyPath,
  ]
}

/** Other test files share the keychain service, so each credential a test adds has a name of its own. */
export const uniqueName = (label: string): string => `${label} ${randomUUID().slice(0, 8)}`

/** stderr's lines; a refusal is exactly one. */
export const lines = (text: string): string[] => text.trim().split('\n').filter(Boolean)

const TEST_ENDPOINT_WARNINGS =
  /^(Using the test token endpoint .* from AXM_OAUTH_TOKEN_URL, not Apple's\.\n)?(Using the test API .* from AXM_APPLE_API_URL, not Apple's\.\n)?/

function withoutTestEndpointWarning(stderr: string): string {
  return stderr.replace(TEST_ENDPOINT_WARNINGS, '')
}
