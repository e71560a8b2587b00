#include "services/tiers.h"

#include "core/error.h"
#include "core/fs.h"

namespace paperd::services {

using core::Error;

namespace {
Tier make(std::string name, std::string title, double price, int64_t credits, int64_t s, int64_t m,
          int64_t h, int64_t d, std::vector<std::string> features) {
  return Tier{std::move(name),
              std::move(title),
              price,
              credits,
              {{1, s}, {60, m}, {3600, h}, {86400, d}},
              std::move(features)};
}
}  // namespace

Tiers Tiers::defaults() {
  Tiers t;
  t.tiers_ = {
      make("free", "Free", 0, 1000, 5, 30, 100, 500, {"all endpoints", "community support"}),
      make("starter", "Starter", 19, 25000, 10, 120, 2000, 20000,
           {"all endpoints", "email support"}),
      make("pro", "Pro", 79, 150000, 25, 600, 10000, 100000,
           {"all endpoints", "priority lanes", "email support"}),
      make("enterprise", "Enterprise", 499, 1000000, 100, 3000, 100000, 1000000,
           {"all endpoints", "priority lanes", "SLA support"}),
  };
  return t;
}

Tiers Tiers::from_json(const Json& j) {
  if (!j.is_array() || j.empty())
    throw Error::invalid_request("tiers file must be a non-empty JSON array of tiers");
  Tiers t;
  for (const auto& e : j) {
    if (!e.is_object() || !e.contains("name") || !e["name"].is_string())
      throw Error::invalid_request("every tier needs a string 'name'");
    std::string name = e["name"];
    auto num = [&](const char* k, int64_t d) -> int64_t {
      if (!e.contains(k)) return d;
      if (!e[k].is_number_integer() || e[k].get<int64_t>() < 0)
        throw Error::invalid_request("tier '" + name + "': '" + k +
                                     "' must be a whole number >= 0");
      return e[k].get<int64_t>();
    };
    std::vector<std::string> features;
    if (e.contains("features")) features = e["features"].get<std::vector<std::string>>();
    t.tiers_.push_back(make(name, e.value("title", name), e.value("price_eur_month", 0.0),
                            num("monthly_credits", 0), num("per_second", 5), num("per_minute", 30),
                            num("per_hour", 100), num("per_day", 500), std::move(features)));
  }
  return t;
}

Tiers Tiers::load(const std::string& file) {
  if (file.empty()) return defaults();
  Json j = Json::parse(core::read_file(file), nullptr, false);
  if (j.is_discarded()) throw Error::invalid_request("tiers file " + file + " is not valid JSON");
  return from_json(j);
}

bool Tiers::has(const std::string& name) const {
  for (const auto& t : tiers_)
    if (t.name == name) return true;
  return false;
}

const Tier& Tiers::get(const std::string& name) const {
  for (const auto& t : tiers_)
    if (t.name == name) return t;
  std::string known;
  for (const auto& t : tiers_) known += (known.empty() ? "" : ", ") + t.name;
  throw Error::invalid_request("unknown tier '" + name + "'; known: " + known);
}

Json Tiers::to_json() const {
  Json out = Json::array();
  for (const auto& t : tiers_) {
    Json limits = Json::object();
    static const char* kNames[] = {"per_second", "per_minute", "per_hour", "per_day"};
    for (size_t i = 0; i < t.limits.size() && i < 4; ++i) limits[kNames[i]] = t.limits[i].limit;
    out.push_back({{"name", t.name},
                   {"title", t.title},
                   {"price_eur_month", t.price_eur_month},
                   {"monthly_credits", t.monthly_credits},
                   {"rate_limits", limits},
                   {"features", t.features}});
  }
  return out;
}

}  // namespace paperd::services
