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

const COMPARE = `
import base64, datetime, json, math, plistlib, sys
LIMIT = 2**53 - 1
def encode(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return {'data': base64.b64encode(value).decode()}
    if isinstance(value, datetime.datetime):
        return 'date'
    if isinstance(value, plistlib.UID):
        return {'UID': value.data}
    if isinstance(value, float):
        if math.isnan(value):
            return 'nan'
        if math.isinf(value):
            return 'inf' if value > 0 else '-inf'
        return 'large' if value.is_integer() and abs(value) > LIMIT else value
    if isinstance(value, int):
        return 'large' if abs(value) > LIMIT else value
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encode(item) for item in value]
    raise TypeError(type(value).__name__)
for path in sys.argv[1:]:
    try:
        with open(path, 'rb') as source:
            print(json.dumps({'value': encode(plistlib.load(source))}))
    except Exception as error:
        print(json.dumps({'error': type(error).__name__}))
`

/**
 * plistlib's reading of each file, for comparing with the app's: data as `{data: base64}`, dates
 * as "date", integers past 2^53 as "large", NaN and infinities as text; or the error it raised.
 */
export function plistlibReadings(paths: string[]): Array<{ value?: unknown; error?: string }> {
  const output = execFileSync('python3', ['-c', COMPARE, ...paths], { maxBuffer: 64 * 1024 * 1024 })
  return output
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { value?: unknown; error?: string })
}
