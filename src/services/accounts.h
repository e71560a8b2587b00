// Accounts, API tokens and credits. Tokens look like po_ut_<lookup 12><secret 32>; only the
// SHA-256 of the secret is stored, found by its lookup part and compared in constant time.
// Credits are debited with one conditional UPDATE, so two racing calls can never overdraw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "http/route.h"
#include "services/tiers.h"
#include "store/db.h"

namespace paperd::services {

struct CreatedToken {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string token;  // shown once
  std::string kind;
};

struct TokenInfo {
  int64_t id, account_id;
  std::string kind, label, account_name, tier, display;
  int64_t created_at;
  std::optional<int64_t> expires_at, revoked_at, last_used_at;
};

class Accounts {
 public:
  Accounts(store::Database& db, const Tiers& tiers) : db_(db), tiers_(tiers) {}

  // credits: the opening balance; default = the tier's monthly credits.
  int64_t create_account(const std::string& name, const std::string& tier,
                         std::optional<int64_t> credits = std::nullopt);
  std::optional<int64_t> find_account(const std::string& name);
  // kind: sk | ut | gt | pk (with or without the po_ prefix and trailing _). A group token needs
  // its group (the workspaces it may reach; "default" when none is named); no other kind takes one.
  CreatedToken create_token(int64_t account_id, const std::string& kind, const std::string& label,
                            std::optional<int64_t> expires_at = std::nullopt,
                            const std::string& group = "");
  bool revoke_token(int64_t token_id);
  std::vector<TokenInfo> list_tokens();
  int64_t token_count();

  // Throws Error::invalid_token for unknown, malformed, expired or revoked tokens.
  http::Principal authenticate(std::string_view token);

  // Throws Error::insufficient_credits naming the balance when short.
  void debit(int64_t account_id, int64_t credits, const std::string& reason,
             const std::string& ref = "");
  void credit(int64_t account_id, int64_t credits, const std::string& reason,
              const std::string& ref = "");
  int64_t balance(int64_t account_id);

  static std::string normalize_kind(const std::string& kind);

 private:
  // Tops a tier's monthly allowance up once per calendar month (inside the caller's transaction).
  void refill(int64_t account_id);
  store::Database& db_;
  const Tiers& tiers_;
};

}  // namespace paperd::services
