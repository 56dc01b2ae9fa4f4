// The API routes of §13 of apple-api-sync.md: which paths exist, what each accepts and answers.
// Checks every route shares (method, Accept, token, limit, cursor, fields) run in server.ts first.
import type { CursorCodec } from './cursor'
import type { OrgState } from './org'
import { appleError, RELATED_DEVICES_FORBIDDEN, type Reply } from './replies'
import {
  ACTIVATION_LOCK_FIELDS,
  COVERAGE_FIELDS,
  coverageResource,
  deviceResource,
  MDM_SERVER_FIELDS,
  ORG_DEVICE_FIELDS,
  pagedBody,
  pageOf,
  pickFields,
  serverResource,
  type DeviceView,
  type PageRequest,
} from './resources'
import type { RouteName } from './types'

/** Where Apple's example linkage pages point (no `.com`); served only when the switch is on. */
const TYPO_BASE = 'https://api-business.apple'

export interface RouteContext {
  org: OrgState
  /** The request as sent, resolved on the fake's base URL. */
  url: URL
  params: { serial?: string; serverId?: string }
  paging: PageRequest
  fields: Set<string> | undefined
  base: string
  cursors: CursorCodec
  pagingTotal: boolean
  linkageHostTypo: boolean
}

export interface Route {
  name: Exclude<RouteName, 'token' | 'unknown'>
  pattern: RegExp
  paged: boolean
  /** The `fields[…]` parameter the route reads, and the names it accepts. */
  fields?: { parameter: string; names: Set<string> }
  handle(context: RouteContext): Reply
}

const SEGMENT = '([^/]+)'
const deviceFields = { parameter: 'fields[orgDevices]', names: ORG_DEVICE_FIELDS }
const serverFields = { parameter: 'fields[mdmServers]', names: MDM_SERVER_FIELDS }

export const ROUTES: Route[] = [
  {
    name: 'orgDevices',
    pattern: /^\/v1\/orgDevices$/,
    paged: true,
    fields: deviceFields,
    handle: (context) => {
      const page = pageOf(
        context.org.listed(),
        (entry) => entry.key,
        context.paging,
        context.cursors,
      )
      const data = page.items.map((entry) =>
        deviceResource(viewOf(entry), context.base, context.fields),
      )
      return ok(pagedBody(data, page, pagingOptions(context)))
    },
  },
  {
    name: 'orgDevice',
    pattern: new RegExp(`^/v1/orgDevices/${SEGMENT}$`),
    paged: false,
    fields: deviceFields,
    handle: (context) => {
      const entry = context.org.readable(serialOf(context))
      if (!entry) return notFound(context)
      return ok({
        data: deviceResource(viewOf(entry), context.base, context.fields),
        links: { self: selfOf(context) },
      })
    },
  },
  {
    name: 'coverage',
    pattern: new RegExp(`^/v1/orgDevices/${SEGMENT}/appleCareCoverage$`),
    paged: true,
    fields: { parameter: 'fields[appleCareCoverage]', names: COVERAGE_FIELDS },
    handle: (context) => {
      const serial = serialOf(context)
      if (!context.org.readable(serial)) return notFound(context)
      const coverage = context.org.coverageOf(serial)
      if (coverage === 'notFound') return notFound(context)
      if (coverage === 'forbidden') {
        return appleError(403, 'This API account may not read AppleCare coverage.')
      }
      if (coverage === 'badRequest') return appleError(400, 'The request could not be processed.')
      const records = coverage === 'empty' ? [] : coverage.records
      const page = pageOf(records, (_, index) => index + 1, context.paging, context.cursors)
      const data = page.items.map((record) => coverageResource(record, context.fields))
      return ok(pagedBody(data, page, pagingOptions(context)))
    },
  },
  {
    name: 'assignedServerLinkage',
    pattern: new RegExp(`^/v1/orgDevices/${SEGMENT}/relationships/assignedServer$`),
    paged: false,
    handle: (context) => {
      const serial = serialOf(context)
      const server = context.org.readable(serial) && context.org.serverOf(serial)
      if (!server) return notFound(context)
      const device = `${context.base}/v1/orgDevices/${serial}`
      return ok({
        data: { type: 'mdmServers', id: server.id },
        links: { self: selfOf(context), related: `${device}/assignedServer` },
      })
    },
  },
  {
    name: 'assignedServer',
    pattern: new RegExp(`^/v1/orgDevices/${SEGMENT}/assignedServer$`),
    paged: false,
    fields: serverFields,
    handle: (context) => {
      const serial = serialOf(context)
      const server = context.org.readable(serial) && context.org.serverOf(serial)
      if (!server) return notFound(context)
      const count = context.org.assignedTo(server.id).length
      return ok({
        data: serverResource(server, count, context.base, context.fields),
        links: { self: selfOf(context) },
      })
    },
  },
  {
    name: 'activationLockStatus',
    pattern: new RegExp(`^/v1/orgDevices/${SEGMENT}/activationLockStatus$`),
    paged: false,
    fields: { parameter: 'fields[activationLockStatus]', names: ACTIVATION_LOCK_FIELDS },
    handle: (context) => {
      const serial = serialOf(context)
      if (!context.org.readable(serial)) return notFound(context)
      const lock = { ...context.org.activationLockOf(serial) }
      return ok({
        data: {
          type: 'activationLockStatus',
          id: serial,
          attributes: pickFields(lock, context.fields, ACTIVATION_LOCK_FIELDS),
        },
        links: { self: selfOf(context) },
      })
    },
  },
  {
    name: 'mdmServers',
    pattern: /^\/v1\/mdmServers$/,
    paged: true,
    fields: serverFields,
    handle: (context) => {
      const { org } = context
      const page = pageOf(org.servers, (_, index) => index + 1, context.paging, context.cursors)
      const data = page.items.map((server) =>
        serverResource(server, org.assignedTo(server.id).length, context.base, context.fields),
      )
      return ok(pagedBody(data, page, pagingOptions(context)))
    },
  },
  {
    name: 'serverDevicesLinkage',
    pattern: new RegExp(`^/v1/mdmServers/${SEGMENT}/relationships/devices$`),
    paged: true,
    handle: (context) => {
      const serverId = context.params.serverId ?? ''
      if (!context.org.server(serverId)) return notFound(context)
      const assigned = context.org.assignedTo(serverId)
      const page = pageOf(assigned, (entry) => entry.key, context.paging, context.cursors)
      const data = page.items.map((entry) => ({ type: 'orgDevices', id: entry.device.id }))
      const base = context.linkageHostTypo ? TYPO_BASE : context.base
      const self = `${base}${context.url.pathname}${context.url.search}`
      const related = `${base}/v1/mdmServers/${serverId}/devices`
      const options = { ...pagingOptions(context), self, base: `${base}${context.url.pathname}` }
      return ok(pagedBody(data, page, { ...options, extraLinks: { related } }))
    },
  },
  {
    name: 'serverDevices',
    pattern: new RegExp(`^/v1/mdmServers/${SEGMENT}/devices$`),
    paged: false,
    handle: () => RELATED_DEVICES_FORBIDDEN,
  },
  {
    name: 'auditEvents',
    pattern: /^\/v1\/auditEvents$/,
    paged: true,
    handle: auditEvents,
  },
]

