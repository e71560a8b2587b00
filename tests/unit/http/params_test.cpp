// Params: coercion of query/form strings to declared types, and apply_schema's checks (required,
// type, enum, range, defaults, file fields), each failing with a 400 that names the field.
#include "http/params.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace paperd::http {
namespace {

// Runs fn, expects a 400 INVALID_REQUEST and returns its message ("" if nothing was thrown).
std::string expect_invalid(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const core::Error& e) {
    EXPECT_EQ(e.status(), 400) << e.what();
    EXPECT_EQ(e.code(), "INVALID_REQUEST") << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no core::Error thrown";
  return "";
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

Param param(std::string name, ParamType type, bool required = false) {
  Param p;
  p.name = std::move(name);
  p.type = type;
  p.required = required;
  return p;
}

TEST(Coerce, BooleanFromStrings) {
  for (const char* s : {"true", "1", "yes", "on", "TRUE", "Yes"}) {
    auto v = coerce(Json(s), ParamType::kBoolean);
    ASSERT_TRUE(v) << s;
    EXPECT_EQ(*v, Json(true)) << s;
  }
  for (const char* s : {"false", "0", "no", "off", "False"}) {
    auto v = coerce(Json(s), ParamType::kBoolean);
    ASSERT_TRUE(v) << s;
    EXPECT_EQ(*v, Json(false)) << s;
  }
  for (const char* s : {"maybe", "2", "truee", "y"})
    EXPECT_FALSE(coerce(Json(s), ParamType::kBoolean)) << s;
}

TEST(Coerce, BooleanFromJsonValues) {
  EXPECT_EQ(*coerce(Json(true), ParamType::kBoolean), Json(true));
  EXPECT_EQ(*coerce(Json(1), ParamType::kBoolean), Json(true));
  EXPECT_EQ(*coerce(Json(0), ParamType::kBoolean), Json(false));
  EXPECT_FALSE(coerce(Json(2), ParamType::kBoolean));
  EXPECT_FALSE(coerce(Json::array(), ParamType::kBoolean));
}

TEST(Coerce, IntegerFromStringsAndNumbers) {
  auto v = coerce(Json("12"), ParamType::kInteger);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->is_number_integer());
  EXPECT_EQ(v->get<int64_t>(), 12);
  EXPECT_EQ(coerce(Json("-7"), ParamType::kInteger)->get<int64_t>(), -7);
  EXPECT_EQ(coerce(Json(3.0), ParamType::kInteger)->get<int64_t>(), 3);
  EXPECT_EQ(coerce(Json(42), ParamType::kInteger)->get<int64_t>(), 42);
  for (const char* s : {"1.5", "12abc", "", "abc", "99999999999999999999"})
    EXPECT_FALSE(coerce(Json(s), ParamType::kInteger)) << s;
  EXPECT_FALSE(coerce(Json(2.5), ParamType::kInteger));
  EXPECT_FALSE(coerce(Json(true), ParamType::kInteger));
}

TEST(Coerce, NumberFromStrings) {
  auto v = coerce(Json("1.5"), ParamType::kNumber);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->is_number());
  EXPECT_DOUBLE_EQ(v->get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(coerce(Json("-2e3"), ParamType::kNumber)->get<double>(), -2000.0);
  EXPECT_DOUBLE_EQ(coerce(Json(7), ParamType::kNumber)->get<double>(), 7.0);
  for (const char* s : {"1.5x", "", "nan", "inf", "abc"})
    EXPECT_FALSE(coerce(Json(s), ParamType::kNumber)) << s;
}

TEST(Coerce, StringFromScalars) {
  EXPECT_EQ(*coerce(Json("abc"), ParamType::kString), Json("abc"));
  EXPECT_EQ(*coerce(Json(12), ParamType::kString), Json("12"));
  EXPECT_EQ(*coerce(Json(true), ParamType::kString), Json("true"));
  EXPECT_FALSE(coerce(Json::object(), ParamType::kString));
  EXPECT_FALSE(coerce(Json::array({1}), ParamType::kString));
}

TEST(Coerce, ObjectAndArrayFromJsonStrings) {
  auto obj = coerce(Json(R"({"a":1,"b":[2]})"), ParamType::kObject);
  ASSERT_TRUE(obj);
  EXPECT_EQ(*obj, (Json{{"a", 1}, {"b", {2}}}));
  auto arr = coerce(Json("[1,\"x\",true]"), ParamType::kArray);
  ASSERT_TRUE(arr);
  EXPECT_EQ(*arr, Json::array({1, "x", true}));
  // Already-typed JSON passes through.
  EXPECT_EQ(*coerce(Json{{"k", "v"}}, ParamType::kObject), (Json{{"k", "v"}}));
  EXPECT_EQ(*coerce(Json::array({1, 2}), ParamType::kArray), Json::array({1, 2}));
  // Not an object.
  EXPECT_FALSE(coerce(Json("[1]"), ParamType::kObject));
  EXPECT_FALSE(coerce(Json("{not json"), ParamType::kObject));
  EXPECT_FALSE(coerce(Json(5), ParamType::kObject));
  // A lone value where an array is expected becomes a one-element array.
  EXPECT_EQ(*coerce(Json(5), ParamType::kArray), Json::array({5}));
  EXPECT_EQ(*coerce(Json("7"), ParamType::kArray), Json::array({"7"}));
}

TEST(Coerce, PlainStringBecomesOneElementArray) {
  auto v = coerce(Json("a.pdf"), ParamType::kArray);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, Json::array({"a.pdf"}));
  auto url = coerce(Json("https://example.com/a.pdf"), ParamType::kArray);
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, Json::array({"https://example.com/a.pdf"}));
  Params p;
  p.set("urls", "https://example.com/a.pdf");
  EXPECT_NO_THROW(p.apply_schema({param("urls", ParamType::kArray)}));
}

