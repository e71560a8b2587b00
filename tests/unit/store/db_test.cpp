// SQLite data-access layer on a fresh file per test: value binding and row accessors, change
// counts, per-thread connections, transactions (commit, rollback on throw, nesting) and
// idempotent migrations.
#include "store/db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/fs.h"

namespace paperd::store {
namespace {

namespace fs = std::filesystem;

class DbTest : public ::testing::Test {
 protected:
  DbTest() : dir_(fs::temp_directory_path(), "paperd-db-test-"), db_(dir_.path() / "paperd.db") {
    db_.conn().exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, x REAL, s TEXT)");
  }
  int64_t count(const std::string& table = "t") {
    return db_.conn().query_one("SELECT COUNT(*) AS c FROM " + table)->i64("c");
  }
  core::TempDir dir_;
  Database db_;
};

TEST_F(DbTest, BindsAndReadsEveryValueType) {
  auto& c = db_.conn();
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(c.exec("INSERT INTO t (n, x, s) VALUES (?, ?, ?)", {int64_t{-42}, 2.5, with_nul}), 1);
  int64_t id = c.last_insert_id();
  EXPECT_GT(id, 0);
  EXPECT_EQ(c.exec("INSERT INTO t (n, x, s) VALUES (?, ?, ?)", {nullptr, nullptr, nullptr}), 1);
  EXPECT_EQ(c.last_insert_id(), id + 1);

  auto row = c.query_one("SELECT id, n, x, s FROM t WHERE id = ?", {id});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->i64("id"), id);
  EXPECT_EQ(row->i64("n"), -42);
  EXPECT_DOUBLE_EQ(row->f64("x"), 2.5);
  EXPECT_EQ(row->text("s"), with_nul);  // length-aware, not C-string
  EXPECT_EQ(row->text("n"), "-42");
  EXPECT_EQ(row->opt_i64("n"), std::optional<int64_t>(-42));
  EXPECT_FALSE(row->is_null("s"));

  auto nulls = c.query_one("SELECT n, x, s FROM t WHERE id = ?", {id + 1});
  ASSERT_TRUE(nulls);
  EXPECT_TRUE(nulls->is_null("n"));
  EXPECT_EQ(nulls->i64("n"), 0);
  EXPECT_EQ(nulls->f64("x"), 0);
  EXPECT_EQ(nulls->text("s"), "");
  EXPECT_FALSE(nulls->opt_i64("n"));
}

TEST_F(DbTest, BoundTextIsNeverSql) {
  auto& c = db_.conn();
  const std::string evil = "x'); DROP TABLE t; --";
  c.exec("INSERT INTO t (s) VALUES (?)", {evil});
  auto row = c.query_one("SELECT s FROM t WHERE s = ?", {evil});
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text("s"), evil);
  EXPECT_EQ(count(), 1);
}

TEST_F(DbTest, UnknownColumnThrows) {
  auto row = db_.conn().query_one("SELECT 1 AS one");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->i64("one"), 1);
  try {
    row->i64("two");
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 500);
    EXPECT_NE(std::string(e.what()).find("two"), std::string::npos) << e.what();
  }
}

TEST_F(DbTest, ExecCountsChangedRows) {
  auto& c = db_.conn();
  for (int64_t i = 0; i < 5; ++i) c.exec("INSERT INTO t (n) VALUES (?)", {i});
  EXPECT_EQ(c.exec("UPDATE t SET s = 'big' WHERE n >= ?", {int64_t{3}}), 2);
  EXPECT_EQ(c.exec("UPDATE t SET s = 'none' WHERE n > ?", {int64_t{100}}), 0);
  EXPECT_EQ(c.exec("DELETE FROM t"), 5);
  EXPECT_FALSE(c.query_one("SELECT * FROM t"));
  EXPECT_TRUE(c.query("SELECT * FROM t").empty());
}

