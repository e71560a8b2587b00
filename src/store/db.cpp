#include "store/db.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "store/fts_tokenizer.h"
#include "store/migrations.h"

namespace paperd::store {

using core::Error;

namespace {
size_t column_index(const std::vector<std::string>& names, std::string_view col) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == col) return i;
  throw Error::internal("query has no column '" + std::string(col) + "'");
}
}  // namespace

const Value& Row::at(std::string_view col) const {
  return values_[column_index(*names_, col)];
}
bool Row::is_null(std::string_view col) const {
  return std::holds_alternative<std::nullptr_t>(at(col));
}
int64_t Row::i64(std::string_view col) const {
  const Value& v = at(col);
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return 0;
}
double Row::f64(std::string_view col) const {
  const Value& v = at(col);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return 0;
}
std::string Row::text(std::string_view col) const {
  const Value& v = at(col);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}
std::optional<int64_t> Row::opt_i64(std::string_view col) const {
  if (is_null(col)) return std::nullopt;
  return i64(col);
}

Connection::Connection(const std::filesystem::path& file) {
  if (sqlite3_open_v2(file.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw Error::internal("cannot open database " + file.string() + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
  // Switching a new database to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at
  // once (no busy handler) when several connections open it at the same moment: retry a while.
  for (int attempt = 0;; ++attempt) {
    int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) break;
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt == 500) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw Error::internal("cannot open database " + file.string() + ": " + msg);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  exec_script("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
  // Every connection that reads or changes document_fts (serve, workers, migrations, the CLI)
  // needs its tokenizer: FTS5 tokenizes a row again to delete it.
  try {
    register_fts_tokenizer(db_);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Connection::exec_script(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error::internal("database error: " + msg);
  }
}

sqlite3_stmt* Connection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) {
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    return it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK)
    throw Error::internal(std::string("database error preparing statement: ") +
                          sqlite3_errmsg(db_));
  cache_.emplace(std::move(key), stmt);
  return stmt;
}

void Connection::bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const Value& v = params[i];
    if (std::holds_alternative<std::nullptr_t>(v)) {
      sqlite3_bind_null(stmt, idx);
    } else if (auto* n = std::get_if<int64_t>(&v)) {
      sqlite3_bind_int64(stmt, idx, *n);
    } else if (auto* d = std::get_if<double>(&v)) {
      sqlite3_bind_double(stmt, idx, *d);
    } else {
      const auto& s = std::get<std::string>(v);
      sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    }
  }
}

std::vector<Row> Connection::query(std::string_view sql, const std::vector<Value>& params) {
  sqlite3_stmt* stmt = prepare(sql);
  bind(stmt, params);
  int ncol = sqlite3_column_count(stmt);
  auto names = std::make_shared<std::vector<std::string>>();
  for (int c = 0; c < ncol; ++c) names->emplace_back(sqlite3_column_name(stmt, c));
  std::vector<Row> rows;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_reset(stmt);
      throw Error::internal("database error: " + msg);
    }
    std::vector<Value> values;
    values.reserve(ncol);
    for (int c = 0; c < ncol; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          values.emplace_back(nullptr);
          break;
        case SQLITE_INTEGER:
          values.emplace_back(int64_t{sqlite3_column_int64(stmt, c)});
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt, c));
          break;
        default: {
          auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, c));
          values.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt, c)));
        }
      }
    }
    rows.emplace_back(std::move(values), names);
  }
  sqlite3_reset(stmt);
  return rows;
}

std::optional<Row> Connection::query_one(std::string_view sql, const std::vector<Value>& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

int64_t Connection::exec(std::string_view sql, const std::vector<Value>& params) {
  if (tx_depth_ == 0) set_flushed(true);  // a write on its own is an ordinary, flushed commit
  query(sql, params);
  return sqlite3_changes64(db_);
}

int64_t Connection::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

Connection::TxGuard::TxGuard(Connection& c) : conn_(c) {
  outer_ = conn_.tx_depth_++ == 0;
  if (outer_) {
    try {
      conn_.exec_script("BEGIN IMMEDIATE");
    } catch (...) {
      --conn_.tx_depth_;
      throw;
    }
  }
}

Connection::TxGuard::~TxGuard() {
  --conn_.tx_depth_;
  if (outer_ && !done_) {
    try {
      conn_.exec_script("ROLLBACK");
    } catch (...) {
    }
  }
}

void Connection::TxGuard::commit() {
  if (outer_) conn_.exec_script("COMMIT");
  done_ = true;
}

void Connection::set_flushed(bool flushed) {
  if (flushed == flushed_) return;
  exec_script(flushed ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  flushed_ = flushed;
}

namespace {
std::atomic<uint64_t> g_next_instance{1};
// Connections are per (thread, Database); the map dies with the thread.
thread_local std::unordered_map<uint64_t, std::unique_ptr<Connection>> t_connections;
}  // namespace

Database::Database(std::filesystem::path file)
    : file_(std::move(file)), instance_id_(g_next_instance++) {}

Database::~Database() {
  t_connections.erase(instance_id_);
}

Connection& Database::conn() {
  auto& slot = t_connections[instance_id_];
  if (!slot) slot = std::make_unique<Connection>(file_);
  return *slot;
}

void Database::migrate() {
  apply_migrations(conn(), dialect());
}

}  // namespace paperd::store
