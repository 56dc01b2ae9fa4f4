// Opaque paging cursors shaped like Apple's: base64url of seven colon-separated fields, the time-
// like ones in epoch milliseconds (`0:0:1746113892590:1746113892590:true:false:1746113892590`).
// Ours hold the invalidation generation, the page the cursor leads to, the position after which
// that page starts (a device's list key, or a record offset) twice, and the time it was issued.

export interface CursorPosition {
  /** 1-based page this cursor leads to. */
  page: number
  /** The page starts after this position. */
  after: number
}

export type CursorRead = { ok: true; position: CursorPosition } | { ok: false; stale: boolean }

export class CursorCodec {
  #generation = 0

  encode(position: CursorPosition): string {
    const { page, after } = position
    const fields = [this.#generation, page, after, after, true, false, Date.now()]
    return Buffer.from(fields.join(':')).toString('base64url')
  }

  decode(cursor: string): CursorRead {
    const fields = Buffer.from(cursor, 'base64url').toString('utf8').split(':')
    const [generation, page, after, again] = fields.map(Number)
    if (
      fields.length !== 7 ||
      !Number.isInteger(generation) ||
      !Number.isInteger(page) ||
      !Number.isInteger(after) ||
      after !== again ||
      (page as number) < 2
    ) {
      return { ok: false, stale: false }
    }
    if (generation !== this.#generation) return { ok: false, stale: true }
    return { ok: true, position: { page: page as number, after: after as number } }
  }

  /** Every cursor issued so far becomes stale. */
  invalidate(): void {
    this.#generation += 1
  }
}
