// Property lists written and read by python3's plistlib, an implementation independent of the app's
// parsers. Values travel as JSON; binary data is marked with plistData() and becomes <data>.
import { execFileSync } from 'node:child_process'

const DATA_MARKER = '__plist_data__'

export type PlistFormat = 'xml' | 'binary'

/** Marks bytes to be written as a plist <data> value (plistlib `bytes`). */
export function plistData(bytes: Buffer): { [DATA_MARKER]: string } {
  return { [DATA_MARKER]: bytes.toString('base64') }
}

const WRITE = `
import base64, json, plistlib, sys
def decode(value):
    if isinstance(value, dict):
        if set(value) == {'${DATA_MARKER}'}:
            return base64.b64decode(value['${DATA_MARKER}'])
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value
fmt = plistlib.FMT_BINARY if sys.argv[1] == 'binary' else plistlib.FMT_XML
with open(sys.argv[2], 'wb') as out:
    plistlib.dump(decode(json.load(sys.stdin)), out, fmt=fmt)
`

const READ = `
import base64, datetime, json, plistlib, sys
def encode(value):
    if isinstance(value, bytes):
        return {'${DATA_MARKER}': base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value
with open(sys.argv[1], 'rb') as source:
    json.dump(encode(plistlib.load(source)), sys.stdout)
`

/** Writes `value` to `path` as an XML or binary plist with plistlib. */
export function writePlist(path: string, value: unknown, format: PlistFormat = 'xml'): void {
  execFileSync('python3', ['-c', WRITE, format, path], { input: JSON.stringify(value) })
}

/** Reads any plist with plistlib; <data> comes back as plistData() markers. */
export function readPlist(path: string): unknown {
  return JSON.parse(execFileSync('python3', ['-c', READ, path]).toString('utf8'))
}
