// Monthly allowance: a new calendar month tops an account up to its tier's credits, once.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/fs.h"
#include "services/accounts.h"

using namespace paperd;

TEST(Refill, NewMonthTopsUpOnceAndKeepsExtraCredits) {
  core::TempDir dir(std::filesystem::temp_directory_path(), "refill-");
  store::Database db(dir.path() / "t.db");
  db.migrate();
  services::Tiers tiers = services::Tiers::defaults();
  services::Accounts accounts(db, tiers);
  int64_t low = accounts.create_account("low", "free", 3);
  int64_t rich = accounts.create_account("rich", "free", 5000);
  accounts.debit(low, 1, "same month");
  EXPECT_EQ(accounts.balance(low), 2);  // no refill within the month it was created
  db.conn().exec("UPDATE accounts SET period = '2000-01'");
  accounts.debit(low, 1, "next month");
  EXPECT_EQ(accounts.balance(low), tiers.get("free").monthly_credits - 1);
  accounts.debit(low, 1, "again");
  EXPECT_EQ(accounts.balance(low), tiers.get("free").monthly_credits - 2);
  accounts.debit(rich, 1, "next month");
  EXPECT_EQ(accounts.balance(rich), 4999);  // above the allowance: nothing added
  auto sum =
      db.conn().query_one("SELECT SUM(delta) AS s FROM credit_ledger WHERE account_id = ?", {low});
  EXPECT_EQ(sum->i64("s"), accounts.balance(low));
}