TEST(ApplySchema, CoercesDeclaredParametersInPlace) {
  Params p;
  p.set("ocr", "yes");
  p.set("pages", "12");
  p.set("scale", "1.5");
  p.set("options", R"({"dpi":300})");
  p.set("ranges", "[1,2,3]");
  p.apply_schema({param("ocr", ParamType::kBoolean), param("pages", ParamType::kInteger),
                  param("scale", ParamType::kNumber), param("options", ParamType::kObject),
                  param("ranges", ParamType::kArray)});
  EXPECT_EQ(p.raw()["ocr"], Json(true));
  EXPECT_TRUE(p.raw()["pages"].is_number_integer());
  EXPECT_EQ(p.raw()["pages"].get<int64_t>(), 12);
  EXPECT_DOUBLE_EQ(p.raw()["scale"].get<double>(), 1.5);
  EXPECT_EQ(p.raw()["options"], (Json{{"dpi", 300}}));
  EXPECT_EQ(p.raw()["ranges"], Json::array({1, 2, 3}));
  EXPECT_TRUE(p.boolean("ocr", false));
  EXPECT_EQ(p.integer("pages", 0), 12);
}

TEST(ApplySchema, MissingRequiredFieldNamesIt) {
  Params p;
  p.set("other", "x");
  std::string msg =
      expect_invalid([&] { p.apply_schema({param("document_url", ParamType::kString, true)}); });
  EXPECT_TRUE(contains(msg, "document_url")) << msg;
  EXPECT_TRUE(contains(msg, "required")) << msg;
}

TEST(ApplySchema, NullCountsAsMissing) {
  Params p;
  p.set("url", nullptr);
  std::string msg =
      expect_invalid([&] { p.apply_schema({param("url", ParamType::kString, true)}); });
  EXPECT_TRUE(contains(msg, "url")) << msg;
}

TEST(ApplySchema, WrongTypeNamesFieldAndType) {
  {
    Params p;
    p.set("pages", "twelve");
    std::string msg =
        expect_invalid([&] { p.apply_schema({param("pages", ParamType::kInteger)}); });
    EXPECT_TRUE(contains(msg, "'pages'")) << msg;
    EXPECT_TRUE(contains(msg, "integer")) << msg;
  }
  {
    Params p;
    p.set("flatten", "perhaps");
    std::string msg =
        expect_invalid([&] { p.apply_schema({param("flatten", ParamType::kBoolean)}); });
    EXPECT_TRUE(contains(msg, "'flatten'")) << msg;
    EXPECT_TRUE(contains(msg, "boolean")) << msg;
  }
  {
    Params p;
    p.set("metadata", "[1]");
    std::string msg =
        expect_invalid([&] { p.apply_schema({param("metadata", ParamType::kObject)}); });
    EXPECT_TRUE(contains(msg, "'metadata'")) << msg;
    EXPECT_TRUE(contains(msg, "object")) << msg;
  }
}

TEST(ApplySchema, FirstBadFieldIsNamed) {
  Params p;
  p.set("a", "1");
  p.set("b", "x");
  p.set("c", "y");
  std::string msg = expect_invalid([&] {
    p.apply_schema({param("a", ParamType::kInteger), param("b", ParamType::kInteger),
                    param("c", ParamType::kInteger)});
  });
  EXPECT_TRUE(contains(msg, "'b'")) << msg;
  EXPECT_FALSE(contains(msg, "'c'")) << msg;
}

TEST(ApplySchema, EnumViolationListsAllowedValues) {
  Param format = param("format", ParamType::kString);
  format.enum_values = {"pdf", "png", "jpeg"};
  Params p;
  p.set("format", "gif");
  std::string msg = expect_invalid([&] { p.apply_schema({format}); });
  EXPECT_TRUE(contains(msg, "'format'")) << msg;
  for (const char* v : {"pdf", "png", "jpeg"}) EXPECT_TRUE(contains(msg, v)) << msg;

  Params ok;
  ok.set("format", "png");
  EXPECT_NO_THROW(ok.apply_schema({format}));
  EXPECT_EQ(ok.str("format"), "png");
}

