// Dense float32 vectors of semantic search: the dot product the exact search runs over every
// chunk (cosine, since every stored vector is L2-normalised), normalisation, and the float32
// BLOB encoding of the store. Pure functions, any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace paperd::engines::embed {

// Written as eight independent lanes, so GCC at -O2 keeps eight partial sums in one AVX (or two
// SSE) registers without -ffast-math reassociation.
float dot(const float* a, const float* b, size_t n);
inline float cosine_of_normalised(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() ? dot(a.data(), b.data(), a.size()) : 0.0f;
}
// Scales v to length 1; a zero vector stays zero.
void normalize(std::vector<float>& v);

// Little-endian float32, 4 bytes per element.
std::string to_blob(const std::vector<float>& v);
// Empty when the blob's size is not a multiple of 4.
std::vector<float> from_blob(std::string_view blob);

}  // namespace paperd::engines::embed
