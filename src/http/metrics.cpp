#include "http/metrics.h"

#include <fmt/format.h>

namespace paperd::http {

void Metrics::observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_collector(std::function<std::string()> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::string out;
  std::vector<std::function<std::string()>> collectors;
  {
    std::lock_guard lock(mu_);
    out += "# HELP paperd_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE paperd_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out +=
          fmt::format("paperd_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                      method, route, status, n);
    }
    out += "# HELP paperd_http_request_duration_seconds Request latency by route.\n";
    out += "# TYPE paperd_http_request_duration_seconds histogram\n";
    for (const auto& [key, h] : latency_) {
      const auto& [method, route] = key;
      std::string labels = fmt::format("method=\"{}\",route=\"{}\"", method, route);
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += fmt::format("paperd_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                           labels, kBuckets[i], h.buckets[i]);
      out += fmt::format("paperd_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                         labels, h.count);
      out += fmt::format("paperd_http_request_duration_seconds_sum{{{}}} {:.6f}\n", labels, h.sum);
      out += fmt::format("paperd_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
    }
    collectors = collectors_;
  }
  for (const auto& c : collectors) out += c();
  return out;
}

}  // namespace paperd::http
