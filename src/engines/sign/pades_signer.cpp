// sign_pdf: see pades_signer.h. The update is written by hand (IncrementalUpdate) rather than by
// MuPDF's signing code, which would set its own SubFilter and appearance; qpdf only reads.
#include "engines/sign/pades_signer.h"

#include <openssl/evp.h>

#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cmath>
#include <ctime>
#include <map>

#include "core/crypto.h"
#include "core/error.h"
#include "core/fs.h"
#include "engines/pdf/qpdf_document.h"
#include "engines/sign/cades_signature.h"
#include "engines/sign/incremental_update.h"
#include "engines/sign/openssl_handles.h"
#include "engines/sign/pdf_syntax.h"
#include "engines/sign/stamp_appearance.h"

namespace paperd::engines::sign {

namespace fs = std::filesystem;

namespace {

// Room for a time-stamped CMS besides the certificates: signed attributes, an RSA-4096 signature
// value and the SignedData framing take well under kCmsOverhead; the token with its TSA
// certificate and chain gets its own allowance. A CMS that does not fit is re-laid out once at
// its real size (the authority is asked again).
constexpr size_t kCmsOverhead = 2048;
constexpr size_t kTimestampAllowance = 12288;
constexpr size_t kEcdsaSlack = 16;
constexpr const char* kByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";
// Print + ReadOnly + Locked: stamps are part of the signed record, not editable annotations.
constexpr int kStampFlags = 4 | 64 | 128;
constexpr int kWidgetFlags = 4 | 128;  // Print + Locked

// The page's visible box in user space and its /Rotate (0, 90, 180, 270).
struct PageFrame {
  double x0 = 0, y0 = 0, x1 = 612, y1 = 792;
  int rotate = 0;
};

PageFrame frame_of(QPDFObjectHandle page) {
  QPDFPageObjectHelper helper(page);
  PageFrame f;
  QPDFObjectHandle box = helper.getCropBox(false, false);
  if (box.isRectangle()) {
    auto r = box.getArrayAsRectangle();
    f.x0 = std::min(r.llx, r.urx);
    f.x1 = std::max(r.llx, r.urx);
    f.y0 = std::min(r.lly, r.ury);
    f.y1 = std::max(r.lly, r.ury);
  }
  QPDFObjectHandle rotate = helper.getAttribute("/Rotate", false);
  if (rotate.isInteger()) f.rotate = ((rotate.getIntValueAsInt() % 360) + 360) % 360;
  if (f.rotate % 90 != 0) f.rotate = 0;
  return f;
}

// Where a stamp lands: its /Rect in user space, its upright size as displayed, and the form
// /Matrix that turns its appearance with the page's /Rotate so it reads upright on screen.
struct Placement {
  double llx = 0, lly = 0, urx = 0, ury = 0;
  double width = 0, height = 0;
  std::string matrix;
};

Placement place(const PageFrame& f, const Stamp& s) {
  const double w = f.x1 - f.x0, h = f.y1 - f.y0;
  const bool turned = f.rotate == 90 || f.rotate == 270;
  const double dw = turned ? h : w, dh = turned ? w : h;  // displayed page size
  const double u0 = s.x * dw, v0 = s.y * dh, u1 = (s.x + s.width) * dw, v1 = (s.y + s.height) * dh;
  // Displayed (u right, v down from the top-left) → user space.
  auto map = [&](double u, double v) -> std::pair<double, double> {
    switch (f.rotate) {
      case 90:
        return {f.x0 + v, f.y0 + u};
      case 180:
        return {f.x1 - u, f.y0 + v};
      case 270:
        return {f.x1 - v, f.y1 - u};
      default:
        return {f.x0 + u, f.y1 - v};
    }
  };
  auto [ax, ay] = map(u0, v0);
  auto [bx, by] = map(u1, v1);
  Placement p;
  p.llx = std::min(ax, bx);
  p.urx = std::max(ax, bx);
  p.lly = std::min(ay, by);
  p.ury = std::max(ay, by);
  p.width = u1 - u0;
  p.height = v1 - v0;
  switch (f.rotate) {
    case 90:
      p.matrix = "[0 1 -1 0 0 0]";
      break;
    case 180:
      p.matrix = "[-1 0 0 -1 0 0]";
      break;
    case 270:
      p.matrix = "[0 -1 1 0 0 0]";
      break;
    default:
      p.matrix = "[1 0 0 1 0 0]";
  }
  return p;
}

std::string rect_of(const Placement& p) {
  return "[" + pdf_number(p.llx) + " " + pdf_number(p.lly) + " " + pdf_number(p.urx) + " " +
         pdf_number(p.ury) + "]";
}

std::string ref(QPDFObjGen id) {
  return std::to_string(id.getObj()) + " " + std::to_string(id.getGen()) + " R";
}

// A dictionary's entries unparsed (indirect values stay references), minus `skip`.
std::string entries_except(QPDFObjectHandle dict, std::initializer_list<const char*> skip) {
  std::string out;
  for (const auto& key : dict.getKeys()) {
    bool skipped = false;
    for (const char* s : skip) skipped = skipped || key == s;
    if (skipped) continue;
    out += QPDFObjectHandle::newName(key).unparse() + " " + dict.getKey(key).unparse() + " ";
  }
  return out;
}

std::string items_of(QPDFObjectHandle array) {
  std::string out;
  if (!array.isArray()) return out;
  for (int i = 0; i < array.getArrayNItems(); ++i) out += array.getArrayItem(i).unparse() + " ";
  return out;
}

void check_stamp(const Stamp& s, int pages, const std::string& what) {
  auto finite = [](double v) { return std::isfinite(v); };
  if (s.page < 1 || s.page > pages)
    throw core::Error::invalid_request(what + " is on page " + std::to_string(s.page) +
                                       "; the document has " + std::to_string(pages));
  constexpr double kSlack = 1e-6;
  if (!finite(s.x) || !finite(s.y) || !finite(s.width) || !finite(s.height) || s.x < -kSlack ||
      s.y < -kSlack || s.width <= 0 || s.height <= 0 || s.x + s.width > 1 + kSlack ||
      s.y + s.height > 1 + kSlack)
    throw core::Error::invalid_request(
        what +
        " must lie inside the page: x, y, width, height are fractions 0..1 with a "
        "positive width and height");
  if (s.kind == Stamp::Kind::kImage && s.png.empty())
    throw core::Error::invalid_request(what + " is an image stamp without a PNG");
}

void check_field_name(QPDF& q, const std::string& name) {
  if (name.empty() || name.size() > 127 || name.find('.') != std::string::npos)
    throw core::Error::invalid_request(
        "the signature field name must be 1 to 127 bytes without '.' (got '" + name + "')");
  QPDFAcroFormDocumentHelper form(q);
  for (auto& field : form.getFormFields())
    if (field.getFullyQualifiedName() == name)
      throw core::Error::invalid_request("the document already has a field named '" + name + "'");
}

// A certifying signature that permits no changes (DocMDP /P 1) would be broken by any update.
void check_doc_mdp(QPDF& q) {
  QPDFObjectHandle mdp = q.getRoot().getKey("/Perms").getKey("/DocMDP");
  if (!mdp.isDictionary()) return;
  QPDFObjectHandle refs = mdp.getKey("/Reference");
  for (int i = 0; refs.isArray() && i < refs.getArrayNItems(); ++i) {
    QPDFObjectHandle p = refs.getArrayItem(i).getKey("/TransformParams").getKey("/P");
    if (p.isInteger() && p.getIntValue() == 1)
      throw core::Error::invalid_request(
          "the document is certified with 'no changes allowed': another signature would void "
          "its certification");
  }
}

// Objects every appearance of this revision shares.
struct SharedResources {
  std::optional<QPDFObjGen> font;
};

// Writes the appearance's form XObject (and its image) and returns the form.
QPDFObjGen write_appearance(IncrementalUpdate& up, const Appearance& a, const std::string& matrix,
                            SharedResources& shared) {
  std::string resources;
  if (a.uses_font) {
    if (!shared.font) {
      shared.font = up.new_object();
      up.put(*shared.font,
             "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    }
    resources += "/Font << /Helv " + ref(*shared.font) + " >> ";
  }
  if (a.image) {
    const StampImage& im = *a.image;
    const std::string size =
        "/Width " + std::to_string(im.width) + " /Height " + std::to_string(im.height);
    std::string smask;
    if (!im.alpha.empty()) {
      QPDFObjGen mask = up.new_object();
      up.put_stream(mask,
                    "/Type /XObject /Subtype /Image " + size +
                        " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                    flate(im.alpha));
      smask = " /SMask " + ref(mask);
    }
    QPDFObjGen image = up.new_object();
    up.put_stream(image,
                  "/Type /XObject /Subtype /Image " + size +
                      " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode" + smask,
                  flate(im.rgb));
    resources += "/XObject << /Im0 " + ref(image) + " >> ";
  }
  QPDFObjGen form = up.new_object();
  up.put_stream(form,
                "/Type /XObject /Subtype /Form /BBox [0 0 " + pdf_number(a.width) + " " +
                    pdf_number(a.height) + "] /Matrix " + matrix + " /Resources << " + resources +
                    ">> /Filter /FlateDecode",
                flate(a.content));
  return form;
}

std::string describe(const Stamp& s, const SignRequest& r) {
  switch (s.kind) {
    case Stamp::Kind::kImage:
      return "Signature of " + r.signer_name;
    case Stamp::Kind::kText:
      return s.text;
    case Stamp::Kind::kCheckbox:
      return s.checked ? "Checked" : "Not checked";
  }
  return "";
}

// SHA-256 of the output minus the /Contents hex string.
std::string range_digest(const std::string& out, size_t gap_begin, size_t gap_end) {
  OpensslPtr<EVP_MD_CTX, EVP_MD_CTX_free> md(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!md || EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(md.get(), out.data(), gap_begin) != 1 ||
      EVP_DigestUpdate(md.get(), out.data() + gap_end, out.size() - gap_end) != 1 ||
      EVP_DigestFinal_ex(md.get(), digest, &n) != 1)
    throw core::Error::internal("SHA-256 of the byte ranges: " + openssl_errors());
  return std::string(reinterpret_cast<char*>(digest), n);
}

// One attempt at laying out and signing with `reserve` bytes for the CMS. Returns false (and the
// CMS size in *needed) when the CMS came out larger.
bool sign_with_reserve(const std::string& original, pdf::QpdfDocument& doc,
                       const SigningIdentity& identity, const SignRequest& request,
                       int64_t signing_time, size_t reserve, std::string* output,
                       size_t* cms_size) {
  QPDF& q = doc.qpdf();
  const auto& pages = doc.pages();
  IncrementalUpdate up(original, q);
  SharedResources shared;
  HelveticaMetrics metrics;
  const std::string date = pdf_date(signing_time);
  std::map<QPDFObjGen, std::string> new_annots;  // page → refs added to its /Annots

  for (size_t i = 0; i < request.stamps.size(); ++i) {
    const Stamp& s = request.stamps[i];
    QPDFObjectHandle page = pages.at(static_cast<size_t>(s.page - 1));
    Placement p = place(frame_of(page), s);
    QPDFObjGen form =
        write_appearance(up, make_appearance(s, p.width, p.height, metrics), p.matrix, shared);
    QPDFObjGen annot = up.new_object();
    up.put(annot, "<< /Type /Annot /Subtype /Stamp /Rect " + rect_of(p) + " /F " +
                      std::to_string(kStampFlags) + " /P " + page.unparse() + " /NM " +
                      pdf_text_string(request.field_name + "-stamp-" + std::to_string(i + 1)) +
                      " /M " + pdf_literal(date) + " /T " + pdf_text_string(request.signer_name) +
                      " /Contents " + pdf_text_string(describe(s, request)) + " /AP << /N " +
                      ref(form) + " >> >>");
    new_annots[page.getObjGen()] += ref(annot) + " ";
  }

  // The signature value, with placeholders patched below.
  QPDFObjGen sig = up.new_object();
  std::string sig_dict = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached";
  sig_dict += " /ByteRange " + std::string(kByteRangePlaceholder);
  sig_dict += " /Contents <" + std::string(2 * reserve, '0') + ">";
  sig_dict += " /M " + pdf_literal(date);
  if (!request.signer_name.empty()) sig_dict += " /Name " + pdf_text_string(request.signer_name);
  if (!request.reason.empty()) sig_dict += " /Reason " + pdf_text_string(request.reason);
  if (!request.location.empty()) sig_dict += " /Location " + pdf_text_string(request.location);
  if (!request.signer_email.empty())
    sig_dict += " /ContactInfo " + pdf_text_string(request.signer_email);
  sig_dict += " /Prop_Build << /App << /Name /paperd >> /Filter << /Name /Adobe.PPKLite >> >> >>";
  up.put(sig, sig_dict);

  // The field and its widget in one dictionary.
  Stamp invisible;
  invisible.page = 1;
  const Stamp& w = request.widget ? *request.widget : invisible;
  QPDFObjectHandle widget_page = pages.at(static_cast<size_t>(w.page - 1));
  std::string rect = "[0 0 0 0]", ap;
  if (request.widget) {
    Placement p = place(frame_of(widget_page), w);
    rect = rect_of(p);
    QPDFObjGen form =
        write_appearance(up, make_appearance(w, p.width, p.height, metrics), p.matrix, shared);
    ap = " /AP << /N " + ref(form) + " >>";
  } else {
    QPDFObjGen form = up.new_object();
    up.put_stream(form, "/Type /XObject /Subtype /Form /BBox [0 0 0 0]", "");
    ap = " /AP << /N " + ref(form) + " >>";
  }
  QPDFObjGen field = up.new_object();
  up.put(field, "<< /Type /Annot /Subtype /Widget /FT /Sig /T " +
                    pdf_text_string(request.field_name) + " /V " + ref(sig) + " /F " +
                    std::to_string(kWidgetFlags) + " /Rect " + rect + " /P " +
                    widget_page.unparse() + ap + " >>");
  new_annots[widget_page.getObjGen()] += ref(field) + " ";

  // Pages: a shared indirect /Annots array is redefined, else the page itself.
  for (QPDFObjectHandle page : pages) {
    auto it = new_annots.find(page.getObjGen());
    if (it == new_annots.end()) continue;
    QPDFObjectHandle annots = page.getKey("/Annots");
    std::string array = "[" + items_of(annots) + it->second + "]";
    if (annots.isIndirect() && annots.isArray())
      up.put(annots.getObjGen(), array);
    else
      up.put(page.getObjGen(),
             "<< " + entries_except(page, {"/Annots"}) + "/Annots " + array + " >>");
  }

  // The AcroForm: the field added, SigFlags 3 (signatures exist, append only).
  QPDFObjectHandle root = q.getRoot();
  QPDFObjectHandle form = root.getKey("/AcroForm");
  std::string form_dict =
      "<< " +
      (form.isDictionary() ? entries_except(form, {"/Fields", "/SigFlags"}) : std::string()) +
      "/Fields [" + items_of(form.getKey("/Fields")) + ref(field) + "] /SigFlags 3 >>";
  if (form.isDictionary() && form.isIndirect()) {
    up.put(form.getObjGen(), form_dict);
  } else {
    QPDFObjGen id = up.new_object();
    up.put(id, form_dict);
    up.put(root.getObjGen(),
           "<< " + entries_except(root, {"/AcroForm"}) + "/AcroForm " + ref(id) + " >>");
  }

  std::string out = original + up.finish();
  const size_t sig_at = up.offset_of(sig);
  const size_t range_at = out.find("/ByteRange [", sig_at) + 11;
  const size_t gap_begin = out.find("/Contents <", sig_at) + 10;
  const size_t gap_end = gap_begin + 2 * reserve + 2;
  std::string ranges = "[0 " + std::to_string(gap_begin) + " " + std::to_string(gap_end) + " " +
                       std::to_string(out.size() - gap_end) + "]";
  ranges.resize(std::string_view(kByteRangePlaceholder).size(), ' ');
  out.replace(range_at, ranges.size(), ranges);

  const std::string cms = make_cades_signature(identity, range_digest(out, gap_begin, gap_end),
                                               signing_time, request.timestamp_authority);
  *cms_size = cms.size();
  if (cms.size() > reserve) return false;
  const std::string hex = core::hex(cms);
  out.replace(gap_begin + 1, hex.size(), hex);
  *output = std::move(out);
  return true;
}

}  // namespace

SignResult sign_pdf(const fs::path& in, const fs::path& out, const SigningIdentity& identity,
                    const SignRequest& request) {
  const std::string name = in.filename().string();
  std::string original;
  try {
    original = core::read_file(in);
  } catch (const core::Error&) {
    throw core::Error(400, "INVALID_PDF", "'" + name + "' cannot be read");
  }
  if (!has_pdf_header(original))
    throw core::Error(400, "INVALID_PDF", "'" + name + "' is not a PDF (no %PDF- header)");
  pdf::QpdfOpenOptions options;
  options.display_name = name;
  pdf::QpdfDocument doc = pdf::QpdfDocument::open_bytes(original, options);
  std::string output;
  size_t cms_size = 0, reserve = 0;
  try {
    QPDF& q = doc.qpdf();
    if (q.isEncrypted())
      throw core::Error::invalid_request("'" + name +
                                         "' is encrypted; remove its encryption before signing");
    check_doc_mdp(q);
    check_field_name(q, request.field_name);
    const int pages = doc.page_count();
    for (size_t i = 0; i < request.stamps.size(); ++i)
      check_stamp(request.stamps[i], pages, "stamp " + std::to_string(i + 1));
    if (request.widget) check_stamp(*request.widget, pages, "the signature widget");

    const int64_t signing_time =
        request.signing_time > 0 ? request.signing_time : static_cast<int64_t>(std::time(nullptr));
    if (request.timestamp_authority) {
      reserve = identity.certificate_der().size() + kCmsOverhead + kTimestampAllowance;
      for (const auto& der : identity.chain_der()) reserve += der.size();
    } else {
      // Without a time-stamp the CMS size is known up to the few bytes an ECDSA value varies
      // by: measure it on a dummy digest rather than reserve kilobytes of zeros per signature.
      reserve = make_cades_signature(identity, std::string(32, '\0'), signing_time, {}).size() +
                kEcdsaSlack;
    }
    if (!sign_with_reserve(original, doc, identity, request, signing_time, reserve, &output,
                           &cms_size)) {
      reserve = cms_size + 1024;
      if (!sign_with_reserve(original, doc, identity, request, signing_time, reserve, &output,
                             &cms_size))
        throw core::Error::internal("the CMS signature (" + std::to_string(cms_size) +
                                    " bytes) does not fit the " + std::to_string(reserve) +
                                    " bytes reserved for /Contents");
    }
  } catch (const core::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw core::Error(400, "INVALID_PDF", "'" + name + "' cannot be signed: " + e.what());
  }
  core::atomic_write_file(out, output);
  SignResult result;
  result.bytes_added = output.size() - original.size();
  result.cms_bytes = cms_size;
  result.reserved_bytes = reserve;
  result.sha256_before = core::hex(core::sha256(original));
  result.sha256_after = core::hex(core::sha256(output));
  return result;
}

}  // namespace paperd::engines::sign
