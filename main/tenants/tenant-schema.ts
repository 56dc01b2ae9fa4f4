// The tenant database schema, as a list of versioned migrations. A migration is never edited once
// released; a change is a new entry at the end of the list.
import type { DatabaseSync } from 'node:sqlite'

export interface Migration {
  /** The PRAGMA user_version the database has after this migration: 1, 2, 3, … */
  version: number
  description: string
  up: (db: DatabaseSync) => void
}

// `best_coverage_end` / `best_coverage_description` repeat the device's latest-ending non-canceled
// coverage. The importer keeps them current, so the Devices tiles are index range counts and the
// table pages without joining 300,000 coverage rows on every scroll.
const DEVICES_COVERAGE_SYNC_RUNS = `
CREATE TABLE devices (
  serial TEXT PRIMARY KEY NOT NULL,
  make TEXT,
  model TEXT,
  family TEXT,
  product_type TEXT,
  status TEXT,
  order_number TEXT,
  part_number TEXT,
  added_to_org TEXT,
  released_from_org TEXT,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  inactive INTEGER NOT NULL DEFAULT 0 CHECK (inactive IN (0, 1)),
  best_coverage_end TEXT,
  best_coverage_description TEXT
);
CREATE INDEX devices_best_coverage_end ON devices (best_coverage_end);

-- coverage_key tells one coverage record of a device from another (the agreement id, or else kind,
-- description and start date), so a re-import updates a record instead of adding a twin.
CREATE TABLE coverage (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL REFERENCES devices (serial) ON DELETE CASCADE,
  coverage_key TEXT NOT NULL,
  kind TEXT,
  description TEXT,
  agreement_id TEXT,
  status TEXT,
  payment_type TEXT,
  start_date TEXT,
  end_date TEXT,
  is_canceled INTEGER NOT NULL DEFAULT 0 CHECK (is_canceled IN (0, 1)),
  UNIQUE (serial, coverage_key)
);
CREATE INDEX coverage_serial_end ON coverage (serial, end_date);

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  source TEXT NOT NULL CHECK (source IN ('csv', 'api')),
  rows INTEGER NOT NULL DEFAULT 0,
  message TEXT
);
`

// Every write transaction bumps `generation`; the snapshot of the data (counts and content hash)
// is kept with the generation it was taken at. Hashing 100,000 devices takes a second, and a
// rotation takes a snapshot before and after, so an unchanged generation answers from here.
const CONTENT_STATE = `
CREATE TABLE content_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL,
  snapshot_generation INTEGER,
  devices INTEGER,
  coverage INTEGER,
  content_hash TEXT
);
INSERT INTO content_state (id, generation) VALUES (1, 0);
`

// A CSV import's audit entry, owed: written in the import's own transaction (import-audits.ts), so
// an import that committed always leaves either its audit entry or this row to write it from.
const PENDING_IMPORT_AUDITS = `
CREATE TABLE pending_import_audits (
  sync_run_id INTEGER PRIMARY KEY REFERENCES sync_runs (id) ON DELETE CASCADE,
  owner_pid INTEGER NOT NULL,
  recorded_at TEXT NOT NULL
);
`

export const TENANT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'devices, coverage and sync runs',
    up: (db) => db.exec(DEVICES_COVERAGE_SYNC_RUNS),
  },
  {
    version: 2,
    description: 'content generation and its cached snapshot',
    up: (db) => db.exec(CONTENT_STATE),
  },
  {
    version: 3,
    description: 'audit entries owed by CSV imports',
    up: (db) => db.exec(PENDING_IMPORT_AUDITS),
  },
]
