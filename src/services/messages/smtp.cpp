#include "services/messages/smtp.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>

#include "core/clock.h"
#include "core/error.h"
#include "net/ssrf.h"
#include "services/messages/mime.h"

namespace paperd::services::messages {

using core::Error;

namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_upload(char* buf, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t left = up->data->size() - up->offset;
  size_t take = std::min(left, size * n);
  std::memcpy(buf, up->data->data() + up->offset, take);
  up->offset += take;
  return take;
}

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpProvider::SmtpProvider(const core::Config& config)
    : host_(config.smtp_host),
      from_(config.smtp_from),
      user_(config.smtp_user),
      password_(config.smtp_password),
      tls_(config.smtp_tls),
      port_(config.smtp_port) {
  if (tls_ != "starttls" && tls_ != "tls" && tls_ != "none")
    throw Error::invalid_request("smtp_tls must be starttls, tls or none, got '" + tls_ + "'");
  if (!host_.empty() && mailbox_address(from_).find('@') == std::string::npos)
    throw Error::invalid_request(
        "smtp_from must name the sender's address, e.g. paperd <noreply@example.com>, got '" +
        from_ + "'");
  if (port_ <= 0 || port_ > 65535)
    throw Error::invalid_request("smtp_port must be 1 to 65535, got " + std::to_string(port_));
}

std::string SmtpProvider::missing_setting() const {
  return host_.empty() ? "PAPERD_SMTP_HOST (and PAPERD_SMTP_FROM)" : "";
}

std::string SmtpProvider::message_id_for(const Notification& n) const {
  std::string addr = mailbox_address(from_);
  return n.message_id + "@" + addr.substr(addr.find('@') + 1);
}

std::string SmtpProvider::message_for(const Notification& n, const std::string& to) const {
  EmailParts parts{.from = from_,
                   .to = to,
                   .subject = n.title,
                   .body = n.body,
                   .message_id = message_id_for(n),
                   .date = core::unix_now(),
                   .category = n.category};
  return build_email(parts);
}

Outcome SmtpProvider::deliver(const Notification& n, const std::string& to) {
  net::init_curl();
  std::unique_ptr<CURL, CurlDeleter> h(curl_easy_init());
  if (!h) return Outcome::transient("curl_easy_init failed");
  std::string message = message_for(n, to);
  std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  std::string url = fmt::format("{}://{}:{}", tls_ == "tls" ? "smtps" : "smtp", host, port_);
  std::string mail_from = "<" + mailbox_address(from_) + ">";
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(
      curl_slist_append(nullptr, ("<" + to + ">").c_str()));
  Upload up{&message};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   static_cast<long>(tls_ == "none" ? CURLUSESSL_NONE : CURLUSESSL_ALL));
  if (!user_.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, user_.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
  }
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string relay = fmt::format("SMTP relay {}:{}", host_, port_);
  if (rc == CURLE_OK)
    return Outcome::delivered(fmt::format("accepted by {}", relay), message_id_for(n));
  std::string reason = fmt::format("{}: {}{}", relay, error[0] ? error : curl_easy_strerror(rc),
                                   code ? fmt::format(" (SMTP {})", code) : "");
  // 5xx: the relay refuses this message for good (unknown recipient, policy, bad login).
  if (code >= 500 && code < 600) return Outcome::permanent(reason);
  return Outcome::transient(reason);
}

}  // namespace paperd::services::messages
