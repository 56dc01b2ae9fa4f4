// Starts the BUILT main process (out/main/index.js from `npm run build`) in Node with the electron
// stand-in, and drives it: every method sends one command to the stand-in and waits for its answer.
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Call } from '../electron/stand-in'
import type { ChildMessage, Command } from '../electron/protocol'
import { invokeChannel, type MethodName } from '../../../preload/contract'

export const root = join(import.meta.dirname, '..', '..', '..')
export const builtMain = join(root, 'out', 'main', 'index.js')
export const builtCli = join(root, 'out', 'main', 'cli.js')
export const builtPreload = join(root, 'out', 'preload', 'index.cjs')
/** `node --import` this to run a built entry point with the stand-in for 'electron'. */
export const standInImport = pathToFileURL(
  join(root, 'test', 'wiring', 'electron', 'register.ts'),
).href

let coverage: string | undefined
/** Where every app process of this test file writes its V8 coverage (see function-coverage.ts). */
export const coverageDir = (): string =>
  (coverage ??= mkdtempSync(join(tmpdir(), 'axm-wiring-coverage-')))

export function assertBuilt(): void {
  if (!existsSync(builtMain) || !existsSync(builtPreload)) {
    throw new Error('The wiring tests run the built app: run `npm run build` first.')
  }
}

export interface AppOptions {
  userData: string
  platform?: NodeJS.Platform
  packaged?: boolean
  /** More AXM_WIRING_* switches for the stand-in (see test/wiring/electron). */
  env?: Record<string, string>
}

export interface Exit {
  code: number | null
  /** What the app asked of Electron up to app.exit(), when it ended that way. */
  calls: Call[] | null
}

export class AppProcess {
  readonly #child: ChildProcess
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>()
  #nextId = 0
  #exitCalls: Call[] | null = null
  readonly exited: Promise<Exit>
  stderr = ''

  private constructor(child: ChildProcess) {
    this.#child = child
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'exit') this.#exitCalls = message.calls as Call[]
      if (message.type !== 'reply') return
      const pending = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error !== undefined) pending?.reject(new Error(message.error))
      else pending?.resolve(message.value)
    })
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        for (const pending of this.#pending.values()) {
          pending.reject(new Error(`The app exited (${code}) before answering.\n${this.stderr}`))
        }
        resolve({ code, calls: this.#exitCalls })
      }),
    )
  }

  /** Starts the app; Electron is not 'ready' yet, so what runs at import can be checked first. */
  static start(options: AppOptions): Promise<AppProcess> {
    assertBuilt()
    const child = fork(builtMain, [], {
      cwd: root,
      execArgv: ['--import', standInImport],
      env: {
        ...process.env,
        NODE_V8_COVERAGE: coverageDir(),
        AXM_WIRING_USER_DATA: options.userData,
        // No managed source of the machine's: an empty file of the test's own.
        AXM_MANAGED_PREFS: join(options.userData, '..', 'managed.json'),
        AXM_WIRING_PLATFORM: options.platform ?? '',
        AXM_WIRING_PACKAGED: options.packaged ? '1' : '',
        ...options.env,
      },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    const app = new AppProcess(child)
    return new Promise((resolve, reject) => {
      child.once('message', (message: ChildMessage) => {
        if (message.type === 'loaded') resolve(app)
      })
      child.once('exit', (code) => reject(new Error(`The app exited (${code}).\n${app.stderr}`)))
    })
  }

  /** Starts the app and lets Electron become ready; resolves once the window was created. */
  static async started(options: AppOptions): Promise<AppProcess> {
    const app = await AppProcess.start(options)
    await app.send({ type: 'ready' })
    await app.waitFor('window.loadURL')
    return app
  }

  send<T = unknown>(command: Command): Promise<T> {
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.#child.send({ id, command })
    })
  }

  async calls(api?: string): Promise<Call[]> {
    const calls = await this.send<Call[]>({ type: 'calls' })
    return api ? calls.filter((call) => call.api === api) : calls
  }

  /** The calls to `api`, once there are at least `count` of them. */
  async waitFor(api: string, count = 1): Promise<Call[]> {
    for (;;) {
      const calls = await this.calls(api)
      if (calls.length >= count) return calls
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** A contract method called by window `window`'s main frame, as the renderer would. */
  invoke(method: MethodName, input: unknown = {}, window = 0): Promise<unknown> {
    return this.send({
      type: 'invoke',
      window,
      channel: invokeChannel(method),
      frame: 'main',
      input,
    })
  }

  /** Ends the app, keeping the coverage it gathered (a killed process writes none). */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return
    await this.send({ type: 'take-coverage' }).catch(() => undefined)
    this.#child.kill('SIGKILL')
    await this.exited
  }
}
