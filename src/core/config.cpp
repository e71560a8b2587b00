#include "core/config.h"

#include <cstdlib>
#include <thread>
#include <variant>

#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"

namespace paperd::core {

namespace {

using Member = std::variant<std::string Config::*, std::filesystem::path Config::*, int Config::*,
                            int64_t Config::*, bool Config::*>;

struct Entry {
  Setting setting;
  Member member;
};

// The one list of settings: adding a setting is one line here and one field in Config.
const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries = {
      {{"listen", "127.0.0.1:8080", "address:port to serve on (port 0 = any free port)"},
       &Config::listen},
      {{"data_dir", "./data", "database, encrypted blobs, master key and temp files"},
       &Config::data_dir},
      {{"workers", "0", "worker processes (0 = number of cores)"}, &Config::workers},
      {{"http_threads", "64", "HTTP threads; each open keep-alive connection holds one"},
       &Config::http_threads},
      {{"public_url", "", "base URL in links, e.g. https://paperd.example.com/latest"},
       &Config::public_url},
      {{"master_key", "", "64 hex chars or base64 of 32 bytes; default: <data_dir>/master.key"},
       &Config::master_key},
      {{"outbound_allow", "", "hosts/IPs/CIDRs outbound fetches may reach although private"},
       &Config::outbound_allow},
      {{"download_ttl_seconds", "86400", "lifetime of job download links"},
       &Config::download_ttl_seconds},
      {{"max_upload_mb", "50", "largest upload accepted by job endpoints"}, &Config::max_upload_mb},
      {{"worker_memory_mb", "4096", "address-space limit of each worker process"},
       &Config::worker_memory_mb},
      {{"worker_cpu_seconds", "600", "CPU seconds a worker may spend on one job"},
       &Config::worker_cpu_seconds},
      {{"job_max_attempts", "3", "attempts before a crashing job fails"},
       &Config::job_max_attempts},
      {{"job_timeout_seconds", "600", "default wall-clock limit of one job attempt"},
       &Config::job_timeout_seconds},
      {{"instant_wait_seconds", "40", "how long the instant lane holds the connection"},
       &Config::instant_wait_seconds},
      {{"lease_seconds", "10", "job lease; a worker that stops heartbeating loses its job"},
       &Config::lease_seconds},
      {{"edit_session_ttl_seconds", "90", "a document edit lock's lifetime without a heartbeat"},
       &Config::edit_session_ttl_seconds},
      {{"default_tier", "free", "tier of accounts created without one"}, &Config::default_tier},
      {{"tiers_file", "", "JSON file replacing the tier table (credits, rate limits)"},
       &Config::tiers_file},
      {{"system_key_tier", "", "rate-limit system keys like this tier (empty = unlimited)"},
       &Config::system_key_tier},
      {{"test_pipelines", "false", "register the spine's test pipelines (tests only)"},
       &Config::test_pipelines},
      {{"max_pages", "5000", "pages per document before INPUT_TOO_LARGE"}, &Config::max_pages},
      {{"max_megapixels", "200", "pixels per image or rendered page before INPUT_TOO_LARGE"},
       &Config::max_megapixels},
      {{"convert_timeout_seconds", "120", "limit for one LibreOffice/Chromium/Calibre/gs run"},
       &Config::convert_timeout_seconds},
      {{"office_pool_size", "1", "warm LibreOffice instances per worker"},
       &Config::office_pool_size},
      {{"ocr_threads", "0", "OCR threads per job (0 = number of cores)"}, &Config::ocr_threads},
      {{"ocr_language", "eng", "OCR language when a request names none"}, &Config::ocr_language},
      {{"log_level", "info", "trace, debug, info, warn, error"}, &Config::log_level},
      {{"access_log", "true", "JSON access-log line per request on stdout"}, &Config::access_log},
      {{"smtp_host", "", "SMTP relay of the message center's email channel (empty = none)"},
       &Config::smtp_host},
      {{"smtp_port", "587", "SMTP relay port"}, &Config::smtp_port},
      {{"smtp_from", "", "sender of notification emails, e.g. paperd <noreply@example.com>"},
       &Config::smtp_from},
      {{"smtp_user", "", "SMTP login (empty = no AUTH)"}, &Config::smtp_user},
      {{"smtp_password", "", "SMTP password"}, &Config::smtp_password},
      {{"smtp_tls", "starttls", "starttls (required), tls (implicit, smtps) or none"},
       &Config::smtp_tls},
      {{"telegram_api_url", "https://api.telegram.org", "Telegram Bot API base URL"},
       &Config::telegram_api_url},
      {{"telegram_bot_token", "", "Telegram bot token (empty = no Telegram channel)"},
       &Config::telegram_bot_token},
      {{"sms_gateway_url", "", "HTTP gateway the SMS channel POSTs JSON to (empty = none)"},
       &Config::sms_gateway_url},
      {{"sms_gateway_token", "", "bearer token for the SMS gateway"}, &Config::sms_gateway_token},
      {{"voice_gateway_url", "", "HTTP gateway for voice-call notifications (empty = none)"},
       &Config::voice_gateway_url},
      {{"voice_gateway_token", "", "bearer token for the voice gateway"},
       &Config::voice_gateway_token},
      {{"push_gateway_url", "", "HTTP gateway for web push notifications (empty = none)"},
       &Config::push_gateway_url},
      {{"push_gateway_token", "", "bearer token for the web push gateway"},
       &Config::push_gateway_token},
      {{"message_retry_seconds", "30,120,600,3600,21600",
        "waits between attempts of a notification that failed transiently"},
       &Config::message_retry_seconds},
      {{"webhook_retry_seconds", "10,60,300,1800,7200,21600,86400",
        "waits between webhook delivery attempts (seconds, with jitter); then it fails"},
       &Config::webhook_retry_seconds},
      {{"webhook_timeout_seconds", "10", "limit of one webhook delivery attempt"},
       &Config::webhook_timeout_seconds},
      {{"webhook_concurrency", "8", "webhook deliveries in flight at once"},
       &Config::webhook_concurrency},
      {{"webhook_pause_after", "15", "consecutive failed attempts that pause a subscription"},
       &Config::webhook_pause_after},
      {{"webhook_poll_ms", "20", "how often the webhook dispatcher reads new events"},
       &Config::webhook_poll_ms},
      {{"esign_pkcs12_path", "",
        "PKCS#12 file with the e-signature key and certificate (empty = generated on first start)"},
       &Config::esign_pkcs12_path},
      {{"esign_pkcs12_password", "", "password of esign_pkcs12_path"},
       &Config::esign_pkcs12_password},
      {{"esign_tsa_url", "", "RFC 3161 timestamp authority for signatures (empty = none)"},
       &Config::esign_tsa_url},
      {{"esign_link_days", "30", "days a signing link lives (at most the request's expiry)"},
       &Config::esign_link_days},
      {{"esign_reminder_days", "0",
        "days between automatic reminders to pending signers (0 = only signatures/remind)"},
       &Config::esign_reminder_days},
      {{"embeddings_url", "",
        "OpenAI-compatible embeddings API base URL for semantic search (empty = local model)"},
       &Config::embeddings_url},
      {{"embeddings_api_key", "", "bearer token for embeddings_url"}, &Config::embeddings_api_key},
      {{"embeddings_model", "text-embedding-3-small", "model named in embeddings requests"},
       &Config::embeddings_model},
      {{"semantic_ann_min_chunks", "50000",
        "chunks in a search's scope from which semantic search uses the HNSW index"},
       &Config::semantic_ann_min_chunks},
      {{"llm_url", "",
        "OpenAI-compatible chat API base URL for RAG answers (empty = passages only)"},
       &Config::llm_url},
      {{"llm_api_key", "", "bearer token for llm_url"}, &Config::llm_api_key},
      {{"llm_model", "gpt-4o-mini", "model named in chat requests"}, &Config::llm_model},
      {{"llm_timeout_seconds", "60", "seconds one chat request may take"},
       &Config::llm_timeout_seconds},
      {{"entities_default_region", "DE",
        "ISO 3166 region of phone numbers written without a country code (entities)"},
       &Config::entities_default_region},
  };
  return kEntries;
}

const Entry& entry(const std::string& key) {
  for (const auto& e : entries())
    if (key == e.setting.key) return e;
  throw Error::invalid_request("unknown setting '" + key + "'");
}

}  // namespace

