// What the test asks the stand-in to do, and what it answers (over the child-process IPC channel).

export type Command =
  /** Electron finished starting: app.whenReady() resolves. */
  | { type: 'ready' }
  | { type: 'calls' }
  | { type: 'app-event'; name: string; args: unknown[] }
  | { type: 'close-window'; window: number }
  | { type: 'minimize-window'; window: number }
  | { type: 'window-event'; window: number; name: string }
  /** The user answers the oldest open file dialog. */
  | { type: 'answer-dialog'; answer: unknown }
  /** The window's main frame now shows another page. */
  | { type: 'navigate-frame'; window: number; url: string }
  | {
      type: 'invoke'
      window: number
      channel: string
      /** Who sends: the window's main frame, a subframe of it, or a frame already gone. */
      frame: 'main' | 'subframe' | 'none'
      frameUrl?: string
      input: unknown
    }
  | { type: 'fetch'; scheme: string; url: string }
  | {
      type: 'permission-request' | 'permission-check'
      window: number
      permission: string
      isMainFrame: boolean
      requestingUrl: string
    }
  | { type: 'contents-event'; window: number; name: string; url: string }
  | { type: 'window-open'; window: number; url: string }
  /** Write the V8 coverage gathered so far (NODE_V8_COVERAGE), before the test ends the process. */
  | { type: 'take-coverage' }
  /** Stop keeping the process alive for the test: it ends once the app lets go of everything. */
  | { type: 'release' }

export type Reply = { type: 'reply'; id: number; value?: unknown; error?: string }

export type ChildMessage =
  Reply | { type: 'loaded' } | { type: 'exit'; code: number; calls: unknown[] }
