// A minimal application menu. On macOS copy, paste and select-all shortcuts only work through menu
// items with the Edit roles; the default menu's View items (reload, DevTools) are left out.
import { Menu, type MenuItemConstructorOptions } from 'electron'

export function setApplicationMenu(platform: NodeJS.Platform = process.platform): void {
  const template: MenuItemConstructorOptions[] =
    platform === 'darwin'
      ? [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]
      : [{ role: 'editMenu' }]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
