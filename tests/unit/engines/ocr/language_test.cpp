// OCR languages: request values map to installed Tesseract models, unknown or missing ones are
// refused listing what is installed, and the word-list detector names the main language.
#include "engines/ocr/language.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace paperd::engines::ocr {
namespace {

const std::vector<std::string> kInstalled = {"deu", "eng", "fra", "ita", "nld", "por", "spa"};

TEST(OcrLanguage, MapsLocalesCodesAndNames) {
  EXPECT_EQ(resolve_languages("de_DE", kInstalled), "deu");
  EXPECT_EQ(resolve_languages("en_US", kInstalled), "eng");
  EXPECT_EQ(resolve_languages("fr-FR", kInstalled), "fra");
  EXPECT_EQ(resolve_languages("es_ES", kInstalled), "spa");
  EXPECT_EQ(resolve_languages("it_IT", kInstalled), "ita");
  EXPECT_EQ(resolve_languages("pt_PT", kInstalled), "por");
  EXPECT_EQ(resolve_languages("pt_BR", kInstalled), "por");
  EXPECT_EQ(resolve_languages("nl_NL", kInstalled), "nld");
  EXPECT_EQ(resolve_languages("deu", kInstalled), "deu");
  EXPECT_EQ(resolve_languages("German", kInstalled), "deu");
  EXPECT_EQ(resolve_languages("deu+eng", kInstalled), "deu+eng");
  EXPECT_EQ(resolve_languages("de,en,de", kInstalled), "deu+eng");
  EXPECT_EQ(resolve_languages("", kInstalled), "");
  EXPECT_EQ(resolve_languages("auto", kInstalled), "");
}

TEST(OcrLanguage, MissingLanguageListsInstalledOnes) {
  for (std::string bad : {"ja_JP", "xx", "deu+tha"}) {
    try {
      resolve_languages(bad, kInstalled);
      FAIL() << bad;
    } catch (const core::Error& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_EQ(e.code(), "INVALID_REQUEST");
      EXPECT_NE(std::string(e.what()).find("installed: deu, eng, fra, ita, nld, por, spa"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(OcrLanguage, InstalledModelsAreRead) {
  auto langs = installed_languages(default_tessdata_dir());
  for (std::string want : {"eng", "deu", "fra", "spa", "ita", "por", "nld"})
    EXPECT_NE(std::find(langs.begin(), langs.end(), want), langs.end()) << want;
  EXPECT_EQ(std::find(langs.begin(), langs.end(), "osd"), langs.end());
}

TEST(OcrLanguage, DetectsTheMainLanguage) {
  struct Case {
    const char* code;
    const char* text;
  } cases[] = {
      {"eng", "The invoice is due at the end of the month. Please pay the amount to our account."},
      {"deu",
       "Die Rechnung ist zum Monatsende fällig. Bitte überweisen Sie den Betrag auf unser "
       "Konto, vielen Dank für die Zusammenarbeit."},
      {"fra",
       "La facture est payable à la fin du mois. Nous vous remercions pour votre "
       "confiance et restons à votre disposition."},
      {"spa",
       "La factura vence al final del mes. Por favor pague el importe en nuestra cuenta, "
       "muchas gracias por su confianza."},
      {"ita",
       "La fattura scade alla fine del mese. Si prega di pagare l'importo sul nostro "
       "conto, grazie per la collaborazione."},
      {"por",
       "A fatura vence no final do mês. Por favor pague o valor na nossa conta, muito "
       "obrigado pela sua confiança."},
      {"nld",
       "De factuur moet aan het einde van de maand worden betaald. Wij danken u voor "
       "het vertrouwen in onze dienst."},
  };
  for (const auto& c : cases) {
    LanguageGuess g = detect_language(c.text, {});
    EXPECT_EQ(g.code, c.code) << c.text;
    EXPECT_GT(g.confidence, 0.4) << c.code;
  }
  EXPECT_EQ(detect_language("12345 67.89", {}).code, "");
  // Restricted to the requested set: the best of those, or nothing without evidence for them.
  EXPECT_EQ(detect_language(std::string(cases[0].text) + " " + cases[1].text, {"eng", "fra"}).code,
            "eng");
  EXPECT_EQ(detect_language(cases[1].text, {"ita+fra"}).code, "");
}

TEST(OcrLanguage, TwoLetterCodes) {
  EXPECT_EQ(iso639_1("deu"), "de");
  EXPECT_EQ(iso639_1("eng"), "en");
  EXPECT_EQ(iso639_1("nld"), "nl");
  EXPECT_EQ(iso639_1("frk"), "frk");
}

}  // namespace
}  // namespace paperd::engines::ocr
