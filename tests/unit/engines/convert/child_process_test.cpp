// The process plumbing under the converters: a child in its own process group that is killed as
// a whole (ChildProcess and core::run_process alike), framed messages with deadlines, and the
// end of stream a dead child leaves.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "core/fs.h"
#include "core/subprocess.h"
#include "engines/convert/child_process.h"
#include "engines/convert/child_sandbox.h"
#include "engines/convert/message_pipe.h"

namespace cv = paperd::engines::convert;

namespace {

// A process that is gone or only a zombie waiting for init.
bool process_gone(pid_t pid) {
  for (int i = 0; i < 300; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    auto close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z')
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

cv::Deadline in_ms(int ms) {
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
}

}  // namespace

TEST(ConvertChildProcess, RunProcessTimeoutKillsTheWholeGroup) {
  paperd::core::ProcessOptions o;
  o.argv = {"sh", "-c", "sleep 100 & echo $!; sleep 100"};
  o.timeout_ms = 300;
  auto r = paperd::core::run_process(o);
  EXPECT_TRUE(r.timed_out);
  pid_t background = std::stoi(r.out);
  EXPECT_TRUE(process_gone(background)) << "the backgrounded sleep survived";
}

TEST(ConvertChildProcess, MessagesRoundTripAndKillEndsTheGroup) {
  auto to_child = cv::make_pipe();
  auto from_child = cv::make_pipe();
  EXPECT_GE(to_child.read.get(), 10);
  cv::ChildOptions o;
  // The shell starts a helper in its group, then echoes lines back.
  o.argv = {"sh", "-c", "sleep 100 & echo $!; exec cat"};
  o.fds = {{to_child.read.get(), 0}, {from_child.write.get(), 1}};
  cv::ChildProcess child(o);
  cv::MessagePipe pipe(std::move(from_child.read), std::move(to_child.write), '\n');
  to_child.read.reset();
  from_child.write.reset();

  auto helper = pipe.read(in_ms(5000));
  ASSERT_TRUE(helper);
  ASSERT_TRUE(pipe.write("hello", in_ms(1000)));
  EXPECT_EQ(pipe.read(in_ms(5000)).value_or(""), "hello");
  EXPECT_FALSE(pipe.read(in_ms(50))) << "no message: the read times out";
  EXPECT_TRUE(child.running());

  pid_t leader = child.pid();
  child.kill();
  EXPECT_TRUE(process_gone(leader));
  EXPECT_TRUE(process_gone(std::stoi(*helper)));
  EXPECT_THROW(pipe.read(in_ms(1000)), cv::MessagePipe::EndOfStream);
}

TEST(ConvertChildProcess, NulDelimitedMessagesAndExitStatus) {
  auto to_child = cv::make_pipe();
  auto from_child = cv::make_pipe();
  cv::ChildOptions o;
  o.argv = {"sh", "-c", "printf 'one\\0two\\0'; exit 3"};
  o.fds = {{to_child.read.get(), 0}, {from_child.write.get(), 1}};
  cv::ChildProcess child(o);
  cv::MessagePipe pipe(std::move(from_child.read), std::move(to_child.write), '\0');
  from_child.write.reset();
  EXPECT_EQ(pipe.read(in_ms(5000)).value_or(""), "one");
  EXPECT_EQ(pipe.read(in_ms(5000)).value_or(""), "two");
  EXPECT_THROW(pipe.read(in_ms(5000)), cv::MessagePipe::EndOfStream);
  EXPECT_EQ(child.wait(5000), 3);
}

TEST(ConvertChildProcess, MissingToolIsAnInternalErrorNamingIt) {
  cv::ChildOptions o;
  o.argv = {"paperd-no-such-tool"};
  try {
    cv::ChildProcess child(o);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("paperd-no-such-tool"), std::string::npos);
  }
}

TEST(ConvertChildSandbox, PrefixRunsTheToolWithoutNetwork) {
  auto prefix = cv::sandbox_prefix({.no_network = true});
  if (!cv::network_namespaces_available()) GTEST_SKIP() << "no network namespaces here";
  paperd::core::ProcessOptions o;
  o.argv = prefix;
  // Inside: only a loopback interface, and it is down.
  o.argv.insert(o.argv.end(), {"sh", "-c", "cat /proc/net/dev | tail -n +3 | wc -l"});
  auto r = paperd::core::run_process(o);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(std::stoi(r.out), 1);
}
