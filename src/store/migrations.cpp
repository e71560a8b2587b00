#include "store/migrations.h"

#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/db.h"

namespace paperd::store {

namespace {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Times are unix seconds unless a column says _ms. Every row that belongs to someone carries
// account_id, and every query filters by it.
const std::vector<Migration> kSqlite = {
    {1, "accounts, tokens, jobs, downloads", R"SQL(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  tier TEXT NOT NULL,
  credits INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL,
  lookup TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);
CREATE TABLE credit_ledger (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  delta INTEGER NOT NULL,
  reason TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX credit_ledger_account ON credit_ledger(account_id, id);
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  pipeline TEXT NOT NULL,
  operation TEXT NOT NULL,
  priority INTEGER NOT NULL,
  lane TEXT NOT NULL,
  state TEXT NOT NULL,
  params TEXT NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  timeout_s INTEGER NOT NULL,
  worker TEXT,
  lease_until_ms INTEGER,
  credits INTEGER NOT NULL DEFAULT 0,
  result TEXT,
  error_status INTEGER,
  error_code TEXT,
  error TEXT,
  created_ms INTEGER NOT NULL,
  started_ms INTEGER,
  finished_ms INTEGER
);
CREATE INDEX jobs_queue ON jobs(state, priority DESC, seq);
CREATE INDEX jobs_worker ON jobs(worker);
CREATE TABLE job_inputs (
  job_id TEXT NOT NULL REFERENCES jobs(id),
  idx INTEGER NOT NULL,
  field TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  blob_id TEXT,
  source_url TEXT,
  PRIMARY KEY (job_id, idx)
);
CREATE TABLE downloads (
  token TEXT PRIMARY KEY,
  job_id TEXT NOT NULL,
  account_id INTEGER NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  blob_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX downloads_job ON downloads(job_id);
)SQL"},
    {2, "monthly credit periods", R"SQL(
ALTER TABLE accounts ADD COLUMN period TEXT NOT NULL DEFAULT '';
)SQL"},
    {3, "document management: workspaces, documents, versions, annotations, trash, outbox", R"SQL(
ALTER TABLE tokens ADD COLUMN group_name TEXT NOT NULL DEFAULT '';
CREATE TABLE workspaces (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT 'standard',
  status TEXT NOT NULL DEFAULT 'active',
  ai_dms_mode TEXT NOT NULL DEFAULT '',
  group_name TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}',
  created_by INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (account_id, name)
);
CREATE TABLE publishers (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  merged_into INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX publishers_account ON publishers(account_id, name);
CREATE TABLE publisher_aliases (
  publisher_id INTEGER NOT NULL REFERENCES publishers(id),
  alias TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (publisher_id, alias)
);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  pofid TEXT NOT NULL UNIQUE,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  total_pages INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  blob_id TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  lifecycle_status TEXT NOT NULL DEFAULT 'draft',
  publisher_id INTEGER,
  file_metadata TEXT NOT NULL DEFAULT '{}',
  ai_dms_mode TEXT NOT NULL DEFAULT '',
  ai_dms_status TEXT NOT NULL DEFAULT '',
  ai_dms_job_id TEXT NOT NULL DEFAULT '',
  text_source TEXT NOT NULL DEFAULT '',
  revision INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  deleted_at INTEGER,
  deleted_by INTEGER,
  deleted_folder_id INTEGER
);
CREATE INDEX documents_workspace ON documents(workspace_id, deleted_at);
CREATE INDEX documents_account_sha ON documents(account_id, sha256);
CREATE INDEX documents_account_deleted ON documents(account_id, deleted_at);
CREATE INDEX documents_ai_dms ON documents(ai_dms_status);
CREATE TABLE document_versions (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  version INTEGER NOT NULL,
  pofid TEXT NOT NULL UNIQUE,
  file_name TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  total_pages INTEGER NOT NULL,
  blob_id TEXT NOT NULL,
  created_by INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (document_id, version)
);
CREATE TABLE document_revisions (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  action TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  old_value TEXT,
  new_value TEXT,
  actor_token INTEGER NOT NULL DEFAULT 0,
  actor TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX document_revisions_document ON document_revisions(document_id, id);
CREATE TABLE document_meta (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  type TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (document_id, field)
);
CREATE TABLE document_pages (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  page INTEGER NOT NULL,
  text TEXT NOT NULL,
  confidence REAL,
  source TEXT NOT NULL,
  PRIMARY KEY (document_id, page)
);
CREATE TABLE document_tags (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  tag TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags(tag);
CREATE TABLE document_notes (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  author_token INTEGER NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX document_notes_document ON document_notes(document_id);
CREATE TABLE document_comments (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  parent_id INTEGER,
  author_token INTEGER NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0,
  resolved_at_ms INTEGER,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX document_comments_document ON document_comments(document_id);
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  icon TEXT NOT NULL DEFAULT '',
  color TEXT NOT NULL DEFAULT '',
  created_by INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX folders_workspace ON folders(workspace_id);
CREATE TABLE folder_documents (
  folder_id INTEGER NOT NULL REFERENCES folders(id),
  document_id INTEGER NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (folder_id, document_id)
);
CREATE INDEX folder_documents_document ON folder_documents(document_id);
CREATE TABLE legal_holds (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  document_id INTEGER NOT NULL REFERENCES documents(id),
  reason TEXT NOT NULL,
  until_date TEXT,
  placed_by INTEGER NOT NULL,
  placed_at INTEGER NOT NULL,
  released_at INTEGER,
  released_by INTEGER,
  release_reason TEXT
);
CREATE INDEX legal_holds_document ON legal_holds(document_id, released_at);
CREATE TABLE edit_sessions (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id),
  token_id INTEGER NOT NULL,
  holder TEXT NOT NULL,
  session_id TEXT NOT NULL,
  acquired_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE TABLE trash_settings (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
  retention_days INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE document_templates (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  html TEXT NOT NULL,
  css TEXT NOT NULL DEFAULT '',
  variables TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX document_templates_account ON document_templates(account_id);
CREATE TABLE idempotency_keys (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  route TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  payload_sha256 TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, route, idem_key)
);
CREATE TABLE upload_slots (
  id TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  token_id INTEGER NOT NULL,
  secret_hash TEXT NOT NULL,
  file_name TEXT NOT NULL,
  params TEXT NOT NULL,
  blob_id TEXT,
  size INTEGER,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  workspace_id INTEGER,
  document_id INTEGER,
  payload TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX events_account ON events(account_id, id);
CREATE VIRTUAL TABLE document_fts USING fts5(
  file_name, meta, body, document_id UNINDEXED, page UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
)SQL"},
    {4, "webhooks: subscriptions, deliveries and their attempts, outbox cursors, notifications",
     R"SQL(
CREATE TABLE outbox_cursors (
  reader TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
INSERT INTO outbox_cursors (reader, last_seq, updated_at_ms)
  SELECT 'webhooks', COALESCE(MAX(id), 0), CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM events;
CREATE TABLE webhook_subscriptions (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  filters TEXT NOT NULL DEFAULT '{}',
  description TEXT NOT NULL DEFAULT '',
  secret TEXT NOT NULL,
  job_id TEXT,
  status TEXT NOT NULL,
  status_reason TEXT NOT NULL DEFAULT '',
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  since_seq INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  last_delivery_at_ms INTEGER,
  deleted_at_ms INTEGER
);
CREATE UNIQUE INDEX webhook_subscriptions_name ON webhook_subscriptions(account_id, name)
  WHERE deleted_at_ms IS NULL AND job_id IS NULL;
CREATE INDEX webhook_subscriptions_account ON webhook_subscriptions(account_id, status);
CREATE INDEX webhook_subscriptions_job ON webhook_subscriptions(job_id) WHERE job_id IS NOT NULL;
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  delivery_id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL,
  subscription_id INTEGER NOT NULL,
  event_seq INTEGER,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms INTEGER,
  lease_until_ms INTEGER,
  last_status_code INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  last_latency_ms INTEGER,
  response_snippet TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER,
  UNIQUE (subscription_id, event_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at_ms);
CREATE INDEX webhook_deliveries_account ON webhook_deliveries(account_id, id);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, state);
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
  attempt INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT NOT NULL DEFAULT '',
  latency_ms INTEGER NOT NULL,
  response_snippet TEXT NOT NULL DEFAULT '',
  started_at_ms INTEGER NOT NULL,
  next_retry_at_ms INTEGER
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, attempt);
CREATE TABLE account_notifications (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}',
  created_at_ms INTEGER NOT NULL,
  read_at_ms INTEGER
);
CREATE INDEX account_notifications_account ON account_notifications(account_id, id);
)SQL"},
    {5, "message center: messages, deliveries per channel, preferences", R"SQL(
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  user_id INTEGER NOT NULL DEFAULT 0,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  priority TEXT NOT NULL DEFAULT 'normal',
  data TEXT NOT NULL DEFAULT '{}',
  sent_by INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX messages_account ON messages(account_id, user_id, id);
CREATE TABLE message_deliveries (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  account_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL DEFAULT 0,
  channel TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms INTEGER,
  deferred_until_ms INTEGER,
  lease_until_ms INTEGER,
  reason TEXT NOT NULL DEFAULT '',
  provider_ref TEXT NOT NULL DEFAULT '',
  delivered_at_ms INTEGER,
  updated_at_ms INTEGER NOT NULL,
  UNIQUE (message_id, channel)
);
CREATE INDEX message_deliveries_due ON message_deliveries(status, next_attempt_at_ms);
CREATE INDEX message_deliveries_user ON message_deliveries(account_id, user_id, status);
CREATE TABLE message_preferences (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  user_id INTEGER NOT NULL DEFAULT 0,
  prefs TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, user_id)
);
)SQL"},
    {6, "e-signatures: signing requests, signers, hash-chained audit trail", R"SQL(
CREATE TABLE signature_requests (
  id INTEGER PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  workspace_id INTEGER,
  source_document_id INTEGER,
  title TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  sender_email TEXT NOT NULL DEFAULT '',
  file_name TEXT NOT NULL,
  signing_order TEXT NOT NULL,
  status TEXT NOT NULL,
  original_blob_id TEXT NOT NULL,
  current_blob_id TEXT NOT NULL,
  original_sha256 TEXT NOT NULL,
  final_sha256 TEXT NOT NULL DEFAULT '',
  certificate_blob_id TEXT NOT NULL DEFAULT '',
  signed_document_id INTEGER,
  certificate_document_id INTEGER,
  page_count INTEGER NOT NULL,
  pages TEXT NOT NULL DEFAULT '[]',
  reminder_days TEXT NOT NULL DEFAULT '[]',
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER,
  cancelled_at INTEGER,
  cancel_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signature_requests_account ON signature_requests(account_id, id);
CREATE INDEX signature_requests_open ON signature_requests(status, expires_at);
CREATE TABLE signature_signers (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES signature_requests(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'signer',
  status TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '[]',
  field_values TEXT NOT NULL DEFAULT '{}',
  link_hash TEXT UNIQUE,
  link_sealed TEXT NOT NULL DEFAULT '',
  link_expires_at INTEGER,
  sent_at INTEGER,
  viewed_at INTEGER,
  signed_at INTEGER,
  declined_at INTEGER,
  decline_reason TEXT NOT NULL DEFAULT '',
  last_reminded_at INTEGER,
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  UNIQUE (request_id, position)
);
CREATE TABLE signature_audit (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES signature_requests(id),
  seq INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  event TEXT NOT NULL,
  actor TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (request_id, seq)
);
CREATE TRIGGER signature_audit_no_update BEFORE UPDATE ON signature_audit
BEGIN SELECT RAISE(ABORT, 'the signature audit trail is append-only'); END;
CREATE TRIGGER signature_audit_no_delete BEFORE DELETE ON signature_audit
BEGIN SELECT RAISE(ABORT, 'the signature audit trail is append-only'); END;
)SQL"},
    // FTS5 cannot change a table's tokenizer, so the index is made again. A (non-contentless)
    // FTS5 table keeps the text it indexed, so the old table is the exact source of the new one.
    {7, "full text: Snowball stems and German compounds (the paperd tokenizer)", R"SQL(
ALTER TABLE document_fts RENAME TO document_fts_v3;
CREATE VIRTUAL TABLE document_fts USING fts5(
  file_name, meta, body, document_id UNINDEXED, page UNINDEXED,
  tokenize = 'paperd'
);
INSERT INTO document_fts (rowid, file_name, meta, body, document_id, page)
  SELECT rowid, file_name, meta, body, document_id, page FROM document_fts_v3;
DROP TABLE document_fts_v3;
)SQL"},
    // The words of OCR'd pages with their boxes (engines/inspect/page_words.h JSON), for search
    // hits' rectangles; text-layer pages are read from the PDF when asked, so they have none.
    {8, "document store: words with boxes of OCR'd pages", R"SQL(
CREATE TABLE document_page_words (
  document_id INTEGER NOT NULL REFERENCES documents(id),
  page INTEGER NOT NULL,
  width REAL NOT NULL,
  height REAL NOT NULL,
  unit TEXT NOT NULL,
  words TEXT NOT NULL,
  PRIMARY KEY (document_id, page)
);
)SQL"},
    // Semantic search (services/dms/semantic_index.h): per account the model (its engine, a
    // version bumped by each rebuild; for random indexing each term's context vector and document
    // frequency), per chunk its vector under a model version, and the documents whose indexed
    // text changed since their vectors were made (seq counts the changes, so a change during an
    // embedding pass is not lost). Vectors are float32 BLOBs, little-endian.
    {9, "semantic search: per-account models, chunk vectors, changed documents", R"SQL(
CREATE TABLE semantic_models (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
  engine TEXT NOT NULL,
  version INTEGER NOT NULL,
  corpus_chunks INTEGER NOT NULL,
  corpus_documents INTEGER NOT NULL,
  changed_documents INTEGER NOT NULL DEFAULT 0,
  built_at_ms INTEGER NOT NULL
);
CREATE TABLE semantic_terms (
  account_id INTEGER NOT NULL,
  term TEXT NOT NULL,
  df INTEGER NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (account_id, term)
) WITHOUT ROWID;
CREATE TABLE semantic_chunks (
  document_id INTEGER NOT NULL,
  page INTEGER NOT NULL,
  account_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (document_id, page)
);
CREATE INDEX semantic_chunks_account ON semantic_chunks(account_id, version);
CREATE TABLE semantic_dirty (
  document_id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL DEFAULT 1
);
)SQL"},
    // A generation per account bumped by every change of what semantic search reads (vectors,
    // changed-document marks, a document's deletion or move), so a process can keep an account's
    // vectors in memory and know with one read whether they are still current.
    {10, "semantic search: per-account generation of the vectors", R"SQL(
CREATE TABLE semantic_state (
  account_id INTEGER PRIMARY KEY,
  generation INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER semantic_chunks_added AFTER INSERT ON semantic_chunks BEGIN
  INSERT INTO semantic_state (account_id, generation) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER semantic_chunks_removed AFTER DELETE ON semantic_chunks BEGIN
  INSERT INTO semantic_state (account_id, generation) VALUES (OLD.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER semantic_dirty_marked AFTER INSERT ON semantic_dirty BEGIN
  INSERT INTO semantic_state (account_id, generation)
    SELECT account_id, 1 FROM documents WHERE id = NEW.document_id
    ON CONFLICT (account_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER semantic_dirty_remarked AFTER UPDATE ON semantic_dirty BEGIN
  INSERT INTO semantic_state (account_id, generation)
    SELECT account_id, 1 FROM documents WHERE id = NEW.document_id
    ON CONFLICT (account_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER semantic_document_scope AFTER UPDATE OF deleted_at, workspace_id ON documents BEGIN
  INSERT INTO semantic_state (account_id, generation) VALUES (NEW.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET generation = generation + 1;
END;
)SQL"},
    // Entities of each document (services/dms/entity_index.h, engines/extract): one row per
    // occurrence with its chunk (page 0 = name and meta text), type, canonical value and the key
    // that deduplicates it across documents; documents whose text changed since their entities
    // were read (seq as in semantic_dirty).
    {11, "entities: occurrences per document, changed documents", R"SQL(
CREATE TABLE document_entities (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  account_id INTEGER NOT NULL,
  page INTEGER NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  canonical_key TEXT NOT NULL,
  text TEXT NOT NULL,
  start_byte INTEGER NOT NULL,
  length_bytes INTEGER NOT NULL,
  currency TEXT NOT NULL DEFAULT '',
  confidence REAL NOT NULL
);
CREATE INDEX document_entities_document ON document_entities(document_id);
CREATE INDEX document_entities_key ON document_entities(account_id, type, canonical_key);
CREATE TABLE entity_dirty (
  document_id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL DEFAULT 1
);
INSERT INTO entity_dirty (document_id) SELECT id FROM documents;
)SQL"},
    // When each changed-document mark was set, so the semantic index tells documents changed
    // since its model was built (which count towards the next rebuild) from documents the model
    // already read and that only wait for their vector.
    {12, "semantic search: when each document was marked", R"SQL(
ALTER TABLE semantic_dirty ADD COLUMN marked_ms INTEGER NOT NULL DEFAULT 0;
)SQL"},
    // The background merge (FulltextIndex::merge_step, a positive 'merge') merges a level of
    // the full-text index once it holds two segments, not four: a settled index has one segment
    // per level, and a query reads a few segments instead of up to three per level.
    {13, "full-text index: merge levels of two segments", R"SQL(
INSERT INTO document_fts (document_fts, rank) VALUES ('usermerge', 2);
)SQL"},
};

}  // namespace

void apply_migrations(Connection& conn, std::string_view dialect) {
  if (dialect != "sqlite")
    throw core::Error::internal("no migrations for dialect " + std::string(dialect));
  conn.exec_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL)");
  for (const auto& m : kSqlite) {
    conn.transaction([&] {
      if (conn.query_one("SELECT version FROM schema_migrations WHERE version = ?",
                         {int64_t{m.version}}))
        return;
      conn.exec_script(m.sql);
      conn.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {int64_t{m.version}, std::string(m.name), core::unix_now()});
    });
  }
}

}  // namespace paperd::store