/** DEVICE_REMOVED_FROM_ORG events of releases; ABM only (on ASM Apple's answer is unknown: 404). */
function auditEvents(context: RouteContext): Reply {
  if (context.org.scope !== 'business') return notFound(context)
  const query = context.url.searchParams
  for (const parameter of ['filter[startTimestamp]', 'filter[endTimestamp]']) {
    const value = query.get(parameter)
    if (value === null) {
      return appleError(400, `The parameter '${parameter}' is required.`, {
        code: 'PARAMETER_ERROR.REQUIRED',
        parameter,
      })
    }
    if (Number.isNaN(Date.parse(value))) {
      return appleError(400, `'${value}' is not a date-time.`, { parameter })
    }
  }
  const start = Date.parse(query.get('filter[startTimestamp]') ?? '')
  const end = Date.parse(query.get('filter[endTimestamp]') ?? '')
  const type = query.get('filter[type]')
  const events = context.org.auditEvents.filter((event) => {
    const at = Date.parse(event.at)
    return at >= start && at <= end && (type === null || type === 'DEVICE_REMOVED_FROM_ORG')
  })
  const page = pageOf(events, (_, index) => index + 1, context.paging, context.cursors)
  const data = page.items.map((event) => ({
    type: 'auditEvents',
    id: event.id,
    attributes: {
      type: 'DEVICE_REMOVED_FROM_ORG',
      eventDateTime: event.at,
      eventDataDeviceRemovedFromOrg: {
        serialNumber: event.serial,
        releaseEntityId: 'fake-api-account',
        releaseEntityType: 'API',
      },
    },
  }))
  return ok(pagedBody(data, page, pagingOptions(context)))
}

function viewOf(entry: {
  device: { attributes: { serialNumber: string } & Record<string, unknown> }
  releasedAt: string | null
}): DeviceView {
  const { attributes } = entry.device
  return { serial: attributes.serialNumber, attributes, releasedAt: entry.releasedAt }
}

function pagingOptions(context: RouteContext) {
  return {
    self: selfOf(context),
    base: `${context.base}${context.url.pathname}`,
    limit: context.paging.limit,
    withTotal: context.pagingTotal,
  }
}

const selfOf = (context: RouteContext): string =>
  `${context.base}${context.url.pathname}${context.url.search}`

const serialOf = (context: RouteContext): string => context.params.serial ?? ''

const ok = (body: object): Reply => ({ status: 200, body })

const notFound = (context: RouteContext): Reply =>
  appleError(404, `There is no resource at ${context.url.pathname}.`)

/** The route a path names, with its path parameters. */
export function matchRoute(
  pathname: string,
): { route: Route; params: RouteContext['params'] } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname)
    if (!match) continue
    const value = match[1] === undefined ? undefined : decodeURIComponent(match[1])
    const params = route.name.startsWith('server') ? { serverId: value } : { serial: value }
    return { route, params }
  }
  return undefined
}