TEST_F(DbTest, CachedStatementRebindsCleanly) {
  auto& c = db_.conn();
  const std::string sql = "INSERT INTO t (n, s) VALUES (?, ?)";
  c.exec(sql, {int64_t{1}, std::string("one")});
  // Same statement, fewer parameters: the earlier binding must not leak into this row.
  c.exec(sql, {int64_t{2}});
  auto rows = c.query("SELECT n, s FROM t ORDER BY n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text("s"), "one");
  EXPECT_TRUE(rows[1].is_null("s"));
}

TEST_F(DbTest, BadSqlThrowsInternal) {
  try {
    db_.conn().exec("INSERT INTO no_such_table VALUES (1)");
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 500);
    EXPECT_EQ(e.code(), "INTERNAL_ERROR");
  }
  // A constraint failure at step time also surfaces, and the connection stays usable.
  db_.conn().exec("INSERT INTO t (id) VALUES (1)");
  EXPECT_THROW(db_.conn().exec("INSERT INTO t (id) VALUES (1)"), core::Error);
  EXPECT_EQ(count(), 1);
  db_.conn().exec("INSERT INTO t (id) VALUES (2)");
  EXPECT_EQ(count(), 2);
}

TEST_F(DbTest, TransactionCommitsOnReturn) {
  auto& c = db_.conn();
  int64_t id = c.transaction([&] {
    c.exec("INSERT INTO t (n) VALUES (7)");
    return c.last_insert_id();
  });
  EXPECT_GT(id, 0);
  // Visible from another connection, so it really was committed.
  Database other(db_.file());
  std::thread([&] { EXPECT_EQ(other.conn().query("SELECT * FROM t").size(), 1u); }).join();
}

// An unflushed transaction commits like any other (seen by another connection) but runs with
// synchronous=NORMAL (1); the next ordinary transaction or lone write is back to FULL (2).
TEST_F(DbTest, UnflushedTransactionCommitsAndLeavesTheNextOneFlushed) {
  auto& c = db_.conn();
  auto synchronous = [&] { return c.query_one("PRAGMA synchronous")->i64("synchronous"); };
  EXPECT_EQ(synchronous(), 2);
  int64_t mode_inside = c.unflushed_transaction([&] {
    c.exec("INSERT INTO t (n) VALUES (1)");
    return synchronous();
  });
  EXPECT_EQ(mode_inside, 1);
  Database other(db_.file());
  std::thread([&] { EXPECT_EQ(other.conn().query("SELECT * FROM t").size(), 1u); }).join();
  c.transaction([&] { EXPECT_EQ(synchronous(), 2); });
  c.unflushed_transaction([&] {
    // Nested in an unflushed one, an ordinary transaction joins it.
    c.transaction([&] { c.exec("INSERT INTO t (n) VALUES (2)"); });
  });
  c.exec("INSERT INTO t (n) VALUES (3)");
  EXPECT_EQ(synchronous(), 2);
  EXPECT_EQ(count(), 3);
  // A rolled-back unflushed transaction leaves nothing.
  EXPECT_THROW(c.unflushed_transaction([&] {
    c.exec("INSERT INTO t (n) VALUES (4)");
    throw std::runtime_error("no");
  }),
               std::runtime_error);
  EXPECT_EQ(count(), 3);
}

