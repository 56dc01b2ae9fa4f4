// How the devices table splits its rows into the pages it asks main for. Kept apart from React, as
// boot.ts asks for the first page before React has even been evaluated.
export const PAGE_SIZE = 200

export const pageOf = (index: number): number => Math.floor(index / PAGE_SIZE)
