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

// `generation` changes with every write (since version 3 by triggers, see below); the snapshot of the data (counts and content hash)
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
    description: 'search index, inactive index and a content generation kept by triggers',
    up: (db) => db.exec(SEARCH_AND_GENERATION),
  },
]
