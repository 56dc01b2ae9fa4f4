// Maps a request path to a file of the built renderer, refusing anything outside its folder.
import { join, normalize, sep } from 'node:path'

/** The file `pathname` names under `rendererDir`, or null for a path that escapes it or is malformed. */
export function rendererFileFor(rendererDir: string, pathname: string): string | null {
  const root = normalize(rendererDir + sep)
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const file = normalize(join(root, decoded))
  return file.startsWith(root) ? file : null
}
