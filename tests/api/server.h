// Starts a real `paperd serve` on an ephemeral port with its own data folder, for API tests.
// The server is a child process; the harness can stop it with a signal, kill -9 it or its
// workers, and start it again on the same data.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"

namespace paperd::testing {

class PaperdServer {
 public:
  // How the data folder reaches the server.
  enum class DataDir {
    kFlag,     // --data-dir <temp>/data, an absolute path
    kDefault,  // no flag and no PAPERD_DATA_DIR: started in <temp> as `make run` starts it, so
               // the server takes its default, the relative ./data
  };
  // env: extra PAPERD_* settings for this server.
  explicit PaperdServer(std::map<std::string, std::string> env = {}, int workers = 2,
                        DataDir data_dir = DataDir::kFlag);
  ~PaperdServer();

  // The constructor starts the server; start() starts it again after stop().
  void start();
  // Sends sig and waits; returns the exit status (WEXITSTATUS) or -signal.
  int stop(int sig = SIGTERM);
  pid_t pid() const { return pid_; }
  std::vector<pid_t> worker_pids() const;
  int port() const { return port_; }
  const std::filesystem::path& data_dir() const { return dir_; }
  std::string url(const std::string& path) const;

  // The tokens printed on first start.
  const std::string& system_key() const { return system_key_; }
  const std::string& user_token() const { return user_token_; }
  // `paperd token create` on this server's data; returns the token.
  std::string create_token(const std::string& kind, const std::string& account,
                           const std::string& tier = "", int64_t credits = -1,
                           int64_t expires_in = 0, int64_t* id = nullptr);
  void revoke_token(int64_t id);

  std::unique_ptr<httplib::Client> client(const std::string& token = "") const;
  std::string log() const;  // stderr of the server and its workers

 private:
  std::map<std::string, std::string> env_;
  int workers_;
  DataDir data_dir_mode_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string system_key_, user_token_;
};

// Multipart helpers.
httplib::MultipartFormDataItems form(
    std::initializer_list<std::pair<std::string, std::string>> fields);
httplib::MultipartFormData file_part(const std::string& field, const std::string& filename,
                                     const std::string& content,
                                     const std::string& type = "text/plain");
Json body_json(const httplib::Result& r);

// Polls GET /job/get/{id} until job_status is completed or failed (or the timeout).
Json wait_job(httplib::Client& c, const std::string& job_id, int timeout_ms = 30000);

}  // namespace paperd::testing
