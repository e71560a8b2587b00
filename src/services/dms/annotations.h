// Notes and comments on a document. A note is a private-looking memo any token of the account may
// read; a comment belongs to a thread (replies nest under their parent) that can be resolved and
// reopened. Only the token that wrote a note or comment may change or delete it. Every change
// runs in one transaction with its revision row or outbox event (common.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/json.h"
#include "services/dms/common.h"
#include "store/db.h"

namespace paperd::services::dms {

class Annotations {
 public:
  explicit Annotations(store::Database& db) : db_(db) {}

  // --- notes: each answer is the `data` object of the envelope
  Json create_note(const Principal& who, const std::string& ref, const std::string& text);
  Json list_notes(const Principal& who, const std::string& ref);
  Json update_note(const Principal& who, int64_t note_id, const std::string& text);
  // Soft delete: the row stays with deleted_at set and is no longer listed.
  Json delete_note(const Principal& who, int64_t note_id);

  // --- comments
  // parent_id makes it a reply; the parent must be a comment of the same document.
  Json create_comment(const Principal& who, const std::string& ref, const std::string& text,
                      std::optional<int64_t> parent_id);
  // Top-level comments, oldest first, each with its `replies` nested the same way.
  Json list_comments(const Principal& who, const std::string& ref);
  Json update_comment(const Principal& who, int64_t comment_id, const std::string& text);
  // Deletes the comment and every reply under it (soft delete).
  Json delete_comment(const Principal& who, int64_t comment_id);
  Json resolve_comment(const Principal& who, int64_t comment_id, bool resolved);

 private:
  store::Database& db_;
};

}  // namespace paperd::services::dms
