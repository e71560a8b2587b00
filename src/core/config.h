// paperd's settings: one table of (key, environment variable, default, help) from which the
// config file, PAPERD_* variables, `paperd serve --help` and the README's table are all read.
// Precedence: built-in default < config file (JSON object of key: value) < environment < flags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace paperd::core {

struct Setting {
  const char* key;  // config-file key; the environment variable is PAPERD_<KEY upper-cased>
  const char* default_value;
  const char* help;
};
const std::vector<Setting>& settings();
std::string env_name(const Setting& s);

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::filesystem::path data_dir = "./data";
  int workers = 0;  // 0 = number of cores
  int http_threads = 64;
  std::string public_url;
  std::string master_key;  // hex or base64; empty = <data_dir>/master.key
  std::string outbound_allow;
  int64_t download_ttl_seconds = 86400;
  int64_t max_upload_mb = 50;
  int64_t worker_memory_mb = 4096;
  int64_t worker_cpu_seconds = 600;
  int job_max_attempts = 3;
  int job_timeout_seconds = 600;
  int instant_wait_seconds = 40;
  int lease_seconds = 10;
  int edit_session_ttl_seconds = 90;  // a document edit lock without a heartbeat
  std::string default_tier = "free";
  std::string tiers_file;
  std::string system_key_tier;  // empty = system keys are not rate limited
  bool test_pipelines = false;
  int64_t max_pages = 5000;
  int64_t max_megapixels = 200;
  int convert_timeout_seconds = 120;
  int office_pool_size = 1;
  int ocr_threads = 0;  // 0 = number of cores
  std::string ocr_language = "eng";
  std::string log_level = "info";
  bool access_log = true;
  // The message center's providers (services/messages): an empty host, token or URL leaves the
  // channel not_configured.
  std::string smtp_host;
  int smtp_port = 587;
  std::string smtp_from;
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_tls = "starttls";  // starttls | tls | none
  std::string telegram_api_url = "https://api.telegram.org";
  std::string telegram_bot_token;
  std::string sms_gateway_url, sms_gateway_token;
  std::string voice_gateway_url, voice_gateway_token;
  std::string push_gateway_url, push_gateway_token;
  std::string message_retry_seconds = "30,120,600,3600,21600";
  // Webhook deliveries (services/webhooks): waits between attempts (seconds, decimals allowed),
  // the limit of one attempt, sender threads, consecutive failures that pause a subscription,
  // and how often the dispatcher looks for new events in the outbox.
  std::string webhook_retry_seconds = "10,60,300,1800,7200,21600,86400";
  int webhook_timeout_seconds = 10;
  int webhook_concurrency = 8;
  int webhook_pause_after = 15;
  int webhook_poll_ms = 20;
  // E-signatures (services/esign): an operator's PKCS#12 signing identity (else one is generated
  // on first start and kept sealed in the data dir), an RFC 3161 timestamp authority, how long a
  // signing link lives, and the days between automatic reminders (0 = only on request).
  std::string esign_pkcs12_path;
  std::string esign_pkcs12_password;
  std::string esign_tsa_url;
  int esign_link_days = 30;
  int esign_reminder_days = 0;
  // Semantic search (services/dms/semantic_index): an OpenAI-compatible embeddings endpoint; when
  // embeddings_url is empty, a random-indexing model trained on each account's own documents.
  std::string embeddings_url;
  std::string embeddings_api_key;
  std::string embeddings_model = "text-embedding-3-small";
  // Chunks of a search's scope from which semantic search uses the account's HNSW index (once
  // built in the background) instead of the exact scan.
  int64_t semantic_ann_min_chunks = 50000;
  // An OpenAI-compatible chat completions API (services/llm): RAG answers of document search;
  // empty = none (RAG returns passages only).
  std::string llm_url;
  std::string llm_api_key;
  std::string llm_model = "gpt-4o-mini";
  int llm_timeout_seconds = 60;
  // The region national phone numbers in documents are read in (entity index), ISO 3166 alpha-2.
  std::string entities_default_region = "DE";

  // Reads file (if non-empty or PAPERD_CONFIG is set) then the environment.
  static Config load(const std::filesystem::path& file);
  // Applies one key=value (from a file, the environment or a flag); throws Error::invalid_request
  // naming the key on a bad value.
  void set(const std::string& key, const std::string& value);

  // Makes data_dir and tiers_file absolute and normalised against the working directory, once,
  // when the settings are complete: every path derived from them is then absolute too, in this
  // process and in the workers and child processes it hands them to (a relative path was resolved
  // again from inside a child's own working directory).
  void resolve_paths();

  // The value of one setting as text (for the environment handed to worker processes).
  std::string get(const std::string& key) const;
  // Exports every setting as PAPERD_* so child processes see the same configuration.
  void export_env() const;

  std::string host() const;
  int port() const;
  std::filesystem::path db_file() const { return data_dir / "paperd.db"; }
  std::filesystem::path blob_dir() const { return data_dir / "blobs"; }
  std::filesystem::path tmp_dir() const { return data_dir / "tmp"; }
  int effective_workers() const;
};

}  // namespace paperd::core
