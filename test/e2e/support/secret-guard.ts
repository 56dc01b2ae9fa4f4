// Watches everything main sends to the renderer for private key material: PEM armour, the base64
// of a key's DER (plain or as it appears in the PEM body) and the passphrases used in the test.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Long enough that a match is never a coincidence, short enough to catch a partial leak. */
const WINDOW = 24

export class SecretGuard {
  readonly #needles = new Map<string, string>()
  readonly violations: string[] = []

  /** Guards a key file: its PEM lines and the DER of its unencrypted private key. */
  protectKeyFile(path: string, passphrase?: string): void {
    const bytes = readFileSync(path)
    const text = bytes.toString('latin1')
    if (text.includes('-----BEGIN')) {
      for (const line of text.split(/\r?\n/)) this.#add(line.trim(), `a line of ${path}`)
    } else {
      this.#add(bytes.toString('base64'), `the bytes of ${path}`)
    }
    const pass = passphrase === undefined ? [] : ['-passin', `pass:${passphrase}`]
    const der = execFileSync('openssl', ['pkey', '-in', path, ...pass, '-outform', 'DER'])
    this.#add(der.toString('base64'), `the private key DER of ${path}`)
  }

  protectPassphrase(passphrase: string): void {
    this.#needles.set(passphrase, 'a passphrase')
  }

  /** Records a violation if `body` (a response or an event main sent) holds a guarded secret. */
  check(body: string, where: string): void {
    if (body.includes('-----BEGIN')) this.violations.push(`${where}: PEM armour`)
    for (const [needle, what] of this.#needles) {
      if (body.includes(needle)) this.violations.push(`${where}: ${what}`)
    }
  }

  #add(base64: string, what: string): void {
    if (base64.length < WINDOW || base64.startsWith('-----') || base64.includes(':')) return
    for (let at = 0; at + WINDOW <= base64.length; at += WINDOW) {
      this.#needles.set(base64.slice(at, at + WINDOW), what)
    }
  }
}
