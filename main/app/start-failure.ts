// What the user sees when the app cannot start or cannot show its window: a dialog saying why, with
// a way to the data folder when the state file there is damaged, then the app quits.
import { app, dialog, shell } from 'electron'
import { DamagedStateFileError } from '../vault/state-store'

const TITLE = 'AxM Credential Manager could not start'

export async function reportStartFailure(error: unknown, dataDir: string): Promise<void> {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof DamagedStateFileError) {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: TITLE,
      message: TITLE,
      detail: message,
      buttons: ['Open Folder', 'Quit'],
      defaultId: 0,
      cancelId: 1,
    })
    if (response === 0) await shell.openPath(dataDir)
  } else {
    dialog.showErrorBox(TITLE, message)
  }
  app.exit(1)
}
