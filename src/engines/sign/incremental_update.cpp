// IncrementalUpdate: see incremental_update.h.
#include "engines/sign/incremental_update.h"

#include <cctype>
#include <cstdio>
#include <vector>

#include "core/crypto.h"
#include "core/error.h"
#include "engines/sign/pdf_syntax.h"

namespace paperd::engines::sign {

namespace {

core::Error bad_xref(const std::string& why) {
  return core::Error(400, "INVALID_PDF",
                     "the PDF cannot take an incremental update: " + why +
                         " (its cross-reference is damaged; repair it, e.g. with qpdf, first)");
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

// Offset after "startxref" near the end of the file, and whether it points at an xref stream.
size_t last_startxref(std::string_view file, bool* stream) {
  const size_t tail = file.size() > 4096 ? file.size() - 4096 : 0;
  size_t at = file.rfind("startxref");
  if (at == std::string_view::npos || at < tail) throw bad_xref("no startxref at its end");
  size_t p = at + 9;
  while (p < file.size() && is_space(file[p])) ++p;
  size_t offset = 0, digits = 0;
  while (p < file.size() && std::isdigit(static_cast<unsigned char>(file[p])) && digits < 15) {
    offset = offset * 10 + static_cast<size_t>(file[p++] - '0');
    ++digits;
  }
  if (digits == 0 || offset >= file.size()) throw bad_xref("startxref points outside the file");
  size_t q = offset;
  while (q < file.size() && is_space(file[q])) ++q;
  if (file.substr(q, 4) == "xref") {
    *stream = false;
    return offset;
  }
  // "n g obj" of an xref stream.
  int groups = 0;
  while (groups < 2 && q < file.size() && std::isdigit(static_cast<unsigned char>(file[q]))) {
    while (q < file.size() && std::isdigit(static_cast<unsigned char>(file[q]))) ++q;
    while (q < file.size() && is_space(file[q])) ++q;
    ++groups;
  }
  if (groups != 2 || file.substr(q, 3) != "obj")
    throw bad_xref("startxref does not point at a cross-reference section");
  size_t dict_end = std::min(file.size(), q + 4096);
  if (file.substr(q, dict_end - q).find("/XRef") == std::string_view::npos)
    throw bad_xref("startxref points at an object that is not an xref stream");
  *stream = true;
  return offset;
}

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

}  // namespace

IncrementalUpdate::IncrementalUpdate(const std::string& original, QPDF& doc) : original_(original) {
  prev_ = last_startxref(original_, &xref_stream_);
  QPDFObjectHandle trailer = doc.getTrailer();
  int size = trailer.getKey("/Size").isInteger() ? trailer.getKey("/Size").getIntValueAsInt() : 0;
  for (const auto& [id, entry] : doc.getXRefTable()) size = std::max(size, id.getObj() + 1);
  next_number_ = std::max(size, 1);

  QPDFObjectHandle root = trailer.getKey("/Root");
  if (!root.isIndirect()) throw bad_xref("the trailer has no indirect /Root");
  trailer_entries_ = "/Root " + root.unparse();
  QPDFObjectHandle info = trailer.getKey("/Info");
  if (info.isIndirect()) trailer_entries_ += " /Info " + info.unparse();
  // The first /ID names the document for good; the second changes with each revision.
  QPDFObjectHandle id = trailer.getKey("/ID");
  std::string first = id.isArray() && id.getArrayNItems() == 2 && id.getArrayItem(0).isString()
                          ? id.getArrayItem(0).getStringValue()
                          : core::random_bytes(16);
  trailer_entries_ +=
      " /ID [" + pdf_hex_string(first) + pdf_hex_string(core::random_bytes(16)) + "]";
}

QPDFObjGen IncrementalUpdate::new_object() {
  return QPDFObjGen(next_number_++, 0);
}

void IncrementalUpdate::put(QPDFObjGen id, std::string body) {
  objects_[id] = std::move(body);
}

void IncrementalUpdate::put_stream(QPDFObjGen id, const std::string& dict_entries,
                                   const std::string& data) {
  put(id, "<< " + dict_entries + " /Length " + std::to_string(data.size()) + " >>\nstream\n" +
              data + "\nendstream");
}

std::string IncrementalUpdate::finish() {
  std::string out;
  if (!original_.empty() && original_.back() != '\n' && original_.back() != '\r') out += '\n';
  const size_t base = original_.size();
  auto write_object = [&](QPDFObjGen id, const std::string& body) {
    offsets_[id] = base + out.size();
    out += std::to_string(id.getObj()) + " " + std::to_string(id.getGen()) + " obj\n" + body +
           "\nendobj\n";
  };
  for (const auto& [id, body] : objects_) write_object(id, body);

  // Runs of consecutive object numbers: the subsections of a table, the /Index of a stream.
  std::map<QPDFObjGen, size_t> entries = offsets_;
  QPDFObjGen xref_id;
  if (xref_stream_) {
    xref_id = new_object();
    entries[xref_id] = base + out.size();
  }
  std::vector<std::pair<int, int>> runs;
  for (const auto& [id, offset] : entries) {
    if (!runs.empty() && runs.back().first + runs.back().second == id.getObj())
      ++runs.back().second;
    else
      runs.push_back({id.getObj(), 1});
  }
  const std::string size = std::to_string(next_number_);
  const std::string prev = std::to_string(prev_);
  size_t startxref = base + out.size();
  if (!xref_stream_) {
    out += "xref\n";
    auto it = entries.begin();
    for (const auto& [first, count] : runs) {
      out += std::to_string(first) + " " + std::to_string(count) + "\n";
      for (int i = 0; i < count; ++i, ++it) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu %05d n \n", it->second, it->first.getGen());
        out += line;
      }
    }
    out += "trailer\n<< /Size " + size + " " + trailer_entries_ + " /Prev " + prev + " >>\n";
  } else {
    const int width = startxref > 0xffffffffULL ? 8 : 4;
    std::string data, index;
    for (const auto& [id, offset] : entries) {
      put_be(data, 1, 1);
      put_be(data, offset, width);
      put_be(data, static_cast<uint64_t>(id.getGen()), 2);
    }
    for (const auto& [first, count] : runs)
      index += std::to_string(first) + " " + std::to_string(count) + " ";
    index.pop_back();
    offsets_[xref_id] = startxref;
    out += std::to_string(xref_id.getObj()) + " 0 obj\n<< /Type /XRef /Size " + size + " /W [1 " +
           std::to_string(width) + " 2] /Index [" + index + "] " + trailer_entries_ + " /Prev " +
           prev + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
           "\nendstream\nendobj\n";
  }
  out += "startxref\n" + std::to_string(startxref) + "\n%%EOF\n";
  return out;
}

size_t IncrementalUpdate::offset_of(QPDFObjGen id) const {
  return offsets_.at(id);
}

}  // namespace paperd::engines::sign
