// `paperd serve`: the composition root. Builds the stores and services, the route table and the
// server, starts the worker supervisor, and shuts everything down in order on SIGTERM/SIGINT.
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/context.h"
#include "app/access_log.h"
#include "app/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/periodic.h"
#include "http/server.h"
#include "jobs/supervisor.h"
#include "jobs/worker.h"
#include "services/dms/documents.h"
#include "services/esign/signature_service.h"
#include "services/messages/message_center.h"
#include "services/messages/sender.h"
#include "services/webhooks/dispatcher.h"

namespace paperd::app {

namespace {

std::string self_exe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw core::Error::internal("cannot find the paperd executable");
  return std::string(buf, static_cast<size_t>(n));
}

// First start: an account with one system key and one user token, printed once.
void bootstrap_tokens(services::Accounts& accounts, const core::Config& config) {
  if (accounts.token_count() > 0) return;
  int64_t account = accounts.create_account("default", config.default_tier);
  auto sk = accounts.create_token(account, "sk", "created on first start");
  auto ut = accounts.create_token(account, "ut", "created on first start");
  std::cout << "\nFirst start: created account 'default' (tier " << config.default_tier
            << ") with two tokens. They are shown only now; store them.\n"
            << "  system key (REST, full access): " << sk.token << "\n"
            << "  user token (REST and MCP):      " << ut.token << "\n"
            << "More with: paperd token create --kind ut --account <name>\n\n"
            << std::flush;
}

std::string jobs_metrics(jobs::Queue& queue) {
  std::string out = "# HELP paperd_jobs Jobs by state.\n# TYPE paperd_jobs gauge\n";
  for (auto& [state, n] : queue.counts_by_state())
    out += fmt::format("paperd_jobs{{state=\"{}\"}} {}\n", state, n);
  out += fmt::format(
      "# HELP paperd_queue_depth Jobs waiting for a worker.\n# TYPE paperd_queue_depth gauge\n"
      "paperd_queue_depth {}\n",
      queue.depth());
  return out;
}

}  // namespace

