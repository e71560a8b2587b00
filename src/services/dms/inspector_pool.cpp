#include "services/dms/inspector_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/error.h"
#include "core/fs.h"
#include "core/subprocess.h"

namespace paperd::services::dms {

struct InspectorPool::Reader {
  pid_t pid = -1;
  core::UniqueFd to;    // its stdin
  core::UniqueFd from;  // its stdout
  std::string pending;  // bytes after the last answer line (none in a healthy reader)

  ~Reader() {
    to.reset();  // EOF on its stdin ends a healthy reader
    from.reset();
    if (pid > 0) {
      ::kill(-pid, SIGKILL);  // and a stuck one, with any child it forked
      while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }
};

InspectorPool::InspectorPool(std::filesystem::path exe, size_t size)
    : exe_(std::move(exe)), size_(size == 0 ? 1 : size) {}

InspectorPool::~InspectorPool() = default;

std::unique_ptr<InspectorPool::Reader> InspectorPool::start() const {
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) throw core::Error::internal("cannot create a pipe");
  core::UniqueFd in_r(in_pipe[0]), in_w(in_pipe[1]);
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw core::Error::internal("cannot create a pipe");
  core::UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_r.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  auto reader = std::make_unique<Reader>();
  try {
    // Symbols bound once in the reader, not lazily again in every forked child: with ~90
    // libraries the dynamic linker's lookups were a fifth of a text file's child.
    reader->pid = core::spawn_process({exe_.string(), "inspect", "--serve"}, {{"LD_BIND_NOW", "1"}},
                                      &actions);
  } catch (...) {
    posix_spawn_file_actions_destroy(&actions);
    throw;
  }
  posix_spawn_file_actions_destroy(&actions);
  reader->to = std::move(in_w);
  reader->from = std::move(out_r);
  return reader;
}

std::unique_ptr<InspectorPool::Reader> InspectorPool::take() {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return !idle_.empty() || running_ < size_; });
  if (!idle_.empty()) {
    auto r = std::move(idle_.back());
    idle_.pop_back();
    return r;
  }
  ++running_;
  lock.unlock();
  try {
    return start();
  } catch (...) {
    lock.lock();
    --running_;
    idle_cv_.notify_one();
    throw;
  }
}

void InspectorPool::give_back(std::unique_ptr<Reader> reader) {
  std::lock_guard lock(mutex_);
  if (reader)
    idle_.push_back(std::move(reader));
  else
    --running_;
  idle_cv_.notify_one();
}

Json InspectorPool::inspect(const std::filesystem::path& file, const std::string& name,
                            int timeout_ms) {
  return ask({{"file", file.string()}, {"name", name}}, name, timeout_ms);
}

Json InspectorPool::words(const std::filesystem::path& file, const std::string& name,
                          const std::vector<int>& pages, int timeout_ms) {
  return ask({{"file", file.string()}, {"name", name}, {"words", pages}}, name, timeout_ms);
}

Json InspectorPool::ask(Json request_json, const std::string& name, int timeout_ms) {
  auto reader = take();
  // The reader enforces timeout_ms on its child; this margin is for the reader itself.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms + 10000);
  request_json["timeout_ms"] = timeout_ms;
  std::string request = request_json.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  auto fail = [&](const std::string& why) -> Json {
    reader.reset();  // killed and reaped; a new one starts on demand
    give_back(nullptr);
    throw core::Error(400, "INVALID_DOCUMENT", "'" + name + "' could not be read: " + why);
  };
  for (std::string_view s = request; !s.empty();) {
    ssize_t n = ::write(reader->to.get(), s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("the document reader is gone");
    s.remove_prefix(static_cast<size_t>(n));
  }
  std::string& buf = reader->pending;
  size_t eol;
  char chunk[65536];
  while ((eol = buf.find('\n')) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return fail("the document reader did not answer");
    pollfd p{reader->from.get(), POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno != EINTR) return fail("the document reader is gone");
    if (r <= 0) continue;
    ssize_t n = ::read(reader->from.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("the document reader stopped");
    buf.append(chunk, static_cast<size_t>(n));
  }
  Json answer = Json::parse(std::string_view(buf).substr(0, eol), nullptr, false);
  buf.erase(0, eol + 1);
  if (answer.is_discarded() || !answer.is_object()) return fail("the document reader garbled");
  give_back(std::move(reader));
  return answer;
}

}  // namespace paperd::services::dms