TEST(ApplySchema, EnumOfIntegersComparesCoercedValue) {
  Param dpi = param("dpi", ParamType::kInteger);
  dpi.enum_values = {"72", "150", "300"};
  Params ok;
  ok.set("dpi", "150");
  EXPECT_NO_THROW(ok.apply_schema({dpi}));
  EXPECT_EQ(ok.raw()["dpi"], Json(150));
  Params bad;
  bad.set("dpi", 96);
  std::string msg = expect_invalid([&] { bad.apply_schema({dpi}); });
  EXPECT_TRUE(contains(msg, "72, 150, 300")) << msg;
}

TEST(ApplySchema, MinimumAndMaximumAreInclusive) {
  Param q = param("quality", ParamType::kInteger);
  q.minimum = 1;
  q.maximum = 100;
  for (const char* v : {"1", "50", "100"}) {
    Params p;
    p.set("quality", v);
    EXPECT_NO_THROW(p.apply_schema({q})) << v;
  }
  for (const char* v : {"0", "101", "-5"}) {
    Params p;
    p.set("quality", v);
    std::string msg = expect_invalid([&] { p.apply_schema({q}); });
    EXPECT_TRUE(contains(msg, "'quality'")) << v << ": " << msg;
    EXPECT_TRUE(contains(msg, "1")) << msg;
    EXPECT_TRUE(contains(msg, "100")) << msg;
  }
}

TEST(ApplySchema, MinimumAloneOnANumber) {
  Param s = param("scale", ParamType::kNumber);
  s.minimum = 0;
  Params ok;
  ok.set("scale", "0.25");
  EXPECT_NO_THROW(ok.apply_schema({s}));
  Params bad;
  bad.set("scale", "-0.5");
  std::string msg = expect_invalid([&] { bad.apply_schema({s}); });
  EXPECT_TRUE(contains(msg, "'scale'")) << msg;
}

TEST(ApplySchema, DefaultsFillOnlyMissingFields) {
  Param dpi = param("dpi", ParamType::kInteger);
  dpi.default_value = 300;
  Param lang = param("language", ParamType::kString);
  lang.default_value = "eng";
  Param none = param("password", ParamType::kString);  // no default: stays absent
  Params p;
  p.set("language", "deu");
  p.apply_schema({dpi, lang, none});
  EXPECT_EQ(p.raw()["dpi"], Json(300));
  EXPECT_EQ(p.integer("dpi", 0), 300);
  EXPECT_EQ(p.str("language"), "deu");
  EXPECT_FALSE(p.has("password"));
}

TEST(ApplySchema, RequiredFileSatisfiedOnlyByFileFields) {
  std::vector<Param> schema = {param("file", ParamType::kFile, true)};
  {
    Params p;
    std::string msg = expect_invalid([&] { p.apply_schema(schema); });
    EXPECT_TRUE(contains(msg, "'file'")) << msg;
  }
  {
    // A plain text field of the same name is not an upload.
    Params p;
    p.set("file", "contents.pdf");
    std::string msg = expect_invalid([&] { p.apply_schema(schema, {}); });
    EXPECT_TRUE(contains(msg, "'file'")) << msg;
  }
  {
    Params p;
    std::string msg = expect_invalid([&] { p.apply_schema(schema, {"files", "file_1"}); });
    EXPECT_TRUE(contains(msg, "'file'")) << msg;
  }
  Params p;
  EXPECT_NO_THROW(p.apply_schema(schema, {"file"}));
}

TEST(ApplySchema, OptionalFileMayBeAbsent) {
  Params p;
  EXPECT_NO_THROW(p.apply_schema({param("watermark", ParamType::kFile)}));
}

TEST(ParamsAccessors, NameTheFieldOnBadValues) {
  Params p;
  p.set("n", "abc");
  p.set("b", "maybe");
  p.set("o", Json::object());
  EXPECT_TRUE(contains(expect_invalid([&] { p.integer("n", 0); }), "'n'"));
  EXPECT_TRUE(contains(expect_invalid([&] { p.number("n", 0); }), "'n'"));
  EXPECT_TRUE(contains(expect_invalid([&] { p.boolean("b", false); }), "'b'"));
  EXPECT_TRUE(contains(expect_invalid([&] { p.str("o"); }), "'o'"));
  EXPECT_TRUE(contains(expect_invalid([&] { p.require_str("missing"); }), "'missing'"));
  p.set("empty", "");
  EXPECT_TRUE(contains(expect_invalid([&] { p.require_str("empty"); }), "'empty'"));
  EXPECT_EQ(p.integer("absent", 7), 7);
  EXPECT_EQ(p.str("absent", "dflt"), "dflt");
  EXPECT_FALSE(p.opt_integer("absent"));
}

}  // namespace
}  // namespace paperd::http