const std::vector<Setting>& settings() {
  static const std::vector<Setting> kSettings = [] {
    std::vector<Setting> out;
    for (const auto& e : entries()) out.push_back(e.setting);
    return out;
  }();
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
  if (v.empty() || errno || *end)
    throw Error::invalid_request(key + " must be an integer, got '" + v + "'");
  return n;
}
bool to_bool(const std::string& key, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
  throw Error::invalid_request(key + " must be true or false, got '" + v + "'");
}
}  // namespace

void Config::set(const std::string& key, const std::string& v) {
  std::visit(
      [&](auto member) {
        using T = std::remove_reference_t<decltype(this->*member)>;
        if constexpr (std::is_same_v<T, bool>)
          this->*member = to_bool(key, v);
        else if constexpr (std::is_same_v<T, int>)
          this->*member = static_cast<int>(to_int(key, v));
        else if constexpr (std::is_same_v<T, int64_t>)
          this->*member = to_int(key, v);
        else
          this->*member = v;
      },
      entry(key).member);
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

void Config::resolve_paths() {
  auto absolute = [](const std::filesystem::path& p) {
    std::error_code ec;
    std::filesystem::path a = std::filesystem::absolute(p, ec);
    if (ec)
      throw Error::invalid_request("cannot resolve the path '" + p.string() + "': " + ec.message());
    return a.lexically_normal();
  };
  data_dir = absolute(data_dir);
  // A trailing separator would leave "data/" as the folder's own name in messages.
  if (!data_dir.has_filename() && data_dir.has_parent_path() && data_dir != data_dir.root_path())
    data_dir = data_dir.parent_path();
  if (!tiers_file.empty()) tiers_file = absolute(tiers_file).string();
}

std::string Config::get(const std::string& key) const {
  return std::visit(
      [&](auto member) -> std::string {
        using T = std::remove_cvref_t<decltype(this->*member)>;
        if constexpr (std::is_same_v<T, bool>)
          return this->*member ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::filesystem::path>)
          return (this->*member).string();
        else if constexpr (std::is_same_v<T, std::string>)
          return this->*member;
        else
          return std::to_string(this->*member);
      },
      entry(key).member);
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
