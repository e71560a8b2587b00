#include "server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace paperd::testing {

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string run_capture(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) throw std::runtime_error("popen failed: " + cmd);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  int rc = pclose(f);
  if (rc != 0) throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + cmd);
  return out;
}

}  // namespace

PaperdServer::PaperdServer(std::map<std::string, std::string> env, int workers, DataDir data_dir)
    : env_(std::move(env)), workers_(workers), data_dir_mode_(data_dir) {
  // A server that answers early (413) and closes must not kill the test process while the
  // client is still writing.
  signal(SIGPIPE, SIG_IGN);
  char templ[] = "/tmp/paperd-api-XXXXXX";
  if (!mkdtemp(templ)) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  start();
}

PaperdServer::~PaperdServer() {
  if (pid_ > 0) stop(SIGKILL);
  // Workers die with their supervisor's pipes; give them a moment, then clean up.
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void PaperdServer::start() {
  // A second start would fork a second server and lose the first one's pid (it would outlive
  // the test).
  if (pid_ > 0) throw std::logic_error("PaperdServer::start: the server is already running");
  std::filesystem::path port_file = dir_ / "port";
  std::filesystem::remove(port_file);
  pid_ = fork();
  if (pid_ == 0) {
    int out = open((dir_ / "stdout.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int err = open((dir_ / "stderr.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(out, 1);
    dup2(err, 2);
    for (auto& [k, v] : env_) setenv(k.c_str(), v.c_str(), 1);
    setenv("PAPERD_ACCESS_LOG", "false", 0);
    std::string data = (dir_ / "data").string();
    std::string workers = std::to_string(workers_);
    if (data_dir_mode_ == DataDir::kDefault) {
      unsetenv("PAPERD_DATA_DIR");
      if (chdir(dir_.c_str()) != 0) _exit(126);
      execl(PAPERD_BINARY, PAPERD_BINARY, "serve", "--listen", "127.0.0.1:0", "--port-file",
            port_file.c_str(), "--workers", workers.c_str(), "--test-pipelines",
            static_cast<char*>(nullptr));
    } else {
      execl(PAPERD_BINARY, PAPERD_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
            data.c_str(), "--port-file", port_file.c_str(), "--workers", workers.c_str(),
            "--test-pipelines", static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  for (int i = 0; i < 200 && !std::filesystem::exists(port_file); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!std::filesystem::exists(port_file))
    throw std::runtime_error("paperd did not start: " + log());
  port_ = std::stoi(slurp(port_file));
  // Tokens are printed once, on the first start only.
  if (system_key_.empty()) {
    std::istringstream out(slurp(dir_ / "stdout.log"));
    std::string line;
    while (std::getline(out, line)) {
      auto last = line.substr(line.find_last_of(' ') + 1);
      if (line.find("system key") != std::string::npos) system_key_ = last;
      if (line.find("user token") != std::string::npos) user_token_ = last;
    }
  }
  // Wait until the workers are up, so timing-sensitive tests start from a steady state.
  for (int i = 0; i < 100 && static_cast<int>(worker_pids().size()) < workers_; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

int PaperdServer::stop(int sig) {
  if (pid_ <= 0) return 0;
  std::vector<pid_t> workers = worker_pids();
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (sig == SIGKILL)
    for (pid_t w : workers) kill(w, SIGKILL);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::vector<pid_t> PaperdServer::worker_pids() const {
  std::vector<pid_t> out;
  if (pid_ <= 0) return out;
  std::error_code ec;
  for (auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
    std::istringstream children(slurp(task.path() / "children"));
    pid_t p;
    while (children >> p) out.push_back(p);
  }
  return out;
}

std::string PaperdServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string PaperdServer::create_token(const std::string& kind, const std::string& account,
                                       const std::string& tier, int64_t credits, int64_t expires_in,
                                       int64_t* id) {
  std::string cmd = std::string(PAPERD_BINARY) + " token --data-dir " + (dir_ / "data").string() +
                    " create --json --kind " + kind + " --account " + account;
  if (!tier.empty()) cmd += " --tier " + tier;
  if (credits >= 0) cmd += " --credits " + std::to_string(credits);
  if (expires_in != 0) cmd += " --expires-in " + std::to_string(expires_in);
  Json j = Json::parse(run_capture(cmd + " 2>&1"));
  if (id) *id = j["id"];
  return j["token"];
}

void PaperdServer::revoke_token(int64_t id) {
  run_capture(std::string(PAPERD_BINARY) + " token --data-dir " + (dir_ / "data").string() +
              " revoke " + std::to_string(id) + " 2>&1");
}

std::unique_ptr<httplib::Client> PaperdServer::client(const std::string& token) const {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
  c->set_read_timeout(60, 0);
  if (!token.empty()) c->set_bearer_token_auth(token);
  return c;
}

std::string PaperdServer::log() const {
  return slurp(dir_ / "stderr.log");
}

httplib::MultipartFormDataItems form(
    std::initializer_list<std::pair<std::string, std::string>> fields) {
  httplib::MultipartFormDataItems items;
  for (auto& [k, v] : fields) items.push_back({k, v, "", ""});
  return items;
}

httplib::MultipartFormData file_part(const std::string& field, const std::string& filename,
                                     const std::string& content, const std::string& type) {
  return {field, content, filename, type};
}

Json body_json(const httplib::Result& r) {
  if (!r) return Json{{"transport_error", httplib::to_string(r.error())}};
  Json j = Json::parse(r->body, nullptr, false);
  return j.is_discarded() ? Json{{"raw", r->body}} : j;
}

Json wait_job(httplib::Client& c, const std::string& job_id, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  Json j;
  while (std::chrono::steady_clock::now() < deadline) {
    j = body_json(c.Get("/latest/job/get/" + job_id));
    std::string s = j.value("job_status", "");
    if (s == "completed" || s == "failed") return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return j;
}

}  // namespace paperd::testing
