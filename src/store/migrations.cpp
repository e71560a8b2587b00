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
