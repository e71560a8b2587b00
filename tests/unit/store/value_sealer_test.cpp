// Sealed values (job parameters at rest): they round-trip, carry no plaintext, open only in
// their own context and under their own master key, and a changed byte is refused. The queue
// stores job parameters sealed and gives them back on claim.
#include "store/value_sealer.h"

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/ids.h"
#include "jobs/queue.h"
#include "store/db.h"

namespace paperd::store {
namespace {

MasterKey key(char fill) {
  return MasterKey::from_bytes(std::string(32, fill));
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.code();
  }
  return "";
}

TEST(ValueSealer, RoundTripsWithoutPlaintext) {
  ValueSealer sealer(key('k'));
  const std::string secret = R"({"password":"hunter2","template":"pdf_unlock"})";
  std::string a = sealer.seal(secret, "job:1"), b = sealer.seal(secret, "job:1");
  EXPECT_TRUE(ValueSealer::is_sealed(a));
  EXPECT_NE(a, b);  // a fresh IV each time
  EXPECT_EQ(a.find("hunter2"), std::string::npos);
  EXPECT_EQ(sealer.open(a, "job:1"), secret);
  EXPECT_EQ(sealer.open(sealer.seal("", "x"), "x"), "");
}

TEST(ValueSealer, RefusesOtherContextsKeysAndChanges) {
  ValueSealer sealer(key('k'));
  std::string sealed = sealer.seal("owner password", "job:1");
  EXPECT_EQ(code_of([&] { sealer.open(sealed, "job:2"); }), "DATA_CORRUPT");
  EXPECT_EQ(code_of([&] { ValueSealer(key('o')).open(sealed, "job:1"); }), "DATA_CORRUPT");
  std::string changed = sealed;
  changed.back() = changed.back() == '0' ? '1' : '0';
  EXPECT_EQ(code_of([&] { sealer.open(changed, "job:1"); }), "DATA_CORRUPT");
  EXPECT_EQ(code_of([&] { sealer.open(sealed.substr(0, 20), "job:1"); }), "DATA_CORRUPT");
  EXPECT_EQ(code_of([&] { sealer.open("plain", "job:1"); }), "INTERNAL_ERROR");
}

TEST(ValueSealer, QueueStoresJobParametersSealed) {
  core::TempDir dir(std::filesystem::temp_directory_path(), "paperd-sealed-");
  Database db(dir.path() / "paperd.db");
  db.migrate();
  db.conn().exec(
      "INSERT INTO accounts (id, name, tier, credits, created_at) VALUES (1, 'a', "
      "'free', 100, 0)");
  ValueSealer sealer(key('k'));
  jobs::Queue queue(db, &sealer);
  const std::string id = core::make_job_id(500, 1764445660.0);
  queue.enqueue({id,
                 1,
                 "workflow",
                 "pdf_unlock",
                 "no_sla",
                 500,
                 Json{{"template", "pdf_unlock"}, {"password", "hunter2"}},
                 3,
                 60,
                 5,
                 {},
                 {}});
  std::string stored =
      db.conn().query_one("SELECT params FROM jobs WHERE id = ?", {id})->text("params");
  EXPECT_TRUE(ValueSealer::is_sealed(stored));
  EXPECT_EQ(stored.find("hunter2"), std::string::npos);
  auto job = queue.claim("w1", 30);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->params["password"], "hunter2");
  // A queue without the sealer (the supervisor) reads no parameters, and fails nothing.
  jobs::Queue plain(db);
  auto seen = plain.get(id, 1);
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->params.is_null());
}

}  // namespace
}  // namespace paperd::store
