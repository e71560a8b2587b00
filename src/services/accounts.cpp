#include "services/accounts.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"

namespace paperd::services {

using core::Error;

namespace {
constexpr size_t kLookupLen = 12;

// "2026-11": credits are a monthly allowance.
std::string current_period() {
  return core::iso8601(core::unix_now()).substr(0, 7);
}

constexpr size_t kSecretLen = 32;
}  // namespace

std::string Accounts::normalize_kind(const std::string& kind) {
  std::string k = kind;
  if (k.starts_with("po_")) k = k.substr(3);
  if (k.ends_with("_")) k.pop_back();
  if (k == "system") k = "sk";
  if (k == "user") k = "ut";
  if (k == "group") k = "gt";
  if (k == "publishable") k = "pk";
  if (k != "sk" && k != "ut" && k != "gt" && k != "pk")
    throw Error::invalid_request("token kind must be sk, ut, gt or pk, got '" + kind + "'");
  return k;
}

int64_t Accounts::create_account(const std::string& name, const std::string& tier,
                                 std::optional<int64_t> credits) {
  const Tier& t = tiers_.get(tier);
  auto& c = db_.conn();
  return c.transaction([&] {
    c.exec("INSERT INTO accounts (name, tier, credits, period, created_at) VALUES (?, ?, ?, ?, ?)",
           {name, t.name, credits.value_or(t.monthly_credits), current_period(), core::unix_now()});
    int64_t id = c.last_insert_id();
    c.exec("INSERT INTO credit_ledger (account_id, delta, reason, created_at) VALUES (?, ?, ?, ?)",
           {id, credits.value_or(t.monthly_credits), std::string("opening balance"),
            core::unix_now()});
    return id;
  });
}

std::optional<int64_t> Accounts::find_account(const std::string& name) {
  auto row =
      db_.conn().query_one("SELECT id FROM accounts WHERE name = ? ORDER BY id LIMIT 1", {name});
  if (!row) return std::nullopt;
  return row->i64("id");
}

CreatedToken Accounts::create_token(int64_t account_id, const std::string& kind_in,
                                    const std::string& label, std::optional<int64_t> expires_at,
                                    const std::string& group) {
  std::string kind = normalize_kind(kind_in);
  const std::string group_name = kind == "gt" && group.empty() ? "default" : group;
  if (kind != "gt" && !group.empty())
    throw Error::invalid_request("only group tokens (gt) belong to a group");
  auto& c = db_.conn();
  if (!c.query_one("SELECT id FROM accounts WHERE id = ?", {account_id}))
    throw Error::not_found("no account " + std::to_string(account_id));
  std::string lookup = core::random_string(kLookupLen, core::kBase62);
  std::string secret = core::random_string(kSecretLen, core::kBase62);
  c.exec(
      "INSERT INTO tokens (account_id, kind, lookup, secret_hash, label, created_at, expires_at, "
      "group_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {account_id, kind, lookup, core::hex(core::sha256(secret)), label, core::unix_now(),
       expires_at ? store::Value(*expires_at) : store::Value(nullptr), group_name});
  return {c.last_insert_id(), account_id, "po_" + kind + "_" + lookup + secret, kind};
}

