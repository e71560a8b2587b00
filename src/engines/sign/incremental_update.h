// Writes one incremental update after a PDF's bytes: objects (new or redefined with their old
// number), then a cross-reference section in the style of the file's last one (classic table or
// xref stream) chained with /Prev, and a trailer keeping /Root, /Info and the first /ID.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjGen.hh>

namespace paperd::engines::sign {

class IncrementalUpdate {
 public:
  // original: the whole file; doc: the same bytes parsed by qpdf. 400 INVALID_PDF when the last
  // startxref does not point at a cross-reference section (a file qpdf had to repair: an update
  // chained to it would not be readable as written).
  IncrementalUpdate(const std::string& original, QPDF& doc);

  QPDFObjGen new_object();
  // body: the object's value ("<< ... >>", "[...]"), written as "n g obj body endobj".
  void put(QPDFObjGen id, std::string body);
  // A stream: dict_entries without << >> and /Length (added here), data as given.
  void put_stream(QPDFObjGen id, const std::string& dict_entries, const std::string& data);

  // The bytes to append to the original (starting with an end-of-line when it has none).
  std::string finish();
  // Offset of an object's "n g obj" in the output (original + update), after finish().
  size_t offset_of(QPDFObjGen id) const;

 private:
  std::string_view original_;
  std::string trailer_entries_;  // /Root, /Info, /ID
  size_t prev_ = 0;
  bool xref_stream_ = false;
  int next_number_ = 1;
  std::map<QPDFObjGen, std::string> objects_;
  std::map<QPDFObjGen, size_t> offsets_;
};

}  // namespace paperd::engines::sign