int serve(core::Config& config, const ServeOptions& options) {
  // Signals are taken by one thread with sigwait; every other thread (and worker) inherits the
  // block, and workers unblock them again for their own handlers.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Small blocks come from glibc's per-thread caches; without fastbins behind them, the larger
  // blocks every request also allocates no longer make malloc consolidate the fastbins first
  // (3 % of a /health request under load).
  mallopt(M_MXFAST, 0);

  setup_logging(config);
  prepare_data_dir(config);
  config.export_env();

  store::Database db(config.db_file());
  db.migrate();
  const store::MasterKey master =
      store::MasterKey::load_or_create(config.data_dir / "master.key", config.master_key);
  store::BlobStore blobs(config.blob_dir(), master);
  const store::ValueSealer sealer(master);  // job parameters are stored sealed
  services::Tiers tiers = services::Tiers::load(config.tiers_file);
  tiers.get(config.default_tier);  // fail early on a misconfigured default
  services::Accounts accounts(db, tiers);
  bootstrap_tokens(accounts, config);
  jobs::PipelineRegistry pipelines;
  register_pipelines(pipelines, config);
  jobs::Queue queue(db, &sealer);
  net::OutboundPolicy outbound = net::OutboundPolicy::parse(config.outbound_allow);
  http::Metrics metrics;
  http::RateLimiter limiter;

  http::ServerHooks hooks;
  hooks.authenticate = [&](std::string_view token) { return accounts.authenticate(token); };
  hooks.rate_limit = [&](const http::Principal& p, const std::string& ip, bool count) {
    std::string tier = p.visitor() ? "free" : p.tier;
    if (p.kind == "sk") {
      if (config.system_key_tier.empty()) return http::RateDecision{.unlimited = true};
      tier = config.system_key_tier;
    }
    const auto& windows = tiers.has(tier) ? tiers.get(tier).limits : tiers.all().front().limits;
    std::string key = p.visitor() ? "ip:" + ip : "tok:" + std::to_string(p.token_id);
    return limiter.hit(key, windows, count, core::unix_millis());
  };
  hooks.charge = [&](const http::Principal& p, int64_t credits, const std::string& ref) {
    accounts.debit(p.account_id, credits, "api call", ref);
  };
  hooks.refund = [&](const http::Principal& p, int64_t credits, const std::string& ref) {
    accounts.credit(p.account_id, credits, "refund: call rejected", ref);
  };
  std::optional<AccessLog> access_log;
  if (config.access_log) {
    access_log.emplace(stdout);
    hooks.access_log = [&](std::string_view line) { access_log->write_line(line); };
  }

  jobs::Supervisor supervisor(config, db, self_exe());
  api::ApiContext ctx{config,      db,       blobs,   tiers,  accounts, queue,           pipelines,
                      &supervisor, outbound, metrics, &hooks, nullptr,  core::unix_now()};
  ctx.webhooks = std::make_shared<services::webhooks::Webhooks>(
      db, &sealer, outbound, services::webhooks::Settings::from(config));
  ctx.documents = std::make_shared<services::dms::DocumentStore>(db, blobs, config);
  ctx.messages = std::make_shared<services::messages::MessageCenter>(db, config, outbound);
  ctx.signatures = std::make_shared<services::esign::SignatureService>(
      db, blobs, config, ctx.documents, ctx.messages, &sealer, self_exe());
  http::Router router;
  api::add_all_routes(router, ctx);
  metrics.add_collector([&] { return jobs_metrics(queue) + supervisor.metrics(); });

  http::ServerOptions server_opts;
  server_opts.host = config.host();
  server_opts.port = config.port();
  server_opts.threads = config.http_threads;
  server_opts.upload_root = config.tmp_dir();
  server_opts.public_url = config.public_url;
  http::Server server(router, hooks, server_opts, metrics);
  int port = server.bind();
  supervisor.start();
  const std::string link_base = !config.public_url.empty()
                                    ? config.public_url
                                    : fmt::format("http://{}:{}/latest", config.host(), port);
  core::Periodic background({
      {"AI-DMS processing sync", 1000, [&] { ctx.documents->sync_processing(); }},
      {"trash purge", 10000, [&] { ctx.documents->purge_expired(); }},
      {"full-text segment merge", 5000, [&] { ctx.documents->merge_index(250); }},
      {"semantic index", 2000, [&] { ctx.documents->semantic().sync(); }},
      {"entity index", 2000, [&] { ctx.documents->entities().sync(); }},
      {"e-signature expiry and reminders", 30000, [&] { ctx.signatures->sweep(link_base); }},
  });
  services::webhooks::Dispatcher webhook_dispatcher(db, *ctx.webhooks, outbound);
  services::messages::Sender message_sender(*ctx.messages);
  if (!options.port_file.empty()) core::atomic_write_file(options.port_file, std::to_string(port));
  spdlog::info("paperd {} listening on http://{}:{} with {} workers, data in {}", PAPERD_VERSION,
               config.host(), port, config.effective_workers(), config.data_dir.string());

  std::atomic<bool> signalled{false};
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    signalled = true;
    spdlog::info("signal {}: no new connections; finishing requests in flight", sig);
    server.stop();
  });
  server.listen();  // returns after stop(), once in-flight requests are answered
  supervisor.stop(30);
  if (!signalled) pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  spdlog::info("paperd stopped");
  return 0;
}

int worker(core::Config& config, int id, int notify_fd, int wake_fd) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  setup_logging(config);
  jobs::PipelineRegistry pipelines;
  register_pipelines(pipelines, config);
  jobs::WorkerOptions opts{fmt::format("w{}.{}", id, ::getpid()), notify_fd, wake_fd};
  return jobs::run_worker(config, pipelines, opts);
}

}  // namespace paperd::app
