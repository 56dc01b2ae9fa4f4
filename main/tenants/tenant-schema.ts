// The tenant database schema, as a list of versioned migrations. A migration is never edited once
// released; a change is a new entry at the end of the list.
import type { DatabaseSync } from 'node:sqlite'
import { noDataSql } from './device-queries'

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

// `generation` changes with every write (since version 5 by triggers, see below); the snapshot of
// the data (counts and content hash) is kept with the generation it was taken at. Hashing 100,000 devices takes a second, and a
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

// The live sync from Apple's API. Devices gain the fields Apple reports and the state of their
// coverage (which answer Apple last gave, when, for which updatedDateTime, and which run last
// asked); `listed_run` marks the devices the current run's enumeration has seen, so a resumed run
// still knows them and a complete one can tell which devices left the organisation. sync_runs is
// rebuilt with the durable state of a run: its progress (cursor, phase), counts and outcome.
const LIVE_SYNC = `
ALTER TABLE devices ADD COLUMN color TEXT;
ALTER TABLE devices ADD COLUMN capacity TEXT;
ALTER TABLE devices ADD COLUMN order_date TEXT;
ALTER TABLE devices ADD COLUMN purchase_source_type TEXT;
ALTER TABLE devices ADD COLUMN purchase_source_id TEXT;
ALTER TABLE devices ADD COLUMN updated_at TEXT;
ALTER TABLE devices ADD COLUMN identifiers TEXT;
ALTER TABLE devices ADD COLUMN coverage_outcome TEXT
  CHECK (coverage_outcome IN ('records', 'none', 'notFound', 'unavailable'));
ALTER TABLE devices ADD COLUMN coverage_checked_at TEXT;
ALTER TABLE devices ADD COLUMN coverage_for_update TEXT;
ALTER TABLE devices ADD COLUMN coverage_attempt_run INTEGER;
ALTER TABLE devices ADD COLUMN coverage_error TEXT;
ALTER TABLE devices ADD COLUMN listed_run INTEGER;
CREATE INDEX devices_listed_run ON devices (listed_run);

CREATE TABLE device_attributes (
  serial TEXT PRIMARY KEY NOT NULL REFERENCES devices (serial) ON DELETE CASCADE,
  attributes TEXT NOT NULL
);

ALTER TABLE coverage ADD COLUMN is_renewable INTEGER CHECK (is_renewable IN (0, 1));
ALTER TABLE coverage ADD COLUMN contract_cancel_date TEXT;

CREATE TABLE sync_runs_v3 (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  source TEXT NOT NULL CHECK (source IN ('csv', 'api')),
  rows INTEGER NOT NULL DEFAULT 0,
  message TEXT,
  kind TEXT CHECK (kind IN ('full', 'partial', 'device')),
  status TEXT NOT NULL DEFAULT 'complete'
    CHECK (status IN ('running', 'complete', 'partial', 'canceled', 'failed')),
  stop_reason TEXT,
  forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
  serial TEXT,
  credential_ids TEXT NOT NULL DEFAULT '[]',
  owner_pid INTEGER,
  updated_at TEXT,
  phase TEXT NOT NULL DEFAULT 'done'
    CHECK (phase IN ('devices', 'reconcile', 'coverage', 'retry', 'done')),
  cursor TEXT,
  restarted INTEGER NOT NULL DEFAULT 0 CHECK (restarted IN (0, 1)),
  enumeration_failed INTEGER NOT NULL DEFAULT 0 CHECK (enumeration_failed IN (0, 1)),
  retry_position TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  devices_seen INTEGER NOT NULL DEFAULT 0,
  devices_new INTEGER NOT NULL DEFAULT 0,
  devices_updated INTEGER NOT NULL DEFAULT 0,
  devices_inactive INTEGER NOT NULL DEFAULT 0,
  coverage_fetched INTEGER NOT NULL DEFAULT 0,
  coverage_none INTEGER NOT NULL DEFAULT 0,
  coverage_not_found INTEGER NOT NULL DEFAULT 0,
  coverage_failed INTEGER NOT NULL DEFAULT 0,
  retries INTEGER NOT NULL DEFAULT 0,
  rate_limit_waits INTEGER NOT NULL DEFAULT 0,
  rate_limit_wait_ms INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_runs_v3 (id, started_at, finished_at, source, rows, message)
  SELECT id, started_at, finished_at, source, rows, message FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_v3 RENAME TO sync_runs;
CREATE INDEX sync_runs_api ON sync_runs (source, status, id);
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

/**
 * Triggers that bump `content_state.generation` on every insert, update and delete of `table`, so a
 * write through any connection (this app, the CLI, the sqlite3 shell) makes a cached snapshot
 * stale. A migration that adds a table holding tenant data adds these for it too.
 */
export function generationTriggersSql(table: string): string {
  return (['INSERT', 'UPDATE', 'DELETE'] as const)
    .map(
      (
        event,
      ) => `CREATE TRIGGER ${table}_generation_${event.toLowerCase()} AFTER ${event} ON ${table}
