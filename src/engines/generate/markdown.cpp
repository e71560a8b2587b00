// cmark-gfm's parser with the core extensions attached; every node tree is freed by RAII.
#include "engines/generate/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <memory>
#include <mutex>

#include "core/error.h"

namespace paperd::engines::generate {

namespace {

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// Registration fills a process-wide registry; it must happen once, before any parser exists.
void ensure_extensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

}  // namespace

std::string markdown_to_html(std::string_view markdown) {
  ensure_extensions();
  // CMARK_OPT_DEFAULT is safe: raw HTML and javascript: links are dropped, not rendered.
  const int options =
      CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_FOOTNOTES;
  std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(options));
  if (!parser) throw core::Error::internal("cmark-gfm: cannot create a parser");
  for (const char* name : kExtensions) {
    cmark_syntax_extension* ext = cmark_find_syntax_extension(name);
    if (!ext) throw core::Error::internal(std::string("cmark-gfm: no '") + name + "' extension");
    cmark_parser_attach_syntax_extension(parser.get(), ext);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeFree> doc(cmark_parser_finish(parser.get()));
  if (!doc) throw core::Error::internal("cmark-gfm: cannot parse the Markdown");
  char* html =
      cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  if (!html) throw core::Error::internal("cmark-gfm: cannot render the Markdown");
  std::string out(html);
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace paperd::engines::generate
