#pragma once
// Area-weighted areal interpolation (Tobler 1979; as in PySAL tobler's
// area_interpolate), from source zones i to target zones j with overlap areas a_ij:
//
//   extensive (counts: population, homes)   v_j = Σ_i v_i · a_ij / a_i
//   intensive (rates, scores, densities)     v_j = Σ_i v_i · a_ij / Σ_k a_kj
//
// With a population weight p_i (e.g. interpolating a rate to wards weighted by where
// people live), the intensive form becomes v_j = Σ_i v_i p_i a_ij/a_i / Σ_k p_k a_kj/a_k.
// Null source values are left out of both sums (so they neither add nor dilute);
// a target no source value reaches gets null.

#include <optional>
#include <string>
#include <vector>

#include "hearth/geometry/area_overlay.hpp"

namespace hearth {

enum class Quantity { Extensive, Intensive };

struct InterpolatedVariable {
    std::vector<std::optional<double>> source;  ///< v_i, nullopt for null
    Quantity quantity;
};

/// v_j for one variable given the overlay of sources (a) onto targets (b).
/// `population` (optional, per source) weights intensive variables.
std::vector<std::optional<double>> interpolate(const OverlayResult& overlay, const InterpolatedVariable& variable,
                                               std::size_t target_count,
                                               const std::vector<std::optional<double>>* population = nullptr);

}  // namespace hearth
