#include "core/config.h"

#include <cstdlib>
#include <thread>

#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"

namespace paperd::core {

const std::vector<Setting>& settings() {
  static const std::vector<Setting> kSettings = {
      {"listen", "127.0.0.1:8080", "address:port to serve on (port 0 = any free port)"},
      {"data_dir", "./data", "database, encrypted blobs, master key and temp files"},
      {"workers", "0", "worker processes (0 = number of cores)"},
      {"http_threads", "32", "HTTP threads (instant-lane calls hold one while they wait)"},
      {"public_url", "", "base URL in links, e.g. https://paperd.example.com/latest"},
      {"master_key", "", "64 hex chars or base64 of 32 bytes; default: <data_dir>/master.key"},
      {"outbound_allow", "", "hosts/IPs/CIDRs that outbound fetches may reach despite being private"},
      {"download_ttl_seconds", "86400", "lifetime of job download links"},
      {"max_upload_mb", "50", "largest upload accepted by job endpoints"},
      {"worker_memory_mb", "4096", "address-space limit of each worker process"},
      {"worker_cpu_seconds", "600", "CPU seconds a worker may spend on one job"},
      {"job_max_attempts", "3", "attempts before a crashing job fails"},
      {"job_timeout_seconds", "600", "default wall-clock limit of one job attempt"},
      {"instant_wait_seconds", "40", "how long the instant lane holds the connection"},
      {"lease_seconds", "10", "job lease; a worker that stops heartbeating loses its job"},
      {"default_tier", "free", "tier of accounts created without one"},
      {"tiers_file", "", "JSON file overriding the tier table (credits, rate limits)"},
      {"system_key_tier", "", "rate-limit system keys like this tier (empty = unlimited)"},
      {"test_pipelines", "false", "register the spine's test pipelines (tests only)"},
      {"log_level", "info", "trace, debug, info, warn, error"},
      {"access_log", "true", "JSON access-log line per request on stdout"},
  };
  return kSettings;
}

std::string env_name(const Setting& s) {
  std::string out = "PAPERD_";
  for (const char* p = s.key; *p; ++p) out.push_back(static_cast<char>(std::toupper(*p)));
  return out;
}

namespace {
int64_t to_int(const std::string& key, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || errno || *end) throw Error::invalid_request(key + " must be an integer, got '" + v + "'");
  return n;
}
bool to_bool(const std::string& key, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  throw Error::invalid_request(key + " must be true or false, got '" + v + "'");
}
}  // namespace

void Config::set(const std::string& key, const std::string& v) {
  if (key == "listen") listen = v;
  else if (key == "data_dir") data_dir = v;
  else if (key == "workers") workers = static_cast<int>(to_int(key, v));
  else if (key == "http_threads") http_threads = static_cast<int>(to_int(key, v));
  else if (key == "public_url") public_url = v;
  else if (key == "master_key") master_key = v;
  else if (key == "outbound_allow") outbound_allow = v;
  else if (key == "download_ttl_seconds") download_ttl_seconds = to_int(key, v);
  else if (key == "max_upload_mb") max_upload_mb = to_int(key, v);
  else if (key == "worker_memory_mb") worker_memory_mb = to_int(key, v);
  else if (key == "worker_cpu_seconds") worker_cpu_seconds = to_int(key, v);
  else if (key == "job_max_attempts") job_max_attempts = static_cast<int>(to_int(key, v));
  else if (key == "job_timeout_seconds") job_timeout_seconds = static_cast<int>(to_int(key, v));
  else if (key == "instant_wait_seconds") instant_wait_seconds = static_cast<int>(to_int(key, v));
  else if (key == "lease_seconds") lease_seconds = static_cast<int>(to_int(key, v));
  else if (key == "default_tier") default_tier = v;
  else if (key == "tiers_file") tiers_file = v;
  else if (key == "system_key_tier") system_key_tier = v;
  else if (key == "test_pipelines") test_pipelines = to_bool(key, v);
  else if (key == "log_level") log_level = v;
  else if (key == "access_log") access_log = to_bool(key, v);
  else throw Error::invalid_request("unknown setting '" + key + "'");
}

Config Config::load(const std::filesystem::path& file_arg) {
  Config c;
  std::filesystem::path file = file_arg;
  if (file.empty())
    if (const char* env = std::getenv("PAPERD_CONFIG")) file = env;
  if (!file.empty()) {
    Json j = Json::parse(read_file(file), nullptr, false);
    if (!j.is_object())
      throw Error::invalid_request("config file " + file.string() + " is not a JSON object");
    for (auto& [k, v] : j.items()) c.set(k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  for (const auto& s : settings())
    if (const char* env = std::getenv(env_name(s).c_str())) c.set(s.key, env);
  return c;
}

std::string Config::get(const std::string& key) const {
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  if (key == "listen") return listen;
  if (key == "data_dir") return data_dir.string();
  if (key == "workers") return std::to_string(workers);
  if (key == "http_threads") return std::to_string(http_threads);
  if (key == "public_url") return public_url;
  if (key == "master_key") return master_key;
  if (key == "outbound_allow") return outbound_allow;
  if (key == "download_ttl_seconds") return std::to_string(download_ttl_seconds);
  if (key == "max_upload_mb") return std::to_string(max_upload_mb);
  if (key == "worker_memory_mb") return std::to_string(worker_memory_mb);
  if (key == "worker_cpu_seconds") return std::to_string(worker_cpu_seconds);
  if (key == "job_max_attempts") return std::to_string(job_max_attempts);
  if (key == "job_timeout_seconds") return std::to_string(job_timeout_seconds);
  if (key == "instant_wait_seconds") return std::to_string(instant_wait_seconds);
  if (key == "lease_seconds") return std::to_string(lease_seconds);
  if (key == "default_tier") return default_tier;
  if (key == "tiers_file") return tiers_file;
  if (key == "system_key_tier") return system_key_tier;
  if (key == "test_pipelines") return b(test_pipelines);
  if (key == "log_level") return log_level;
  if (key == "access_log") return b(access_log);
  throw Error::invalid_request("unknown setting '" + key + "'");
}

void Config::export_env() const {
  for (const auto& s : settings()) ::setenv(env_name(s).c_str(), get(s.key).c_str(), 1);
}

std::string Config::host() const {
  auto colon = listen.rfind(':');
  std::string h = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (h.size() > 1 && h.front() == '[') h = h.substr(1, h.size() - 2);
  return h.empty() ? "127.0.0.1" : h;
}

int Config::port() const {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw Error::invalid_request("listen must be host:port");
  return static_cast<int>(to_int("listen", listen.substr(colon + 1)));
}

int Config::effective_workers() const {
  if (workers > 0) return workers;
  unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(n) : 2;
}

}  // namespace paperd::core
