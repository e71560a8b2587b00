// The data-access layer: a thin wrapper over one SQL connection, used everywhere (ARCHITECTURE §2).
// SQL is written portably with `?` placeholders so a PostgreSQL dialect can translate them to $n;
// migrations are versioned per dialect (migrations.cpp). A Database hands each thread its own
// Connection, so callers never share a statement across threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace paperd::store {

using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

// One result row; columns by index or name.
class Row {
 public:
  Row(std::vector<Value> values, std::shared_ptr<const std::vector<std::string>> names)
      : values_(std::move(values)), names_(std::move(names)) {}
  bool is_null(std::string_view col) const;
  int64_t i64(std::string_view col) const;       // NULL -> 0
  double f64(std::string_view col) const;        // NULL -> 0
  std::string text(std::string_view col) const;  // NULL -> ""
  std::optional<int64_t> opt_i64(std::string_view col) const;
  const Value& at(std::string_view col) const;

 private:
  std::vector<Value> values_;
  std::shared_ptr<const std::vector<std::string>> names_;
};

class Connection {
 public:
  explicit Connection(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (schema, pragmas).
  void exec_script(std::string_view sql);
  // Runs one statement; returns the number of changed rows.
  int64_t exec(std::string_view sql, const std::vector<Value>& params = {});
  std::vector<Row> query(std::string_view sql, const std::vector<Value>& params = {});
  std::optional<Row> query_one(std::string_view sql, const std::vector<Value>& params = {});
  int64_t last_insert_id() const;

  // Runs fn inside a write transaction (BEGIN IMMEDIATE); commits on return, rolls back on throw.
  // Nested calls join the outer transaction.
  template <typename F>
  auto transaction(F&& fn) -> decltype(fn()) {
    if (tx_depth_ == 0) set_flushed(true);
    TxGuard guard(*this);
    return run_in(guard, fn);
  }

  // The same, but its commit is not flushed to disk (WAL with synchronous=NORMAL): for writes a
  // power cut may undo without harm because recovery would do the same anyway (a worker's claim
  // of a job, a heartbeat). Consistency is kept; the next ordinary commit flushes them with its
  // own. Inside another transaction it just joins it.
  template <typename F>
  auto unflushed_transaction(F&& fn) -> decltype(fn()) {
    if (tx_depth_ == 0) set_flushed(false);
    TxGuard guard(*this);
    return run_in(guard, fn);
  }

 private:
  class TxGuard {
   public:
    explicit TxGuard(Connection& c);
    ~TxGuard();
    void commit();

   private:
    Connection& conn_;
    bool outer_ = false;
    bool done_ = false;
  };
  void set_flushed(bool flushed);  // synchronous=FULL or NORMAL, when it changes
  template <typename F>
  static auto run_in(TxGuard& guard, F& fn) -> decltype(fn()) {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      guard.commit();
    } else {
      auto result = fn();
      guard.commit();
      return result;
    }
  }
  sqlite3_stmt* prepare(std::string_view sql);
  void bind(sqlite3_stmt* stmt, const std::vector<Value>& params);

  sqlite3* db_ = nullptr;
  int tx_depth_ = 0;
  bool flushed_ = true;  // synchronous=FULL, as opened
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Owns the database file and the per-thread connections to it.
class Database {
 public:
  explicit Database(std::filesystem::path file);
  ~Database();
  // This thread's connection (opened on first use).
  Connection& conn();
  // Applies pending migrations of this dialect; safe to call from several processes.
  void migrate();
  std::string_view dialect() const { return "sqlite"; }
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  uint64_t instance_id_;
};

}  // namespace paperd::store
