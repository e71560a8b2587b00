#include "engines/inspect/ole_properties.h"

#include <gsf/gsf-doc-meta-data.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-meta-names.h>
#include <gsf/gsf-msole-utils.h>
#include <gsf/gsf-timestamp.h>
#include <gsf/gsf-utils.h>

#include <memory>
#include <mutex>

#include "core/error.h"

namespace paperd::engines::inspect {
namespace {

struct Unref {
  void operator()(gpointer p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, Unref>;

struct ErrorFree {
  void operator()(GError* e) const {
    if (e) g_error_free(e);
  }
};

std::string string_of(const GValue* v) {
  if (!v) return "";
  if (G_VALUE_HOLDS_STRING(v)) return g_value_get_string(v) ? g_value_get_string(v) : "";
  if (G_VALUE_HOLDS(v, GSF_TIMESTAMP_TYPE)) {
    auto* ts = static_cast<GsfTimestamp*>(g_value_get_boxed(v));
    if (!ts) return "";
    std::unique_ptr<char, decltype(&g_free)> s(gsf_timestamp_as_string(ts), g_free);
    return s ? s.get() : "";
  }
  return "";
}

int int_of(const GValue* v) {
  if (!v) return 0;
  if (G_VALUE_HOLDS_INT(v)) return g_value_get_int(v);
  if (G_VALUE_HOLDS_UINT(v)) return static_cast<int>(g_value_get_uint(v));
  return 0;
}

const GValue* lookup(GsfDocMetaData* meta, const char* name) {
  GsfDocProp* prop = gsf_doc_meta_data_lookup(meta, name);
  return prop ? gsf_doc_prop_get_val(prop) : nullptr;
}

}  // namespace

OleProperties read_ole_properties(const std::filesystem::path& file) {
  static std::once_flag init;
  std::call_once(init, [] { gsf_init(); });
  GError* raw = nullptr;
  GPtr<GsfInput> input(gsf_input_stdio_new(file.c_str(), &raw));
  std::unique_ptr<GError, ErrorFree> err(raw);
  if (!input)
    throw core::Error(400, "INVALID_DOCUMENT",
                      std::string("cannot open the file: ") + (err ? err->message : "unknown"));
  raw = nullptr;
  GPtr<GsfInfile> ole(gsf_infile_msole_new(input.get(), &raw));
  err.reset(raw);
  if (!ole)
    throw core::Error(
        400, "INVALID_DOCUMENT",
        std::string("not a readable OLE compound file: ") + (err ? err->message : "unknown"));
  GPtr<GsfDocMetaData> meta(gsf_doc_meta_data_new());
  for (const char* stream : {"\005SummaryInformation", "\005DocumentSummaryInformation"}) {
    GPtr<GsfInput> child(gsf_infile_child_by_name(ole.get(), stream));
    if (!child) continue;
    std::unique_ptr<GError, ErrorFree> e(
        gsf_doc_meta_data_read_from_msole(meta.get(), child.get()));
    // A damaged property set leaves what was read before it; the document itself is kept.
  }
  OleProperties out;
  out.pages = int_of(lookup(meta.get(), GSF_META_NAME_PAGE_COUNT));
  out.slides = int_of(lookup(meta.get(), GSF_META_NAME_SLIDE_COUNT));
  for (auto [name, key] : {std::pair{GSF_META_NAME_TITLE, "title"},
                           {GSF_META_NAME_CREATOR, "author"},
                           {GSF_META_NAME_SUBJECT, "subject"},
                           {GSF_META_NAME_KEYWORDS, "keywords"},
                           {GSF_META_NAME_GENERATOR, "producer"},
                           {GSF_META_NAME_DATE_CREATED, "creation_date"},
                           {GSF_META_NAME_DATE_MODIFIED, "mod_date"}})
    if (std::string v = string_of(lookup(meta.get(), name)); !v.empty()) out.metadata[key] = v;
  return out;
}

}  // namespace paperd::engines::inspect
