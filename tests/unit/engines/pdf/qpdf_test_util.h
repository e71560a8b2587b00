// Helpers for the qpdf/Ghostscript engine tests: PDFs with known text per page (the shared
// pdf_text_fixture.h), outlines added with the plain qpdf API (independent of the code under
// test), and the command-line tools that check results (qpdf, pdftotext, pdfinfo).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/subprocess.h"
#include "pdf_text_fixture.h"

namespace paperd::qpdf_test {

namespace fs = std::filesystem;
using paperd::Json;

// A fresh temp directory per test.
class TempFolder {
 public:
  TempFolder() : dir_(fs::temp_directory_path(), "paperd-qpdf-test-") {}
  fs::path operator/(const std::string& name) const { return dir_.path() / name; }
  const fs::path& path() const { return dir_.path(); }

 private:
  core::TempDir dir_;
};

// One page per text; each page shows its text near the top.
inline fs::path text_pdf(const fs::path& file, const std::vector<std::string>& texts) {
  std::vector<fixtures::FixturePage> pages;
  for (const auto& t : texts) pages.push_back(fixtures::FixturePage::lines({t}));
  fixtures::write_file(file, fixtures::make_text_pdf(pages));
  return file;
}

struct Bookmark {
  std::string title;
  int page = 0;  // 0-based
  std::vector<Bookmark> kids;
};

namespace detail {
inline QPDFObjectHandle add_items(QPDF& q, QPDFObjectHandle parent,
                                  const std::vector<Bookmark>& marks) {
  QPDFObjectHandle prev;
  for (const auto& m : marks) {
    auto item = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
    item.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(m.title));
    item.replaceKey("/Parent", parent);
    item.replaceKey("/Dest", QPDFObjectHandle::newArray(
                                 {q.getAllPages().at(m.page), QPDFObjectHandle::newName("/Fit")}));
    if (!prev.isInitialized()) {
      parent.replaceKey("/First", item);
    } else {
      prev.replaceKey("/Next", item);
      item.replaceKey("/Prev", prev);
    }
    prev = item;
    if (!m.kids.empty()) {
      add_items(q, item, m.kids);
      item.replaceKey("/Count", QPDFObjectHandle::newInteger(static_cast<int>(m.kids.size())));
    }
  }
  if (prev.isInitialized()) parent.replaceKey("/Last", prev);
  parent.replaceKey("/Count", QPDFObjectHandle::newInteger(static_cast<int>(marks.size())));
  return parent;
}
}  // namespace detail

// Rewrites file with an outline (written by hand with the qpdf API).
inline void add_outline(const fs::path& file, const std::vector<Bookmark>& marks) {
  QPDF q;
  q.processFile(file.c_str());
  auto outlines = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
  outlines.replaceKey("/Type", QPDFObjectHandle::newName("/Outlines"));
  detail::add_items(q, outlines, marks);
  q.getRoot().replaceKey("/Outlines", outlines);
  fs::path tmp = file.string() + ".tmp";
  {
    QPDFWriter w(q, tmp.c_str());
    w.write();
  }
  fs::rename(tmp, file);
}

struct ToolResult {
  int exit_code = -1;
  std::string out, err;
};

inline ToolResult tool(std::vector<std::string> argv) {
  core::ProcessOptions o;
  o.argv = std::move(argv);
  o.timeout_ms = 60000;
  o.max_output = 64 << 20;
  auto r = core::run_process(o);
  return {r.exit_code, r.out, r.err};
}

// Encrypts in into out with qpdf's own AES-256 (extra: permission flags such as --print=none).
inline void qpdf_encrypt(const fs::path& in, const fs::path& out, const std::string& user,
                         const std::string& owner, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{"qpdf", "--encrypt", user, owner, "256"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), {"--", in.string(), out.string()});
  ToolResult r = tool(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// `qpdf --check` exits 0 and reports no errors.
inline ::testing::AssertionResult qpdf_check(const fs::path& file) {
  ToolResult r = tool({"qpdf", "--check", file.string()});
  if (r.exit_code == 0 && r.out.find("No syntax or stream encoding errors") != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "qpdf --check " << file << " exit " << r.exit_code << ": " << r.out << r.err;
}

inline int npages(const fs::path& file, const std::string& password = "") {
  std::vector<std::string> argv{"qpdf", "--show-npages", file.string()};
  if (!password.empty()) argv.insert(argv.begin() + 1, "--password=" + password);
  ToolResult r = tool(argv);
  return r.exit_code == 0 ? std::stoi(r.out) : -1;
}

inline Json qpdf_json(const fs::path& file, const std::string& key) {
  ToolResult r = tool({"qpdf", "--json=2", "--json-key=" + key, file.string()});
  return Json::parse(r.out, nullptr, false);
}

// The text of each page (pdftotext, form feeds split pages), trimmed.
inline std::vector<std::string> page_texts(const fs::path& file) {
  ToolResult r = tool({"pdftotext", "-layout", file.string(), "-"});
  std::vector<std::string> pages;
  std::string cur;
  auto push = [&] {
    size_t b = cur.find_first_not_of(" \n\r\t"), e = cur.find_last_not_of(" \n\r\t");
    pages.push_back(b == std::string::npos ? "" : cur.substr(b, e - b + 1));
    cur.clear();
  };
  for (char c : r.out) {
    if (c == '\f')
      push();
    else
      cur += c;
  }
  if (!cur.empty() && cur.find_first_not_of(" \n") != std::string::npos) push();
  return pages;
}

// Field "Title", "Author", ... of pdfinfo.
inline std::string pdfinfo_field(const fs::path& file, const std::string& field) {
  ToolResult r = tool({"pdfinfo", "-isodates", file.string()});
  size_t at = r.out.find("\n" + field + ":");
  if (at == std::string::npos && r.out.rfind(field + ":", 0) == 0)
    at = 0;
  else if (at != std::string::npos)
    ++at;
  if (at == std::string::npos) return "";
  size_t colon = r.out.find(':', at);
  size_t end = r.out.find('\n', colon);
  std::string v = r.out.substr(colon + 1, end - colon - 1);
  size_t b = v.find_first_not_of(' ');
  return b == std::string::npos ? "" : v.substr(b);
}

// Expects a core::Error with this status and code whose message contains `mentions`.
template <typename F>
::testing::AssertionResult throws_error(F&& f, int status, const std::string& code,
                                        const std::string& mentions = "") {
  try {
    f();
  } catch (const core::Error& e) {
    if (e.status() == status && e.code() == code &&
        std::string(e.what()).find(mentions) != std::string::npos)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "got " << e.status() << " " << e.code() << ": " << e.what();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "got std::exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "no exception";
}

}  // namespace paperd::qpdf_test
