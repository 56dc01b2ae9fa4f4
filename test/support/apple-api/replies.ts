// What a route answers, before the server decides how to send it (whole, or cut off by a fault),
// and Apple's error body shape: {"errors":[{id, status, code, title, detail, source?}]}. The
// codes for 401/404/429/5xx are placeholders (Apple documents none); tests assert status only.

export interface Reply {
  status: number
  body: object | string
  headers?: Record<string, string>
}

const CODES: Record<number, { code: string; title: string }> = {
  400: { code: 'PARAMETER_ERROR.INVALID', title: 'A parameter has an invalid value' },
  401: { code: 'UNAUTHORIZED', title: 'Authentication credentials are missing or invalid' },
  403: { code: 'FORBIDDEN_ERROR', title: 'This request is forbidden for security reasons' },
  404: { code: 'NOT_FOUND', title: 'The specified resource does not exist' },
  405: { code: 'METHOD_NOT_ALLOWED', title: 'The request method is not allowed' },
  406: { code: 'NOT_ACCEPTABLE', title: 'The requested representation is not available' },
  429: { code: 'RATE_LIMIT_EXCEEDED', title: 'The request rate limit has been reached' },
}

let errorCount = 0

export function appleError(
  status: number,
  detail: string,
  extra: { code?: string; parameter?: string; headers?: Record<string, string> } = {},
): Reply {
  const known = CODES[status] ?? { code: 'INTERNAL', title: 'An unexpected error occurred' }
  errorCount += 1
  const error: Record<string, unknown> = {
    id: `fake-error-${errorCount}`,
    status: String(status),
    code: extra.code ?? known.code,
    title: known.title,
    detail,
  }
  if (extra.parameter) error.source = { parameter: extra.parameter }
  return { status, body: { errors: [error] }, headers: extra.headers }
}

/** What a proxy in front of Apple answers when it fails: a page, not JSON. */
export function htmlError(status: number, headers?: Record<string, string>): Reply {
  const text = `<html><head><title>${status}</title></head><body><h1>${status} Service Error</h1></body></html>`
  return { status, body: text, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } }
}

/** Apple's exact answer to `GET /v1/mdmServers/{id}/devices` (JamfCommander, apple-business-go). */
export const RELATED_DEVICES_FORBIDDEN: Reply = {
  status: 403,
  body: {
    errors: [
      {
        status: '403',
        code: 'FORBIDDEN_ERROR',
        detail:
          "The relationship 'devices' does not allow 'GET_RELATED'. Allowed operation is: GET_RELATIONSHIP",
      },
    ],
  },
}
