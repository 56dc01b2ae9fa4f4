// electron-vite's config for the first-row anchor page (./first-row-anchor): the renderer's own
// config, plugins, minify and all, with only the root and the entry page changed, so the anchor is
// built exactly the way the renderer is. Paths are from the repository's root, where npm runs.
import { resolve } from 'node:path'
import config from '../electron.vite.config'

const root = resolve('bench/first-row-anchor')

export default {
  renderer: {
    ...config.renderer,
    root,
    build: {
      ...config.renderer?.build,
      rollupOptions: { input: { index: resolve(root, 'index.html') } },
    },
  },
}
