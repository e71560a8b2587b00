// Accounts on a fresh migrated database: token format and storage (no plaintext secret at rest),
// authentication of every kind and every way a token can be bad, and credits (exact-zero debits,
// refusals that change nothing, no overdraft under concurrent debits, a ledger that adds up).
#include "services/accounts.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"

namespace paperd::services {
namespace {

namespace fs = std::filesystem;

// Runs fn and expects the given error; returns its message.
std::string expect_error(const std::function<void()>& fn, int status, const std::string& code) {
  try {
    fn();
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), status) << e.what();
    EXPECT_EQ(e.code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no core::Error thrown, expected " << code;
  return "";
}

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest()
      : dir_(fs::temp_directory_path(), "paperd-accounts-test-"),
        db_(dir_.path() / "paperd.db"),
        tiers_(Tiers::defaults()),
        accounts_(db_, tiers_) {
    db_.migrate();
  }

  void expect_invalid_token(std::string_view token, const std::string& context) {
    SCOPED_TRACE(context);
    expect_error([&] { accounts_.authenticate(token); }, 401, "INVALID_TOKEN");
  }

  int64_t ledger_sum(int64_t account_id) {
    return db_.conn()
        .query_one("SELECT COALESCE(SUM(delta), 0) AS s FROM credit_ledger WHERE account_id = ?",
                   {account_id})
        ->i64("s");
  }
  int64_t ledger_rows(int64_t account_id) {
    return db_.conn()
        .query_one("SELECT COUNT(*) AS c FROM credit_ledger WHERE account_id = ?", {account_id})
        ->i64("c");
  }

  core::TempDir dir_;
  store::Database db_;
  Tiers tiers_;
  Accounts accounts_;
};

TEST_F(AccountsTest, CreateAccountUsesTierCreditsByDefault) {
  int64_t a = accounts_.create_account("alice", "free");
  EXPECT_EQ(accounts_.balance(a), tiers_.get("free").monthly_credits);
  int64_t b = accounts_.create_account("bob", "pro", 42);
  EXPECT_EQ(accounts_.balance(b), 42);
  EXPECT_EQ(accounts_.find_account("bob"), b);
  EXPECT_FALSE(accounts_.find_account("carol"));
  expect_error([&] { accounts_.create_account("x", "platinum"); }, 400, "INVALID_REQUEST");
}

TEST_F(AccountsTest, TokenFormatPerKind) {
  int64_t a = accounts_.create_account("alice", "free");
  for (const std::string kind : {"sk", "ut", "gt", "pk"}) {
    CreatedToken t = accounts_.create_token(a, kind, "label-" + kind);
    std::regex pattern("^po_" + kind + "_[0-9A-Za-z]{44}$");
    EXPECT_TRUE(std::regex_match(t.token, pattern)) << t.token;
    EXPECT_EQ(t.kind, kind);
    EXPECT_EQ(t.account_id, a);
    EXPECT_GT(t.id, 0);
  }
  EXPECT_EQ(accounts_.token_count(), 4);
}

TEST_F(AccountsTest, KindAliasesNormalize) {
  EXPECT_EQ(Accounts::normalize_kind("po_ut_"), "ut");
  EXPECT_EQ(Accounts::normalize_kind("po_sk"), "sk");
  EXPECT_EQ(Accounts::normalize_kind("system"), "sk");
  EXPECT_EQ(Accounts::normalize_kind("user"), "ut");
  EXPECT_EQ(Accounts::normalize_kind("group"), "gt");
  EXPECT_EQ(Accounts::normalize_kind("publishable"), "pk");
  for (const char* bad : {"", "xx", "po_", "admin", "SK"})
    expect_error([&] { Accounts::normalize_kind(bad); }, 400, "INVALID_REQUEST");
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken t = accounts_.create_token(a, "po_gt_", "");
  EXPECT_EQ(t.token.substr(0, 6), "po_gt_");
  expect_error([&] { accounts_.create_token(a, "root", ""); }, 400, "INVALID_REQUEST");
  expect_error([&] { accounts_.create_token(a + 100, "ut", ""); }, 404, "NOT_FOUND");
}

TEST_F(AccountsTest, DatabaseHoldsNoPlaintextSecret) {
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken t = accounts_.create_token(a, "ut", "ci");
  const std::string secret = t.token.substr(6 + 12);
  ASSERT_EQ(secret.size(), 32u);

  auto rows = db_.conn().query("SELECT * FROM tokens");
  ASSERT_EQ(rows.size(), 1u);
  for (const char* col : {"id", "account_id", "kind", "lookup", "secret_hash", "label",
                          "created_at", "expires_at", "revoked_at", "last_used_at"}) {
    std::string v = rows[0].text(col);
    EXPECT_EQ(v.find(secret), std::string::npos) << col << " = " << v;
    EXPECT_EQ(v.find(t.token), std::string::npos) << col;
  }
  EXPECT_EQ(rows[0].text("secret_hash"), core::hex(core::sha256(secret)));
  // Nor anywhere in the files on disk (database, WAL, shared memory).
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    std::string bytes = core::read_file(entry.path());
    EXPECT_EQ(bytes.find(secret), std::string::npos) << entry.path();
  }
  // Listing shows only the lookup part.
  auto listed = accounts_.list_tokens();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].display.find(secret), std::string::npos) << listed[0].display;
}

