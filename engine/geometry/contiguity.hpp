#pragma once
// Which areas neighbour which: the spatial weights behind Local Moran's I and Gi*, and
// behind merging adjacent flagged areas into one pocket.
//
// Published generalised boundaries (ONS "generalised", the London Datastore files) do
// not share exact vertices between neighbours and overlap or gap by float noise, so
// exact-vertex queen contiguity finds nearly every LSOA an island there. The default is
// therefore tolerance ("fuzzy") contiguity: two areas neighbour when they come within
// `tolerance_m` of each other (GEOS prepared distance-within, on R-tree candidates), as
// libpysal's fuzzy_contiguity does with a buffer. Exact queen (a shared vertex) and rook
// (a shared edge) are available for topologically clean data.

#include <cstdint>
#include <string>
#include <vector>

#include <ogr_geometry.h>

namespace hearth {

enum class ContiguityRule { Tolerance, Queen, Rook };

/// "tolerance", "queen" or "rook"; std::invalid_argument otherwise.
ContiguityRule parse_contiguity_rule(const std::string& text);

/// Binary, symmetric neighbour lists (sorted; no self).
struct SpatialWeights {
    std::vector<std::vector<std::uint32_t>> neighbours;
    std::size_t size() const { return neighbours.size(); }
    std::vector<std::uint32_t> islands() const;
};

SpatialWeights contiguity_weights(const std::vector<const OGRGeometry*>& areas, ContiguityRule rule,
                                  double tolerance_m, unsigned workers);

}  // namespace hearth
