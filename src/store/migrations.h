// Versioned schema migrations, one list per SQL dialect. A migration is applied once, inside a
// transaction, and recorded in schema_migrations; several processes may race to apply them.
#pragma once

#include <string_view>

namespace paperd::store {

class Connection;
void apply_migrations(Connection& conn, std::string_view dialect);

}  // namespace paperd::store