TEST_F(DbTest, TransactionRollsBackOnException) {
  auto& c = db_.conn();
  c.exec("INSERT INTO t (n) VALUES (1)");
  EXPECT_THROW(c.transaction([&] {
    c.exec("INSERT INTO t (n) VALUES (2)");
    c.exec("UPDATE t SET n = 100 WHERE n = 1");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  auto rows = c.query("SELECT n FROM t");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].i64("n"), 1);
  // The connection is out of the transaction: a new one starts and commits.
  c.transaction([&] { c.exec("INSERT INTO t (n) VALUES (3)"); });
  EXPECT_EQ(count(), 2);
}

TEST_F(DbTest, NestedTransactionJoinsOuter) {
  auto& c = db_.conn();
  EXPECT_THROW(c.transaction([&] {
    c.exec("INSERT INTO t (n) VALUES (1)");
    c.transaction([&] { c.exec("INSERT INTO t (n) VALUES (2)"); });
    throw std::runtime_error("outer fails after inner returned");
  }),
               std::runtime_error);
  // The inner commit was not a real commit: the outer rollback takes both rows.
  EXPECT_EQ(count(), 0);
  c.transaction([&] {
    c.exec("INSERT INTO t (n) VALUES (1)");
    c.transaction([&] { c.exec("INSERT INTO t (n) VALUES (2)"); });
  });
  EXPECT_EQ(count(), 2);
}

TEST_F(DbTest, EachThreadGetsItsOwnConnection) {
  Connection* main_conn = &db_.conn();
  EXPECT_EQ(&db_.conn(), main_conn);  // stable within a thread
  std::vector<Connection*> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      seen[i] = &db_.conn();
      EXPECT_EQ(&db_.conn(), seen[i]);
      db_.conn().exec("INSERT INTO t (n) VALUES (?)", {int64_t{i}});
    });
  for (auto& t : threads) t.join();
  // A finished thread's connection may share an address with a later one; the main thread's
  // connection is alive throughout, so none may equal it.
  for (auto* p : seen) EXPECT_NE(p, main_conn);
  EXPECT_EQ(count(), 4);
}

TEST_F(DbTest, TwoDatabasesOnOneThreadHaveSeparateConnections) {
  core::TempDir other_dir(fs::temp_directory_path(), "paperd-db-test-");
  Database other(other_dir.path() / "other.db");
  EXPECT_NE(&other.conn(), &db_.conn());
  other.conn().exec_script("CREATE TABLE u (v INTEGER)");
  EXPECT_THROW(db_.conn().exec("INSERT INTO u VALUES (1)"), core::Error);
}

TEST_F(DbTest, MigrateTwiceIsIdempotent) {
  db_.migrate();
  auto& c = db_.conn();
  c.exec("INSERT INTO accounts (name, tier, credits, created_at) VALUES ('a', 'free', 5, 0)");
  EXPECT_NO_THROW(db_.migrate());
  EXPECT_NO_THROW(db_.migrate());
  auto versions = c.query("SELECT version FROM schema_migrations ORDER BY version");
  ASSERT_FALSE(versions.empty());
  std::set<int64_t> distinct;
  for (auto& r : versions) distinct.insert(r.i64("version"));
  EXPECT_EQ(distinct.size(), versions.size());
  EXPECT_EQ(versions.front().i64("version"), 1);
  EXPECT_EQ(count("accounts"), 1);  // data survives

  // Another process (here: another Database on the same file) finds nothing to do.
  Database again(db_.file());
  std::thread([&] {
    EXPECT_NO_THROW(again.migrate());
    EXPECT_EQ(again.conn().query("SELECT version FROM schema_migrations").size(), versions.size());
  }).join();
}

TEST_F(DbTest, MigrationCreatesTheSchema) {
  db_.migrate();
  std::set<std::string> tables;
  for (auto& r : db_.conn().query("SELECT name FROM sqlite_master WHERE type = 'table'"))
    tables.insert(r.text("name"));
  for (const char* t : {"accounts", "tokens", "credit_ledger", "jobs", "job_inputs", "downloads",
                        "schema_migrations"})
    EXPECT_TRUE(tables.count(t)) << t;
  // Foreign keys are on for every connection.
  EXPECT_THROW(db_.conn().exec("INSERT INTO tokens (account_id, kind, lookup, secret_hash, "
                               "created_at) VALUES (999, 'ut', 'x', 'y', 0)"),
               core::Error);
}

TEST_F(DbTest, ConcurrentMigrationsFromSeveralConnections) {
  core::TempDir fresh_dir(fs::temp_directory_path(), "paperd-db-test-");
  Database fresh(fresh_dir.path() / "fresh.db");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      try {
        fresh.migrate();
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(fresh.conn().query_one("SELECT COUNT(*) AS c FROM schema_migrations")->i64("c"),
            fresh.conn().query_one("SELECT MAX(version) AS m FROM schema_migrations")->i64("m"));
}

}  // namespace
}  // namespace paperd::store
