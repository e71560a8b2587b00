// Binary Office files (OLE compound files) written here with libgsf itself: a Word file whose
// SummaryInformation says 3 pages, a PowerPoint file whose DocumentSummaryInformation says 5
// slides; the inspector reads those counts and the metadata back, and a damaged file is refused
// with an error instead of taking the reader down.
#include <gsf/gsf-doc-meta-data.h>
#include <gsf/gsf-meta-names.h>
#include <gsf/gsf-msole-utils.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "engines/inspect/document_inspector.h"

namespace fs = std::filesystem;
using paperd::engines::inspect::inspect_file;

namespace {

void put_int(GsfDocMetaData* meta, const char* name, int v) {
  GValue* value = g_new0(GValue, 1);
  g_value_init(value, G_TYPE_INT);
  g_value_set_int(value, v);
  gsf_doc_meta_data_insert(meta, g_strdup(name), value);
}

void put_string(GsfDocMetaData* meta, const char* name, const char* v) {
  GValue* value = g_new0(GValue, 1);
  g_value_init(value, G_TYPE_STRING);
  g_value_set_string(value, v);
  gsf_doc_meta_data_insert(meta, g_strdup(name), value);
}

void write_stream(GsfOutfile* ole, const char* name, const std::string& bytes) {
  GsfOutput* s = gsf_outfile_new_child(ole, name, FALSE);
  gsf_output_write(s, bytes.size(), reinterpret_cast<const guint8*>(bytes.data()));
  gsf_output_close(s);
  g_object_unref(s);
}

void write_props(GsfOutfile* ole, const char* name, GsfDocMetaData* meta, bool document_summary) {
  GsfOutput* s = gsf_outfile_new_child(ole, name, FALSE);
  ASSERT_TRUE(gsf_doc_meta_data_write_to_msole(meta, s, document_summary));
  gsf_output_close(s);
  g_object_unref(s);
}

// An OLE file with one content stream and both property sets.
void write_ole(const fs::path& path, const char* content_stream, GsfDocMetaData* meta) {
  gsf_init();
  GError* err = nullptr;
  GsfOutput* out = gsf_output_stdio_new(path.c_str(), &err);
  ASSERT_NE(out, nullptr);
  GsfOutfile* ole = gsf_outfile_msole_new(out);
  write_stream(ole, content_stream, std::string(4096, '\x01'));
  write_props(ole, "\005SummaryInformation", meta, false);
  write_props(ole, "\005DocumentSummaryInformation", meta, true);
  gsf_output_close(GSF_OUTPUT(ole));
  g_object_unref(ole);
  g_object_unref(out);
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("paperd-ole-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST(OleProperties, WordPageCountAndMetadata) {
  TempDir dir;
  GsfDocMetaData* meta = gsf_doc_meta_data_new();
  put_int(meta, GSF_META_NAME_PAGE_COUNT, 3);
  put_string(meta, GSF_META_NAME_TITLE, "Quarterly report");
  put_string(meta, GSF_META_NAME_CREATOR, "Ada Lovelace");
  write_ole(dir.path / "report.bin", "WordDocument", meta);
  g_object_unref(meta);

  auto in = inspect_file(dir.path / "report.bin", "report.bin");
  EXPECT_EQ(in.type.extension, "doc");  // from the bytes, not the name
  EXPECT_EQ(in.pages, 3);
  EXPECT_EQ(in.metadata.value("title", ""), "Quarterly report");
  EXPECT_EQ(in.metadata.value("author", ""), "Ada Lovelace");
}

TEST(OleProperties, PowerPointSlideCount) {
  TempDir dir;
  GsfDocMetaData* meta = gsf_doc_meta_data_new();
  put_int(meta, GSF_META_NAME_SLIDE_COUNT, 5);
  write_ole(dir.path / "deck.ppt", "PowerPoint Document", meta);
  g_object_unref(meta);
  auto in = inspect_file(dir.path / "deck.ppt", "deck.ppt");
  EXPECT_EQ(in.type.extension, "ppt");
  EXPECT_EQ(in.pages, 5);
}

TEST(OleProperties, DamagedCompoundFileIsRefused) {
  TempDir dir;
  std::string bytes = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
  bytes += std::string("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24);
  bytes += std::string(600, '\xff');
  std::ofstream(dir.path / "broken.doc", std::ios::binary) << bytes;
  try {
    inspect_file(dir.path / "broken.doc", "broken.doc");
    FAIL() << "a damaged compound file was accepted";
  } catch (const paperd::core::Error& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "INVALID_DOCUMENT");
  }
}