bool Accounts::revoke_token(int64_t token_id) {
  return db_.conn().exec("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                         {core::unix_now(), token_id}) == 1;
}

std::vector<TokenInfo> Accounts::list_tokens() {
  std::vector<TokenInfo> out;
  for (auto& r : db_.conn().query(
           "SELECT t.id, t.account_id, t.kind, t.label, t.lookup, t.created_at, t.expires_at, "
           "t.revoked_at, t.last_used_at, a.name, a.tier FROM tokens t JOIN accounts a ON "
           "a.id = t.account_id ORDER BY t.id"))
    out.push_back({r.i64("id"), r.i64("account_id"), r.text("kind"), r.text("label"),
                   r.text("name"), r.text("tier"),
                   "po_" + r.text("kind") + "_" + r.text("lookup") + "…", r.i64("created_at"),
                   r.opt_i64("expires_at"), r.opt_i64("revoked_at"), r.opt_i64("last_used_at")});
  return out;
}

int64_t Accounts::token_count() {
  return db_.conn().query_one("SELECT COUNT(*) AS n FROM tokens")->i64("n");
}

http::Principal Accounts::authenticate(std::string_view token) {
  const size_t want = 6 + kLookupLen + kSecretLen;
  if (token.size() != want || !token.starts_with("po_") || token[5] != '_')
    throw Error::invalid_token(
        "the Bearer token is not a paperd token (po_sk_, po_ut_, po_gt_, po_pk_)");
  std::string kind(token.substr(3, 2));
  std::string lookup(token.substr(6, kLookupLen));
  std::string secret_hash = core::hex(core::sha256(token.substr(6 + kLookupLen)));
  auto row = db_.conn().query_one(
      "SELECT t.id, t.account_id, t.kind, t.secret_hash, t.expires_at, t.revoked_at, a.tier, "
      "t.group_name, t.label "
      "FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.lookup = ?",
      {lookup});
  // Compare even when the lookup missed, so timing does not tell which part was wrong.
  std::string stored = row ? row->text("secret_hash") : std::string(64, '0');
  bool match = core::constant_time_equal(stored, secret_hash);
  if (!row || !match || row->text("kind") != kind)
    throw Error::invalid_token("the Bearer token is unknown");
  if (!row->is_null("revoked_at")) throw Error::invalid_token("the Bearer token was revoked");
  if (auto exp = row->opt_i64("expires_at"); exp && *exp <= core::unix_now())
    throw Error::invalid_token("the Bearer token has expired");
  http::Principal p;
  p.account_id = row->i64("account_id");
  p.token_id = row->i64("id");
  p.kind = kind;
  p.tier = row->text("tier");
  p.group = row->text("group_name");
  p.label = row->text("label");
  return p;
}

void Accounts::debit(int64_t account_id, int64_t credits, const std::string& reason,
                     const std::string& ref) {
  if (credits <= 0) return;
  auto& c = db_.conn();
  c.transaction([&] {
    refill(account_id);
    if (c.exec("UPDATE accounts SET credits = credits - ? WHERE id = ? AND credits >= ?",
               {credits, account_id, credits}) != 1) {
      int64_t have = balance(account_id);
      throw Error::insufficient_credits("this call costs " + std::to_string(credits) +
                                        " credits; the account has " + std::to_string(have));
    }
    c.exec(
        "INSERT INTO credit_ledger (account_id, delta, reason, ref, created_at) VALUES (?, ?, ?, "
        "?, ?)",
        {account_id, -credits, reason, ref, core::unix_now()});
  });
}

void Accounts::credit(int64_t account_id, int64_t credits, const std::string& reason,
                      const std::string& ref) {
  if (credits <= 0) return;
  auto& c = db_.conn();
  c.transaction([&] {
    c.exec("UPDATE accounts SET credits = credits + ? WHERE id = ?", {credits, account_id});
    c.exec(
        "INSERT INTO credit_ledger (account_id, delta, reason, ref, created_at) VALUES (?, ?, ?, "
        "?, ?)",
        {account_id, credits, reason, ref, core::unix_now()});
  });
}

void Accounts::refill(int64_t account_id) {
  auto& c = db_.conn();
  std::string period = current_period();
  auto row = c.query_one("SELECT tier, credits, period FROM accounts WHERE id = ?", {account_id});
  if (!row || row->text("period") == period || !tiers_.has(row->text("tier"))) return;
  // A new month tops the balance up to the tier's allowance; credits above it are kept.
  int64_t allowance = tiers_.get(row->text("tier")).monthly_credits;
  int64_t delta = std::max<int64_t>(0, allowance - row->i64("credits"));
  c.exec("UPDATE accounts SET credits = credits + ?, period = ? WHERE id = ?",
         {delta, period, account_id});
  if (delta > 0)
    c.exec(
        "INSERT INTO credit_ledger (account_id, delta, reason, ref, created_at) VALUES (?, ?, "
        "'monthly allowance', ?, ?)",
        {account_id, delta, period, core::unix_now()});
}

int64_t Accounts::balance(int64_t account_id) {
  auto row = db_.conn().query_one("SELECT credits FROM accounts WHERE id = ?", {account_id});
  return row ? row->i64("credits") : 0;
}

}  // namespace paperd::services