TEST_F(AccountsTest, AuthenticatesEveryKind) {
  int64_t a = accounts_.create_account("alice", "pro");
  int64_t b = accounts_.create_account("bob", "free");
  for (const std::string kind : {"sk", "ut", "gt", "pk"}) {
    CreatedToken ta = accounts_.create_token(a, kind, "");
    CreatedToken tb = accounts_.create_token(b, kind, "");
    http::Principal pa = accounts_.authenticate(ta.token);
    EXPECT_EQ(pa.account_id, a) << kind;
    EXPECT_EQ(pa.token_id, ta.id) << kind;
    EXPECT_EQ(pa.kind, kind);
    EXPECT_EQ(pa.tier, "pro");
    EXPECT_FALSE(pa.visitor());
    http::Principal pb = accounts_.authenticate(tb.token);
    EXPECT_EQ(pb.account_id, b) << kind;
    EXPECT_EQ(pb.tier, "free");
  }
}

TEST_F(AccountsTest, OneChangedCharacterIsRejected) {
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken t = accounts_.create_token(a, "ut", "");
  ASSERT_NO_THROW(accounts_.authenticate(t.token));
  // In the lookup part (6..17) and the secret part (18..49), first and last positions included.
  for (size_t pos : {size_t{6}, size_t{11}, size_t{17}, size_t{18}, size_t{30}, size_t{49}}) {
    std::string bad = t.token;
    bad[pos] = bad[pos] == 'a' ? 'b' : 'a';
    expect_invalid_token(bad, "changed position " + std::to_string(pos));
  }
}

TEST_F(AccountsTest, WrongKindPrefixIsRejected) {
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken ut = accounts_.create_token(a, "ut", "");
  // A user token relabelled as a system key must not gain system rights.
  for (const char* kind : {"sk", "gt", "pk", "xx"}) {
    std::string bad = ut.token;
    bad.replace(3, 2, kind);
    expect_invalid_token(bad, std::string("relabelled as ") + kind);
  }
}

TEST_F(AccountsTest, MalformedTokensAreRejected) {
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken t = accounts_.create_token(a, "ut", "");
  expect_invalid_token("", "empty");
  expect_invalid_token("Bearer " + t.token, "with scheme");
  expect_invalid_token(t.token.substr(0, t.token.size() - 1), "truncated");
  expect_invalid_token(t.token + "x", "extended");
  expect_invalid_token("pa" + t.token.substr(2), "wrong po_");
  std::string no_sep = t.token;
  no_sep[5] = 'x';
  expect_invalid_token(no_sep, "no separator");
}

TEST_F(AccountsTest, RevokedTokenIsRejected) {
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken t = accounts_.create_token(a, "ut", "");
  CreatedToken keep = accounts_.create_token(a, "ut", "");
  EXPECT_TRUE(accounts_.revoke_token(t.id));
  EXPECT_FALSE(accounts_.revoke_token(t.id));  // already revoked
  EXPECT_FALSE(accounts_.revoke_token(t.id + 1000));
  std::string msg = expect_error([&] { accounts_.authenticate(t.token); }, 401, "INVALID_TOKEN");
  EXPECT_NE(msg.find("revoked"), std::string::npos) << msg;
  EXPECT_EQ(accounts_.authenticate(keep.token).token_id, keep.id);
}

TEST_F(AccountsTest, ExpiredTokenIsRejected) {
  int64_t a = accounts_.create_account("alice", "free");
  CreatedToken past = accounts_.create_token(a, "ut", "", core::unix_now() - 60);
  CreatedToken future = accounts_.create_token(a, "ut", "", core::unix_now() + 3600);
  std::string msg = expect_error([&] { accounts_.authenticate(past.token); }, 401, "INVALID_TOKEN");
  EXPECT_NE(msg.find("expired"), std::string::npos) << msg;
  EXPECT_EQ(accounts_.authenticate(future.token).account_id, a);
}

TEST_F(AccountsTest, DebitToExactlyZeroThenRefuse) {
  int64_t a = accounts_.create_account("alice", "free", 100);
  accounts_.debit(a, 60, "call", "r1");
  accounts_.debit(a, 40, "call", "r2");
  EXPECT_EQ(accounts_.balance(a), 0);
  int64_t rows_before = ledger_rows(a);
  std::string msg =
      expect_error([&] { accounts_.debit(a, 1, "call", "r3"); }, 402, "INSUFFICIENT_CREDITS");
  EXPECT_NE(msg.find("0"), std::string::npos) << msg;
  EXPECT_EQ(accounts_.balance(a), 0);
  EXPECT_EQ(ledger_rows(a), rows_before);  // a refused debit writes nothing
}

