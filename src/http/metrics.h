// Request metrics in Prometheus text format: requests by route and status, latency histograms by
// route. Other layers add their own lines (jobs, queue depth, workers) through collectors.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace paperd::http {

class Metrics {
 public:
  void observe(const std::string& method, const std::string& route, int status, double seconds);
  // A collector returns complete exposition lines (with # HELP/# TYPE) at scrape time.
  void add_collector(std::function<std::string()> collector);
  std::string render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.5,    1.0,   5.0};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::vector<std::function<std::string()>> collectors_;
};

}  // namespace paperd::http
