// The instruction-set paths of the vectorised kernels (philox_lanes, bit_pack): each keeps a
// table of its functions indexed by Isa and calls the entry of active_isa(), the best path of
// this processor unless a test forced another (every path computes the same integers).
#pragma once
#include <cstring>
#include <initializer_list>

namespace gossip {

enum class Isa : int { scalar = 0, avx2 = 1, avx512 = 2 };

inline const char* isa_name(Isa i) { return i == Isa::avx512 ? "avx512" : i == Isa::avx2 ? "avx2" : "scalar"; }

inline bool isa_supported(Isa i) {
  __builtin_cpu_init();
  if (i == Isa::avx512) return __builtin_cpu_supports("avx512f");
  if (i == Isa::avx2) return __builtin_cpu_supports("avx2");
  return true;
}

inline Isa best_isa() {
  for (Isa i : {Isa::avx512, Isa::avx2})
    if (isa_supported(i)) return i;
  return Isa::scalar;
}

// The path the vectorised kernels take (one for all of them).
inline Isa& active_isa() {
  static Isa isa = best_isa();
  return isa;
}

// The path named `name` ("scalar", "avx2", "avx512") into `out`; false when unknown or not here.
inline bool isa_from(const char* name, Isa& out) {
  for (Isa i : {Isa::scalar, Isa::avx2, Isa::avx512})
    if (std::strcmp(name, isa_name(i)) == 0 && isa_supported(i)) return out = i, true;
  return false;
}

// "avx512", "avx2" or "scalar": the path all vectorised kernels take now.
inline const char* active_isa_name() { return isa_name(active_isa()); }

// Makes every vectorised kernel take the path `name` (tests compare the paths); false, changing
// nothing, where the name is unknown or the processor lacks it.
inline bool force_isa(const char* name) { return isa_from(name, active_isa()); }

}  // namespace gossip
