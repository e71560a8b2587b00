// A minimal SMTP server for API tests (the message center, e-signature invitations): it keeps
// every message it accepts, so a test reads what paperd sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace paperd::testing {

// A minimal SMTP server: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, one session at a time.
// Recipients named reject@... are refused for good (550); flaky@... twice for now (451) and then
// accepted. While down, every connection is turned away with 421.
class SmtpSink {
 public:
  struct Mail {
    std::string from;
    std::vector<std::string> rcpt;
    std::string data;
  };

  SmtpSink() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0)
      throw std::runtime_error("SMTP sink cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~SmtpSink() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  void set_down(bool down) { down_ = down; }
  int refused() const { return refused_; }

  std::vector<Mail> mails_to(const std::string& rcpt) {
    std::lock_guard lock(mu_);
    std::vector<Mail> out;
    for (const auto& m : mails_)
      for (const auto& r : m.rcpt)
        if (r == rcpt) out.push_back(m);
    return out;
  }

  std::optional<Mail> mail_to(const std::string& rcpt) {
    std::lock_guard lock(mu_);
    for (const auto& m : mails_)
      for (const auto& r : m.rcpt)
        if (r == rcpt) return m;
    return std::nullopt;
  }

 private:
  void loop() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      timeval tv{10, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      session(c);
      ::close(c);
    }
  }

  static void say(int c, const std::string& s) {
    (void)!::send(c, s.data(), s.size(), MSG_NOSIGNAL);
  }

  static bool read_line(int c, std::string& buf, std::string& line) {
    for (;;) {
      auto crlf = buf.find("\r\n");
      if (crlf != std::string::npos) {
        line = buf.substr(0, crlf);
        buf.erase(0, crlf + 2);
        return true;
      }
      char chunk[4096];
      ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buf.append(chunk, static_cast<size_t>(n));
    }
  }

  static std::string angle(const std::string& s) {
    auto lt = s.find('<'), gt = s.find('>');
    return lt == std::string::npos || gt == std::string::npos ? "" : s.substr(lt + 1, gt - lt - 1);
  }

  void session(int c) {
    if (down_) {
      ++refused_;
      say(c, "421 4.3.2 sink.test is down for the test\r\n");
      return;
    }
    say(c, "220 sink.test ESMTP test sink\r\n");
    std::string buf, line;
    Mail m;
    bool in_data = false;
    while (read_line(c, buf, line)) {
      if (in_data) {
        if (line == ".") {
          in_data = false;
          {
            std::lock_guard lock(mu_);
            mails_.push_back(m);
          }
          m = {};
          say(c, "250 2.0.0 queued\r\n");
        } else {
          m.data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
        }
        continue;
      }
      std::string verb = line.substr(0, 4);
      for (char& ch : verb) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (verb == "EHLO" || verb == "HELO") {
        say(c, "250-sink.test\r\n250 8BITMIME\r\n");
      } else if (verb == "MAIL") {
        m.from = angle(line);
        say(c, "250 2.1.0 ok\r\n");
      } else if (verb == "RCPT") {
        std::string to = angle(line);
        if (to.rfind("reject", 0) == 0) {
          say(c, "550 5.1.1 <" + to + ">: no such user here\r\n");
        } else if (to.rfind("flaky", 0) == 0 && flaky_[to]++ < 2) {
          say(c, "451 4.7.1 try again later\r\n");
        } else {
          m.rcpt.push_back(to);
          say(c, "250 2.1.5 ok\r\n");
        }
      } else if (verb == "DATA") {
        in_data = true;
        say(c, "354 go ahead\r\n");
      } else if (verb == "RSET") {
        m = {};
        say(c, "250 2.0.0 ok\r\n");
      } else if (verb == "NOOP") {
        say(c, "250 2.0.0 ok\r\n");
      } else if (verb == "QUIT") {
        say(c, "221 2.0.0 bye\r\n");
        return;
      } else {
        say(c, "502 5.5.2 not implemented\r\n");
      }
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false}, down_{false};
  std::atomic<int> refused_{0};
  std::thread thread_;
  std::mutex mu_;
  std::vector<Mail> mails_;
  std::map<std::string, int> flaky_;  // only the sink's thread touches it
};

}  // namespace paperd::testing
