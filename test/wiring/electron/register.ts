// Loaded with `node --import` before the BUILT main process or CLI: points every import of
// 'electron' at the stand-in, and sets up what the scenario asks for (another platform, a machine
// without libsecret).
import { register } from 'node:module'

const platform = process.env.AXM_WIRING_PLATFORM
if (platform) Object.defineProperty(process, 'platform', { value: platform })
register('./resolve.ts', import.meta.url)