BEGIN UPDATE content_state SET generation = generation + 1 WHERE id = 1; END;`,
    )
    .join('\n')
}

// Device search is a substring match on serial, model and family: an FTS5 index with the trigram
// tokenizer (case-insensitive) answers it without reading every device. It is an external-content
// index over `devices` (it stores no second copy of the text), kept by triggers; FTS5 needs the old
// values to remove a row, hence the 'delete' commands. The partial index makes the Inactive tile a
// count of the inactive devices alone.
const SEARCH_AND_GENERATION = `
CREATE VIRTUAL TABLE devices_search USING fts5(
  serial, model, family, content = 'devices', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO devices_search (devices_search) VALUES ('rebuild');
CREATE TRIGGER devices_search_insert AFTER INSERT ON devices BEGIN
  INSERT INTO devices_search (rowid, serial, model, family)
  VALUES (new.rowid, new.serial, new.model, new.family);
END;
CREATE TRIGGER devices_search_delete AFTER DELETE ON devices BEGIN
  INSERT INTO devices_search (devices_search, rowid, serial, model, family)
  VALUES ('delete', old.rowid, old.serial, old.model, old.family);
END;
CREATE TRIGGER devices_search_update AFTER UPDATE OF serial, model, family ON devices BEGIN
  INSERT INTO devices_search (devices_search, rowid, serial, model, family)
  VALUES ('delete', old.rowid, old.serial, old.model, old.family);
  INSERT INTO devices_search (rowid, serial, model, family)
  VALUES (new.rowid, new.serial, new.model, new.family);
END;
CREATE INDEX devices_inactive ON devices (serial) WHERE inactive = 1;
${generationTriggersSql('devices')}
${generationTriggersSql('coverage')}
${generationTriggersSql('device_attributes')}
`

// The Devices tiles, counted without reading a million devices: devices by the day their best
// coverage ends (the tiles' bounds are whole days, so the day decides as the full value would),
// by whether they are No Data and by whether they are inactive, kept by triggers like the search
// index. A tile is then a sum over a few thousand buckets. '' stands for "no best coverage": a key
// column cannot hold NULL and still match in an upsert. (No Data's test is NULL, not false, for an
// unasked device with coverage, hence the coalesce.)
const bucketOf = (row: 'new' | 'old') =>
  `coalesce(substr(${row}.best_coverage_end, 1, 10), ''),
    coalesce(${noDataSql(`${row}.best_coverage_end`, `${row}.coverage_outcome`)}, 0), ${row}.inactive`
const addTo = (row: 'new' | 'old', change: 1 | -1) =>
  `INSERT INTO device_tile_counts (end_day, no_data, inactive, devices)
  VALUES (${bucketOf(row)}, ${change})
  ON CONFLICT (end_day, no_data, inactive) DO UPDATE SET devices = devices + ${change};`
const TILE_COUNTS = `
CREATE TABLE device_tile_counts (
  end_day TEXT NOT NULL,
  no_data INTEGER NOT NULL CHECK (no_data IN (0, 1)),
  inactive INTEGER NOT NULL CHECK (inactive IN (0, 1)),
  devices INTEGER NOT NULL,
  PRIMARY KEY (end_day, no_data, inactive)
) WITHOUT ROWID;
INSERT INTO device_tile_counts (end_day, no_data, inactive, devices)
  SELECT coalesce(substr(best_coverage_end, 1, 10), ''),
    coalesce(${noDataSql('best_coverage_end')}, 0), inactive, count(*)
  FROM devices GROUP BY 1, 2, 3;
CREATE TRIGGER device_tile_counts_insert AFTER INSERT ON devices BEGIN
  ${addTo('new', 1)}
END;
CREATE TRIGGER device_tile_counts_delete AFTER DELETE ON devices BEGIN
  ${addTo('old', -1)}
END;
CREATE TRIGGER device_tile_counts_update
AFTER UPDATE OF best_coverage_end, coverage_outcome, inactive ON devices BEGIN
  ${addTo('old', -1)}
  ${addTo('new', 1)}
END;
`

// The Devices table sorts by each of its columns with keyset paging on (column, serial). Each sort
// reads a column of its own, generated from the shown one (virtual: computed, not stored): NULL
// becomes x'' (SQLite orders every BLOB after every TEXT, so a missing value sorts last ascending and
// the key is never NULL, which row-value comparisons need), and text compares without case. Their
// indexes on (key, serial) make the first page, the last and a page after any row a walk of a few
// entries. Status sorts the devices still in the organisation apart from those that left. The No
// Data tile sorted by end date has an index of its own: most of its devices have no end, so on
// the shared index they sit at the far end of every other device (a second at 1,000,000).
const DEVICE_SORT_INDEXES = `
ALTER TABLE devices ADD COLUMN sort_model TEXT COLLATE NOCASE
  GENERATED ALWAYS AS (coalesce(model, x'')) VIRTUAL;
ALTER TABLE devices ADD COLUMN sort_family TEXT COLLATE NOCASE
  GENERATED ALWAYS AS (coalesce(family, x'')) VIRTUAL;
ALTER TABLE devices ADD COLUMN sort_status TEXT COLLATE NOCASE
  GENERATED ALWAYS AS (coalesce(status, x'')) VIRTUAL;
ALTER TABLE devices ADD COLUMN sort_coverage TEXT COLLATE NOCASE
  GENERATED ALWAYS AS (coalesce(best_coverage_description, x'')) VIRTUAL;
ALTER TABLE devices ADD COLUMN sort_coverage_end TEXT
  GENERATED ALWAYS AS (coalesce(best_coverage_end, x'')) VIRTUAL;
CREATE INDEX devices_sort_model ON devices (sort_model, serial);
CREATE INDEX devices_sort_family ON devices (sort_family, serial);
CREATE INDEX devices_sort_status ON devices (inactive, sort_status, serial);
CREATE INDEX devices_sort_coverage ON devices (sort_coverage, serial);
CREATE INDEX devices_sort_coverage_end ON devices (sort_coverage_end, serial);
CREATE INDEX devices_no_data_sort_coverage_end ON devices (sort_coverage_end, serial)
  WHERE ${noDataSql('best_coverage_end')};
`

// The Inactive tile holds a few percent of the devices: walking a shared sort index for them skips
// the rest, so without indexes of their own its sorts sorted every inactive device first (57 ms
// with 20,000 of them). Sorted by serial it walks devices_inactive; by status, devices_sort_status,
// which begins with inactive.
const INACTIVE_SORT_INDEXES = ['model', 'family', 'coverage', 'coverage_end']
  .map(
    (key) =>
      `CREATE INDEX devices_inactive_sort_${key} ON devices (sort_${key}, serial) WHERE inactive = 1;`,
  )
  .join('\n')

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
    description: 'live sync from Apple: device fields, coverage state, durable runs',
    up: (db) => db.exec(LIVE_SYNC),
  },
  {
    version: 4,
    description: 'audit entries owed by CSV imports',
    up: (db) => db.exec(PENDING_IMPORT_AUDITS),
  },
  {
    version: 5,
    description: 'search index, inactive index and a content generation kept by triggers',
    up: (db) => db.exec(SEARCH_AND_GENERATION),
  },
  {
    version: 6,
    description: 'device counts by coverage end day, for the tiles',
    up: (db) => db.exec(TILE_COUNTS),
  },
  {
    version: 7,
    description: 'a sort key and its index for each column of the Devices table',
    up: (db) => db.exec(DEVICE_SORT_INDEXES),
  },
  {
    version: 8,
    description: 'sort indexes of the inactive devices',
    up: (db) => db.exec(INACTIVE_SORT_INDEXES),
  },
]
