// `paperd inspect FILE`: looks inside one uploaded document (engines/inspect) and prints what it
// found as one JSON line, or {"error":{status, code, message}}.
//
// `paperd inspect --serve`: the same for a stream of requests, one JSON line each on stdin
// ({"file", "name", "timeout_ms"}), one answer line each on stdout. A request with "words"
// (page numbers; [] = all) answers the words of those PDF pages with their boxes instead
// ({"pages": [...]}, engines/inspect/page_words.h), for the search hits' rectangles. The server
// keeps a few of these (services/dms/inspector_pool) so an upload does not pay for starting the
// binary; each request still runs in its own forked child with its own memory and CPU limits, so a
// hostile file can only take that child down, and the next file starts from a clean copy.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <iostream>

#include "app/commands.h"
#include "core/error.h"
#include "engines/inspect/document_inspector.h"
#include "engines/inspect/page_words.h"

namespace paperd::app {
namespace {

Json error_json(int status, const std::string& code, const std::string& message) {
  return {{"error", {{"status", status}, {"code", code}, {"message", message}}}};
}

void apply_limits(const core::Config& config) {
  if (config.worker_memory_mb > 0) {  // 0 = no limit, as for the workers
    rlimit mem{static_cast<rlim_t>(config.worker_memory_mb) << 20,
               static_cast<rlim_t>(config.worker_memory_mb) << 20};
    setrlimit(RLIMIT_AS, &mem);
  }
  rlimit cpu{60, 65};
  setrlimit(RLIMIT_CPU, &cpu);
}

// One answer line of work(), or the error it threw.
std::string answer_line(const std::function<Json()>& work) {
  Json out;
  try {
    out = work();
  } catch (const core::Error& e) {
    out = error_json(e.status(), e.code(), e.what());
  } catch (const std::exception& e) {
    out = error_json(400, "INVALID_DOCUMENT", e.what());
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string inspect_line(const core::Config& config, const std::filesystem::path& file,
                         const std::string& name) {
  return answer_line([&] {
    return engines::inspect::to_json(engines::inspect::inspect_file(
        file, name.empty() ? file.filename().string() : name, {.max_pages = config.max_pages}));
  });
}

std::string words_line(const core::Config& config, const std::filesystem::path& file,
                       const std::vector<int>& pages) {
  return answer_line([&] {
    Json out = Json::array();
    for (const auto& p :
         engines::inspect::read_pdf_words(file, pages, {.max_pages = config.max_pages}))
      out.push_back(engines::inspect::to_json(p));
    return Json{{"pages", std::move(out)}};
  });
}

bool write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    s.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// One request in a forked child: its answer line, or the reason there is none.
std::string run_in_child(const core::Config& config, const std::string& name, int timeout_ms,
                         const std::function<std::string()>& work) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return error_json(500, "INTERNAL_ERROR", "cannot create a pipe for the document reader")
               .dump() +
           "\n";
  pid_t pid = fork();
  if (pid == 0) {
    ::close(fds[0]);
    apply_limits(config);
    write_all(fds[1], work());
    _exit(0);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return error_json(500, "INTERNAL_ERROR", "cannot start the document reader").dump() + "\n";
  }
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;  // the deadline check above ends it
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return error_json(400, "INVALID_DOCUMENT",
                      "'" + name + "' could not be read within " +
                          std::to_string(timeout_ms / 1000) + " s")
               .dump() +
           "\n";
  if (out.empty() || out.back() != '\n')
    return error_json(400, "INVALID_DOCUMENT",
                      "'" + name + "' could not be read: the document reader " +
                          (WIFSIGNALED(status)
                               ? "was killed by signal " + std::to_string(WTERMSIG(status))
                               : "failed (exit " + std::to_string(WEXITSTATUS(status)) + ")") +
                          " on it")
               .dump(-1, ' ', false, Json::error_handler_t::replace) +
           "\n";
  return out;
}

int serve_requests(const core::Config& config) {
  std::string line;
  while (std::getline(std::cin, line)) {
    Json req = Json::parse(line, nullptr, false);
    std::string answer;
    if (req.is_discarded() || !req.is_object() || !req.contains("file"))
      answer =
          error_json(500, "INTERNAL_ERROR", "bad request to the document reader").dump() + "\n";
    else {
      std::filesystem::path file = req["file"].get<std::string>();
      std::string name = req.value("name", "");
      std::vector<int> pages;
      if (req.contains("words") && req["words"].is_array())
        for (const auto& p : req["words"])
          if (p.is_number_integer()) pages.push_back(p.get<int>());
      bool words = req.contains("words");
      answer = run_in_child(config, name, req.value("timeout_ms", 60000), [&] {
        return words ? words_line(config, file, pages) : inspect_line(config, file, name);
      });
    }
    if (!write_all(1, answer)) return 1;
  }
  return 0;
}

}  // namespace

int inspect(core::Config& config, const InspectOptions& o) {
  if (o.serve) return serve_requests(config);
  if (o.file.empty()) {
    std::cerr << "inspect: a FILE or --serve is required\n";
    return 2;
  }
  apply_limits(config);
  std::cout << inspect_line(config, o.file, o.name);
  return 0;
}

}  // namespace paperd::app
