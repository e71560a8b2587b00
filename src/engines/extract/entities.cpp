// find_entities: runs the recognisers by rank and resolves overlaps (README.md, "Overlaps").
#include "engines/extract/entities.h"

#include <algorithm>

#include "engines/extract/recognisers.h"

namespace paperd::engines::extract {

std::vector<Entity> find_entities(std::string_view text, const Options& options) {
  std::vector<Entity> all;
  detail::TakenSpans taken;
  // Structured entities never overlap one another: a candidate overlapping one of higher rank is
  // dropped (the digits of an IBAN are no phone number, a date's no amount).
  const auto keep = [&](std::vector<Entity> found) {
    std::vector<Entity> kept;
    for (Entity& e : found) {
      if (taken.overlaps(e.offset, e.offset + e.length)) continue;
      taken.add(e.offset, e.offset + e.length);
      kept.push_back(e);
      all.push_back(std::move(e));
    }
    return kept;
  };
  keep(detail::find_urls(text));
  keep(detail::find_emails(text));
  const std::vector<Entity> ibans = keep(detail::find_ibans(text));
  keep(detail::find_vat_ids(text));
  keep(detail::find_bics(text, ibans));
  keep(detail::find_dates(text, options));
  keep(detail::find_amounts(text));
  keep(detail::find_phones(text, options, taken));
  keep(detail::find_postcode_cities(text, taken));
  // Names may overlap the structured entities and each other's types.
  for (Entity& e : detail::find_names(text)) all.push_back(std::move(e));
  std::stable_sort(all.begin(), all.end(), [](const Entity& a, const Entity& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    return a.length > b.length;
  });
  return all;
}

}  // namespace paperd::engines::extract
