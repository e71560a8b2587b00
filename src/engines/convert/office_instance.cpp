#include "engines/convert/office_instance.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json.h"
#include "engines/convert/child_sandbox.h"
#include "engines/convert/convert_errors.h"
#include "engines/convert/office_driver.h"
#include "engines/convert/office_profile.h"

namespace paperd::engines::convert {

namespace {

constexpr const char* kTool = "LibreOffice";
constexpr int kPollSliceMs = 200;

Deadline after_ms(int ms) {
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
}

// LibreOffice's messages quote the file's URL; clients see their own file name instead of our
// temp paths.
std::string scrub(std::string text, const std::filesystem::path& input, const std::string& name) {
  for (const std::string& needle : {file_url(input), std::filesystem::absolute(input).string()}) {
    for (size_t at; (at = text.find(needle)) != std::string::npos;)
      text.replace(at, needle.size(), name);
  }
  return text;
}

}  // namespace

OfficeInstance::OfficeInstance(const OfficeOptions& options, int id)
    : options_(options), dir_(options.work_dir, "instance-" + std::to_string(id) + "-") {
  const auto& dir = dir_.path();
  write_office_profile(dir / "profile");
  core::atomic_write_file(dir / "driver.py", office_driver_script(), 0600);
  std::filesystem::create_directories(dir / "tmp");
  // The UNO pipe is a socket under /tmp named after this; unique per process and instance.
  std::string pipe_name = "paperd_" + std::to_string(::getpid()) + "_" + dir.filename().string();

  std::vector<std::string> argv = {
      options.python, (dir / "driver.py").string(),
      "uno:pipe,name=" + pipe_name + ";urp;StarOffice.ComponentContext"};
  for (auto& a : sandbox_prefix({.no_network = options.no_network})) argv.push_back(a);
  for (std::string a :
       {options.soffice, office_profile_arg(dir / "profile"), std::string("--headless"),
        std::string("--invisible"), std::string("--nologo"), std::string("--norestore"),
        std::string("--nodefault"), std::string("--nolockcheck"),
        std::string("--nofirststartwizard"), "--accept=pipe,name=" + pipe_name + ";urp;"})
    argv.push_back(std::move(a));

  Pipe to_driver = make_pipe();
  Pipe from_driver = make_pipe();
  ChildOptions co;
  co.argv = std::move(argv);
  co.env = {{"TMPDIR", (dir / "tmp").string()},
            {"PYTHONDONTWRITEBYTECODE", "1"},
            {"PYTHONUNBUFFERED", "1"}};
  co.cwd = dir;
  co.fds = {{to_driver.read.get(), 0}, {from_driver.write.get(), 1}};
  co.log = dir / "office.log";
  process_ = ChildProcess(co);
  // Our copies of the child's ends must close, or we would never see its end of stream.
  pipe_ = MessagePipe(std::move(from_driver.read), std::move(to_driver.write), '\n');
  pipe_.set_max_message(1 << 20);
}

OfficeInstance::~OfficeInstance() {
  kill();
}

void OfficeInstance::kill() {
  pipe_.close_input();
  process_.kill();
  dead_ = true;
  ready_ = false;
}

bool OfficeInstance::usable() const {
  return !dead_ && conversions_ < options_.max_conversions &&
         (process_.pid() > 0 && process_.running());
}

std::string OfficeInstance::log_tail() const {
  std::ifstream in(dir_.path() / "office.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string last;
  std::istringstream lines(ss.str());
  for (std::string line; std::getline(lines, line);) {
    // The wrapper's harmless Java notice is never the cause.
    if (line.empty() || line.find("javaldx") != std::string::npos) continue;
    last = line;
  }
  return last.substr(0, 300);
}

void OfficeInstance::wait_ready() {
  if (ready_) return;
  if (dead_) throw conversion_failed(kTool, "the instance was stopped");
  std::optional<std::string> line;
  try {
    line = pipe_.read(after_ms(options_.start_timeout_ms));
  } catch (const MessagePipe::EndOfStream&) {
    std::string why = log_tail();
    kill();
    throw core::Error::unavailable("LibreOffice could not be started" +
                                   (why.empty() ? std::string() : ": " + why) +
                                   " (needs soffice and python3-uno)");
  }
  if (!line) {
    kill();
    throw core::Error::unavailable("LibreOffice did not start within " +
                                   std::to_string(options_.start_timeout_ms / 1000) + " s");
  }
  Json j = Json::parse(*line, nullptr, false);
  if (!j.is_object() || !j.value("ready", false)) {
    std::string why = j.is_object() ? j.value("error", "") : *line;
    kill();
    throw core::Error::unavailable("LibreOffice could not be started: " + why.substr(0, 300));
  }
  ready_ = true;
}

OfficeConversion OfficeInstance::convert(const std::filesystem::path& input,
                                         const std::filesystem::path& output,
                                         const std::string& name, int timeout_ms,
                                         const std::function<bool()>& cancelled) {
  wait_ready();
  ++conversions_;
  Deadline deadline = after_ms(timeout_ms);
  Json request = {{"in", std::filesystem::absolute(input).string()},
                  {"out", std::filesystem::absolute(output).string()}};
  if (!pipe_.write(request.dump(), deadline)) {
    kill();
    throw OfficeInstanceLost{};
  }
  std::optional<std::string> line;
  try {
    while (!line) {
      if (cancelled && cancelled()) {
        kill();
        throw conversion_cancelled(kTool);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        kill();
        throw conversion_timeout(kTool, "converting '" + name + "'", (timeout_ms + 999) / 1000);
      }
      line = pipe_.read(std::min(deadline, after_ms(kPollSliceMs)));
    }
  } catch (const MessagePipe::EndOfStream&) {
    std::string why = log_tail();
    kill();
    throw unsupported_document(name, "LibreOffice ended while converting it" +
                                         (why.empty() ? std::string() : " (" + why + ")"));
  }
  Json j = Json::parse(*line, nullptr, false);
  if (!j.is_object()) {
    kill();
    throw conversion_failed(kTool, "unexpected answer from the driver: " + line->substr(0, 200));
  }
  if (!j.value("ok", false)) {
    std::string error = scrub(j.value("error", ""), input, name);
    if (j.value("stage", "") == "idle") {
      kill();
      throw OfficeInstanceLost{};
    }
    if (j.value("crashed", false)) {
      kill();
      throw unsupported_document(name, "LibreOffice crashed while reading it (" + error + ")");
    }
    if (j.value("stage", "") == "export")
      throw unsupported_document(name,
                                 "LibreOffice opened it but could not write a PDF (" + error + ")");
    throw unsupported_document(name, "LibreOffice cannot open it (" + error + ")");
  }
  return {j.value("filter", ""), j.value("ms", 0.0)};
}

}  // namespace paperd::engines::convert
