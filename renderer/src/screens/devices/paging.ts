// How the devices table splits its rows into the pages it asks main for; the boot brings the first.
import { DEVICE_PAGE_SIZE } from '../../../../preload/boot'

export const PAGE_SIZE = DEVICE_PAGE_SIZE

export const pageOf = (index: number): number => Math.floor(index / PAGE_SIZE)
