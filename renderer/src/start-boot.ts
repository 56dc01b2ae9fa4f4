// Imported first by main.tsx, so the boot starts before React and the app are evaluated: a page
// without main's answers (the dev server's) has them asked for meanwhile.
import { startBoot } from './boot'

export const booted = startBoot()