TEST_F(AccountsTest, RefusedDebitLeavesBalanceUnchanged) {
  int64_t a = accounts_.create_account("alice", "free", 50);
  std::string msg =
      expect_error([&] { accounts_.debit(a, 51, "call"); }, 402, "INSUFFICIENT_CREDITS");
  EXPECT_NE(msg.find("51"), std::string::npos) << msg;
  EXPECT_NE(msg.find("50"), std::string::npos) << msg;
  EXPECT_EQ(accounts_.balance(a), 50);
  accounts_.debit(a, 50, "call");
  EXPECT_EQ(accounts_.balance(a), 0);
}

TEST_F(AccountsTest, DebitsAreIsolatedPerAccount) {
  int64_t a = accounts_.create_account("alice", "free", 10);
  int64_t b = accounts_.create_account("bob", "free", 10);
  accounts_.debit(a, 10, "call");
  EXPECT_EQ(accounts_.balance(a), 0);
  EXPECT_EQ(accounts_.balance(b), 10);
  expect_error([&] { accounts_.debit(a, 1, "call"); }, 402, "INSUFFICIENT_CREDITS");
  EXPECT_NO_THROW(accounts_.debit(b, 1, "call"));
}

TEST_F(AccountsTest, ConcurrentUnitDebitsNeverOverdraw) {
  constexpr int64_t kStart = 400;
  constexpr int kThreads = 8, kPerThread = 80;  // demand 640 > 400
  int64_t a = accounts_.create_account("alice", "free", kStart);
  std::atomic<int64_t> debited{0};
  std::atomic<int> refused{0}, other_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          accounts_.debit(a, 1, "call", "t" + std::to_string(t) + "-" + std::to_string(i));
          debited += 1;
        } catch (const core::Error& e) {
          if (e.code() == "INSUFFICIENT_CREDITS")
            ++refused;
          else
            ++other_errors;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_EQ(debited.load(), kStart);
  EXPECT_EQ(refused.load(), kThreads * kPerThread - kStart);
  EXPECT_EQ(accounts_.balance(a), 0);
  EXPECT_EQ(ledger_sum(a), 0);
}

TEST_F(AccountsTest, ConcurrentMixedDebitsNeverOverdraw) {
  constexpr int64_t kStart = 1000;
  int64_t a = accounts_.create_account("alice", "free", kStart);
  std::atomic<int64_t> debited{0};
  std::atomic<int> refused{0}, other_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      const int64_t amount = 7 + t * 5;  // 7..42: total demand 7840 against 1000
      for (int i = 0; i < 40; ++i) {
        try {
          accounts_.debit(a, amount, "call");
          debited += amount;
        } catch (const core::Error& e) {
          if (e.code() == "INSUFFICIENT_CREDITS")
            ++refused;
          else
            ++other_errors;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_GT(refused.load(), 0);
  int64_t left = accounts_.balance(a);
  EXPECT_GE(left, 0);
  EXPECT_LT(left, 42);  // the dearest call was refused at some point, so less than it was left
  EXPECT_EQ(debited.load() + left, kStart);
  EXPECT_EQ(ledger_sum(a), left);
}

TEST_F(AccountsTest, LedgerSumsToBalance) {
  int64_t a = accounts_.create_account("alice", "starter");
  int64_t b = accounts_.create_account("bob", "free", 0);
  EXPECT_EQ(ledger_sum(a), accounts_.balance(a));
  EXPECT_EQ(ledger_sum(b), 0);
  accounts_.debit(a, 300, "convert", "job-1");
  accounts_.credit(a, 120, "refund", "job-1");
  accounts_.credit(b, 5, "gift");
  accounts_.debit(a, 1, "call");
  try {
    accounts_.debit(b, 6, "call");
  } catch (const core::Error&) {
  }
  // Non-positive amounts are no-ops.
  accounts_.debit(a, 0, "noop");
  accounts_.credit(a, -5, "noop");
  EXPECT_EQ(accounts_.balance(a), tiers_.get("starter").monthly_credits - 300 + 120 - 1);
  EXPECT_EQ(accounts_.balance(b), 5);
  EXPECT_EQ(ledger_sum(a), accounts_.balance(a));
  EXPECT_EQ(ledger_sum(b), accounts_.balance(b));
  auto refund = db_.conn().query_one(
      "SELECT delta, ref FROM credit_ledger WHERE account_id = ? AND reason = 'refund'", {a});
  ASSERT_TRUE(refund);
  EXPECT_EQ(refund->i64("delta"), 120);
  EXPECT_EQ(refund->text("ref"), "job-1");
}

}  // namespace
}  // namespace paperd::services
