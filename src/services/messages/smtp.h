// The email channel: a notification as a MIME message (mime.h) sent over SMTP with libcurl to the
// relay the operator configured (smtp_host, smtp_port, smtp_from, smtp_user/smtp_password,
// smtp_tls). The relay's 5xx answers are permanent failures; 4xx answers, refused connections
// and timeouts are transient and retried. Each send has its own curl handle: thread-safe.
#pragma once

#include <string>

#include "core/config.h"
#include "services/messages/channels.h"

namespace paperd::services::messages {

class SmtpProvider : public Provider {
 public:
  // Throws Error::invalid_request naming smtp_tls or smtp_from when they are malformed.
  explicit SmtpProvider(const core::Config& config);
  std::string missing_setting() const override;
  Outcome deliver(const Notification& n, const std::string& address) override;

  // The MIME message deliver() sends (for the same Message-ID on every attempt).
  std::string message_for(const Notification& n, const std::string& to) const;
  std::string message_id_for(const Notification& n) const;

 private:
  std::string host_, from_, user_, password_, tls_;
  int port_;
};

}  // namespace paperd::services::messages
