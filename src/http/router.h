// Matches a method and path against the route table. Literal segments win over {params}; a
// parameter segment may carry a literal suffix ("{y}.pbf"). Exact literal paths are a hash lookup.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/route.h"

namespace paperd::http {

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> path_params;
  std::vector<std::string> allowed_methods;  // set when the path matched but not the method
};

class Router {
 public:
  // Throws Error::internal on a duplicate method+path.
  void add(Route route);
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string literal;  // for a literal segment
    std::string param;    // for {param}
    std::string suffix;   // literal after the param inside the segment
    bool is_param() const { return !param.empty(); }
  };
  struct Compiled {
    std::vector<Segment> segments;
    size_t route_index;
  };
  static std::vector<std::string_view> split(std::string_view path);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  std::unordered_map<std::string, size_t> exact_;  // "GET /health" -> route index
  std::unordered_set<std::string> shapes_;         // "GET /job/get/{}" for duplicate checks
};

}  // namespace paperd::http
