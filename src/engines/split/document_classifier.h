// Document type from keywords in English and German: invoice, receipt, delivery_note, contract,
// letter, or "unknown" when no keyword is found. A type named in a title near the top of the
// first page outweighs words in the body.
#pragma once

#include <string>
#include <vector>

namespace paperd::engines::split {

// The types this classifier can answer, "unknown" included.
const std::vector<std::string>& document_types();

struct Classification {
  std::string type = "unknown";
  std::string evidence;  // the keyword that decided, e.g. "'Rechnung' in the title"
};

// `title` is the text of the first page's top third; `body` all text of the document.
Classification classify_document(const std::string& title, const std::string& body);

// The type whose keyword appears in `text` as a heading-like word, or "" (for per-page titles).
std::string title_type(const std::string& text);

}  // namespace paperd::engines::split
