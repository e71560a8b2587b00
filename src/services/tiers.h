// The tier table: monthly credits, price and rate-limit windows per tier (free, starter, pro,
// enterprise by default; an operator's tiers file replaces it). The free tier's limits are the
// index's minimum: 5/s, 30/min, 100/h, 500/day.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"
#include "http/rate_limiter.h"

namespace paperd::services {

struct Tier {
  std::string name;
  std::string title;
  double price_eur_month = 0;
  int64_t monthly_credits = 0;
  std::vector<http::RateWindow> limits;  // per second, minute, hour, day
  std::vector<std::string> features;
};

class Tiers {
 public:
  static Tiers defaults();
  // A JSON array of {name, title, price_eur_month, monthly_credits, per_second, per_minute,
  // per_hour, per_day, features}; throws Error::invalid_request naming the bad entry.
  static Tiers from_json(const Json& j);
  static Tiers load(const std::string& file);  // empty -> defaults()

  const Tier& get(const std::string& name) const;  // Error::invalid_request if unknown
  bool has(const std::string& name) const;
  const std::vector<Tier>& all() const { return tiers_; }
  Json to_json() const;

 private:
  std::vector<Tier> tiers_;
};

}  // namespace paperd::services
