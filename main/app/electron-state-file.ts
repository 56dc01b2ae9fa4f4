// The app opens its state file with electron-store; the CLI opens the same file with
// vault/json-state-file.ts, which writes the format of conf, the engine electron-store extends, so
// both read and write one format under one lock.
import ElectronStore from 'electron-store'
import type { AppState, OpenStateFile } from '../vault/state-store'

export const openWithElectronStore: OpenStateFile = (settings) =>
  new ElectronStore<AppState>(settings)
