#include "hearth/geometry/contiguity.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

#include "hearth/geometry/geos_context.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/geometry/spatial_index.hpp"

namespace hearth {

ContiguityRule parse_contiguity_rule(const std::string& text) {
    if (text == "tolerance" || text == "fuzzy") return ContiguityRule::Tolerance;
    if (text == "queen") return ContiguityRule::Queen;
    if (text == "rook") return ContiguityRule::Rook;
    throw std::invalid_argument("contiguity '" + text + "' is not one of tolerance, queen, rook");
}

std::vector<std::uint32_t> SpatialWeights::islands() const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < neighbours.size(); ++i)
        if (neighbours[i].empty()) out.push_back(i);
    return out;
}

namespace {

using Vertex = std::pair<double, double>;

template <typename Visit>
void for_each_ring(const OGRGeometry* g, Visit visit) {
    if (!g) return;
    auto polygon = [&](const OGRPolygon* p) {
        for (const auto* ring : *p) visit(*ring);
    };
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPolygon: polygon(g->toPolygon()); break;
        case wkbMultiPolygon:
            for (const auto* p : *g->toMultiPolygon()) polygon(p);
            break;
        default: break;
    }
}

/// Areas sharing a vertex (queen) or an edge (rook), exactly.
SpatialWeights exact_weights(const std::vector<const OGRGeometry*>& areas, bool rook) {
    std::map<std::pair<Vertex, Vertex>, std::vector<std::uint32_t>> owners;
    for (std::uint32_t a = 0; a < areas.size(); ++a) {
        for_each_ring(areas[a], [&](const OGRLinearRing& ring) {
            const int n = ring.getNumPoints();
            for (int k = 0; k < n; ++k) {
                const Vertex v{ring.getX(k), ring.getY(k)};
                if (!rook) {
                    owners[{v, v}].push_back(a);
                } else if (k + 1 < n) {
                    Vertex w{ring.getX(k + 1), ring.getY(k + 1)};
                    owners[{std::min(v, w), std::max(v, w)}].push_back(a);
                }
            }
        });
    }
    SpatialWeights w;
    w.neighbours.resize(areas.size());
    for (auto& [key, list] : owners) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        for (auto a : list)
            for (auto b : list)
                if (a != b) w.neighbours[a].push_back(b);
    }
    for (auto& n : w.neighbours) {
        std::sort(n.begin(), n.end());
        n.erase(std::unique(n.begin(), n.end()), n.end());
    }
    return w;
}

SpatialWeights tolerance_weights(const std::vector<const OGRGeometry*>& areas, double tolerance_m, unsigned workers) {
    std::vector<std::vector<unsigned char>> wkb;
    for (const auto* a : areas) wkb.push_back(to_wkb(a));
    const BoxTree index = index_envelopes(areas);
    SpatialWeights w;
    w.neighbours.resize(areas.size());
    std::mutex merge;
    parallel_blocks(areas.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        GeosContext geos;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        std::vector<BoxEntry> candidates;
        for (std::size_t i = begin; i < end; ++i) {
            if (wkb[i].empty()) continue;
            const GeosGeometry gi = geos_from_wkb(geos, wkb[i]);
            const GeosPrepared prepared = prepare(geos, gi.get());
            OGREnvelope e;
            areas[i]->getEnvelope(&e);
            candidates.clear();
            index.query(bgi::intersects(IndexBox({e.MinX - tolerance_m, e.MinY - tolerance_m},
                                                 {e.MaxX + tolerance_m, e.MaxY + tolerance_m})),
                        std::back_inserter(candidates));
            for (const auto& c : candidates) {
                if (c.second <= i) continue;  // each pair once
                const GeosGeometry gj = geos_from_wkb(geos, wkb[c.second]);
                if (geos_predicate(geos, GEOSPreparedDistanceWithin_r(geos.handle(), prepared.get(), gj.get(), tolerance_m),
                                   "distance-within"))
                    pairs.emplace_back(static_cast<std::uint32_t>(i), c.second);
            }
        }
        std::lock_guard lock(merge);
        for (auto [a, b] : pairs) {
            w.neighbours[a].push_back(b);
            w.neighbours[b].push_back(a);
        }
    });
    for (auto& n : w.neighbours) std::sort(n.begin(), n.end());
    return w;
}

}  // namespace

SpatialWeights contiguity_weights(const std::vector<const OGRGeometry*>& areas, ContiguityRule rule,
                                  double tolerance_m, unsigned workers) {
    switch (rule) {
        case ContiguityRule::Queen: return exact_weights(areas, false);
        case ContiguityRule::Rook: return exact_weights(areas, true);
        case ContiguityRule::Tolerance: return tolerance_weights(areas, tolerance_m, workers);
    }
    throw std::logic_error("unknown contiguity rule");
}

}  // namespace hearth
