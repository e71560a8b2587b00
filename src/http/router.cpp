#include "http/router.h"

#include <algorithm>

#include "core/error.h"

namespace paperd::http {

std::vector<std::string_view> Router::split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

void Router::add(Route route) {
  Compiled c;
  c.route_index = routes_.size();
  bool literal_only = true;
  for (auto seg : split(route.path)) {
    Segment s;
    if (!seg.empty() && seg.front() == '{') {
      size_t close = seg.find('}');
      if (close == std::string_view::npos)
        throw core::Error::internal("bad route path " + route.path);
      s.param = std::string(seg.substr(1, close - 1));
      s.suffix = std::string(seg.substr(close + 1));
      literal_only = false;
    } else {
      s.literal = std::string(seg);
    }
    c.segments.push_back(std::move(s));
  }
  // Two routes that match the same requests are one route declared twice, whatever the
  // parameter names or slashes say.
  std::string shape = route.method + " ";
  for (const auto& s : c.segments) shape += "/" + (s.is_param() ? "{}" + s.suffix : s.literal);
  if (!shapes_.insert(shape).second)
    throw core::Error::internal("route declared twice: " + route.method + " " + route.path);
  if (literal_only)
    exact_[route.method + " /" + [&] {
      std::string p;
      for (auto& s : c.segments) p += (p.empty() ? "" : "/") + s.literal;
      return p;
    }()] = c.route_index;
  compiled_.push_back(std::move(c));
  routes_.push_back(std::move(route));
}

Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  auto parts = split(path);
  std::string normalized = "/";
  for (size_t i = 0; i < parts.size(); ++i) normalized += (i ? "/" : "") + std::string(parts[i]);
  if (auto it = exact_.find(std::string(method) + " " + normalized); it != exact_.end()) {
    m.route = &routes_[it->second];
    return m;
  }
  // Score: per segment a literal beats a parameter, compared left to right.
  const Compiled* best = nullptr;
  std::vector<int> best_score;
  std::map<std::string, std::string> best_params;
  for (const auto& c : compiled_) {
    if (c.segments.size() != parts.size()) continue;
    std::vector<int> score;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const Segment& s = c.segments[i];
      std::string_view part = parts[i];
      if (!s.is_param()) {
        ok = part == s.literal;
        score.push_back(2);
      } else {
        ok = part.size() > s.suffix.size() && part.ends_with(s.suffix);
        if (ok) params[s.param] = std::string(part.substr(0, part.size() - s.suffix.size()));
        score.push_back(1);
      }
    }
    if (!ok) continue;
    const Route& r = routes_[c.route_index];
    if (r.method != method) {
      if (std::find(m.allowed_methods.begin(), m.allowed_methods.end(), r.method) ==
          m.allowed_methods.end())
        m.allowed_methods.push_back(r.method);
      continue;
    }
    if (!best || score > best_score) {
      best = &c;
      best_score = std::move(score);
      best_params = std::move(params);
    }
  }
  if (best) {
    m.route = &routes_[best->route_index];
    m.path_params = std::move(best_params);
    m.allowed_methods.clear();
  }
  return m;
}

}  // namespace paperd::http
