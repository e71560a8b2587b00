// `paperd token create|list|revoke`: token administration straight on the database.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "services/accounts.h"
#include "store/db.h"

namespace paperd::app {

int token(core::Config& config, const TokenOptions& o) {
  prepare_data_dir(config);
  store::Database db(config.db_file());
  db.migrate();
  services::Tiers tiers = services::Tiers::load(config.tiers_file);
  services::Accounts accounts(db, tiers);

  if (o.action == "create") {
    auto account = accounts.find_account(o.account);
    if (!account)
      account = accounts.create_account(o.account, o.tier.empty() ? config.default_tier : o.tier,
                                        o.credits);
    else if (!o.tier.empty() || o.credits)
      throw core::Error::invalid_request("account '" + o.account +
                                         "' exists; --tier and --credits only apply to new ones");
    std::optional<int64_t> expires;
    if (o.expires_in != 0) expires = core::unix_now() + o.expires_in;
    auto t = accounts.create_token(*account, o.kind, o.label, expires, o.group);
    if (o.json)
      std::cout << Json{{"id", t.id},
                        {"account_id", t.account_id},
                        {"kind", t.kind},
                        {"token", t.token}}
                       .dump()
                << "\n";
    else
      std::cout << t.token << "\n";
    return 0;
  }
  if (o.action == "list") {
    Json out = Json::array();
    for (auto& t : accounts.list_tokens()) {
      std::string state = t.revoked_at                                          ? "revoked"
                          : (t.expires_at && *t.expires_at <= core::unix_now()) ? "expired"
                                                                                : "active";
      if (o.json) {
        out.push_back({{"id", t.id},
                       {"account", t.account_name},
                       {"kind", t.kind},
                       {"token", t.display},
                       {"label", t.label},
                       {"tier", t.tier},
                       {"state", state}});
      } else {
        std::cout << fmt::format("{:>4}  {:<24} {:<12} {:<10} {:<8} {}\n", t.id, t.display,
                                 t.account_name, t.tier, state, t.label);
      }
    }
    if (o.json) std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (!accounts.revoke_token(o.token_id))
    throw core::Error::not_found("no active token with id " + std::to_string(o.token_id));
  std::cout << "revoked token " << o.token_id << "\n";
  return 0;
}

}  // namespace paperd::app
