#include "hearth/geometry/nearest.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <variant>

#include "hearth/core/parallel.hpp"
#include "hearth/geometry/point_location.hpp"
#include "hearth/geometry/spatial_index.hpp"

namespace hearth {

namespace {

using Ring = bg::model::ring<IndexPoint>;
using Polygon = bg::model::polygon<IndexPoint>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using Linestring = bg::model::linestring<IndexPoint>;
using MultiLinestring = bg::model::multi_linestring<Linestring>;
using MultiPoint = bg::model::multi_point<IndexPoint>;
using Shape = std::variant<std::monostate, IndexPoint, MultiPoint, MultiLinestring, MultiPolygon>;

template <typename Curve>
void copy_curve(const Curve& in, Linestring& out) {
    for (const auto& p : in) out.emplace_back(p.getX(), p.getY());
}

void add_polygon(const OGRPolygon& in, MultiPolygon& out) {
    Polygon p;
    if (in.getExteriorRing()) for (const auto& v : *in.getExteriorRing()) p.outer().emplace_back(v.getX(), v.getY());
    for (int i = 0; i < in.getNumInteriorRings(); ++i) {
        Ring r;
        for (const auto& v : *in.getInteriorRing(i)) r.emplace_back(v.getX(), v.getY());
        p.inners().push_back(std::move(r));
    }
    bg::correct(p);  // Boost wants clockwise outers; OGR rings may run either way
    out.push_back(std::move(p));
}

Shape to_shape(const OGRGeometry* g) {
    if (!g || g->IsEmpty()) return std::monostate{};
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPoint: return IndexPoint(g->toPoint()->getX(), g->toPoint()->getY());
        case wkbPolygon: {
            MultiPolygon mp;
            add_polygon(*g->toPolygon(), mp);
            return mp;
        }
        case wkbMultiPolygon: {
            MultiPolygon mp;
            for (const auto* p : *g->toMultiPolygon()) add_polygon(*p, mp);
            return mp;
        }
        case wkbLineString: {
            MultiLinestring ml;
            ml.emplace_back();
            copy_curve(*g->toLineString(), ml[0]);
            return ml;
        }
        case wkbMultiLineString: {
            MultiLinestring ml;
            for (const auto* l : *g->toMultiLineString()) {
                ml.emplace_back();
                copy_curve(*l, ml.back());
            }
            return ml;
        }
        case wkbMultiPoint: {
            MultiPoint mp;
            for (const auto* p : *g->toMultiPoint())
                if (!p->IsEmpty()) mp.emplace_back(p->getX(), p->getY());
            return mp;
        }
        default: {
            // Curves: their linear approximation. A collection of mixed parts has no one
            // distance rule here; say so rather than guess.
            OGRGeometryUniquePtr linear(g->getLinearGeometry());
            if (!linear || wkbFlatten(linear->getGeometryType()) == wkbFlatten(g->getGeometryType()))
                throw std::invalid_argument(std::string("a target is a ") + OGRGeometryTypeToName(g->getGeometryType()) +
                                            "; nearest measures to points, lines or polygons (split collections first)");
            return to_shape(linear.get());
        }
    }
}

double distance_to(const IndexPoint& p, const Shape& shape) {
    return std::visit(
        [&](const auto& s) -> double {
            using T = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<T, std::monostate>) return std::numeric_limits<double>::infinity();
            else return bg::distance(p, s);  // 0 for a point inside a polygon
        },
        shape);
}

// A window query with more candidates than this falls back to the k-nearest search.
constexpr std::size_t kMaxWindowCandidates = 32;

struct TargetIndex {
    std::vector<Shape> shapes;
    BoxTree tree;
    explicit TargetIndex(const std::vector<const OGRGeometry*>& targets) : tree(index_envelopes(targets)) {
        shapes.reserve(targets.size());
        for (const auto* t : targets) shapes.push_back(to_shape(t));
    }
};

}  // namespace

NearestResult nearest_targets(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                              double max_distance_m, unsigned workers) {
    const double limit = max_distance_m > 0 ? max_distance_m : std::numeric_limits<double>::infinity();
    const TargetIndex index(targets);
    NearestResult result;
    result.target.assign(from.size(), kNoTarget);
    result.distance_m.assign(from.size(), std::numeric_limits<double>::quiet_NaN());
    if (index.tree.empty()) return result;

    parallel_blocks(from.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<BoxEntry> candidates;
        std::int32_t previous = kNoTarget;  // the nearest target of the point before
        for (std::size_t i = begin; i < end; ++i) {
            const IndexPoint p(from.x[i], from.y[i]);
            double best = std::numeric_limits<double>::infinity();
            std::int32_t best_index = kNoTarget;
            auto consider = [&](const BoxEntry& c) {
                const double d = distance_to(p, index.shapes[c.second]);
                const auto candidate = static_cast<std::int32_t>(c.second);
                if (d < best || (d == best && candidate < best_index)) {
                    best = d;
                    best_index = candidate;
                }
            };
            // Points come in spatial order, so the last point's nearest target is usually
            // near this one too: no target lies farther than it, so a window query of that
            // radius holds the answer (ties included). Skipped when the window is crowded.
            bool found = false;
            if (previous != kNoTarget) {
                const double reach = std::min(distance_to(p, index.shapes[previous]), limit);
                const IndexBox window({p.x() - reach, p.y() - reach}, {p.x() + reach, p.y() + reach});
                candidates.clear();
                found = true;
                for (auto it = index.tree.qbegin(bgi::intersects(window)); it != index.tree.qend(); ++it) {
                    if (candidates.size() == kMaxWindowCandidates) {
                        found = false;
                        break;
                    }
                    candidates.push_back(*it);
                }
                if (found)
                    for (const auto& c : candidates)
                        if (bg::distance(p, c.first) <= reach) consider(c);
            }
            // Otherwise the k nearest envelopes, k growing until an envelope beyond the k-th
            // cannot beat the best exact distance (Boost's nearest query costs O(k) per call).
            for (std::size_t k = 2; !found; k *= 4) {
                candidates.clear();
                index.tree.query(bgi::nearest(p, static_cast<unsigned>(k)), std::back_inserter(candidates));
                double farthest_envelope = 0;
                for (const auto& c : candidates) {
                    const double envelope_distance = bg::distance(p, c.first);
                    farthest_envelope = std::max(farthest_envelope, envelope_distance);
                    if (envelope_distance > best || envelope_distance > limit) continue;
                    consider(c);
                }
                // Done when every envelope not yet seen lies at least as far as the farthest seen
                // (and so cannot be nearer than `best`, ties aside), or all were seen.
                if (candidates.size() < k || farthest_envelope > best || farthest_envelope > limit) break;
            }
            if (best_index != kNoTarget && best <= limit) {
                result.target[i] = best_index;
                result.distance_m[i] = best;
                previous = best_index;
            }
        }
    });
    return result;
}

NearestResult nearest_via_access_points(const PointSet& from, const PointSet& access_points,
                                        const std::vector<std::int32_t>& access_target,
                                        const std::vector<std::int32_t>& inside, double max_distance_m, unsigned workers) {
    std::vector<OGRPoint> entrances;
    std::vector<std::int32_t> entrance_target;
    for (std::size_t k = 0; k < access_points.size(); ++k) {
        if (access_target[k] == kNoTarget) continue;
        entrances.emplace_back(access_points.x[k], access_points.y[k]);
        entrance_target.push_back(access_target[k]);
    }
    std::vector<const OGRGeometry*> entrance_geometries;
    for (const auto& e : entrances) entrance_geometries.push_back(&e);
    NearestResult via = nearest_targets(from, entrance_geometries, max_distance_m, workers);
    for (auto& t : via.target)
        if (t != kNoTarget) t = entrance_target[t];

    // Inside a polygon target counts as distance 0 to it.
    for (std::size_t i = 0; i < from.size(); ++i)
        if (inside[i] != kNoArea) {
            via.target[i] = inside[i];
            via.distance_m[i] = 0.0;
        }
    return via;
}

NearestResult nearest_via_access_points(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                                        const PointSet& access_points, const std::vector<std::int32_t>& access_target,
                                        double max_distance_m, unsigned workers) {
    std::vector<const OGRGeometry*> areas;
    for (const auto* t : targets)
        areas.push_back(t && wkbFlatten(t->getGeometryType()) != wkbPoint ? t : nullptr);
    return nearest_via_access_points(from, access_points, access_target, locate_points(from, areas, workers),
                                     max_distance_m, workers);
}

namespace {

/// Calls visit(point, target) for every target within `radius_m` of each point.
template <typename Visit>
void each_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets, double radius_m, unsigned workers,
                 Visit visit) {
    const TargetIndex index(targets);
    parallel_blocks(from.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<BoxEntry> candidates;
        for (std::size_t i = begin; i < end; ++i) {
            const IndexPoint p(from.x[i], from.y[i]);
            const IndexBox search({p.x() - radius_m, p.y() - radius_m}, {p.x() + radius_m, p.y() + radius_m});
            candidates.clear();
            index.tree.query(bgi::intersects(search), std::back_inserter(candidates));
            for (const auto& c : candidates)
                if (distance_to(p, index.shapes[c.second]) <= radius_m) visit(i, static_cast<std::size_t>(c.second));
        }
    });
}

}  // namespace

std::vector<std::int32_t> count_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                                       double radius_m, unsigned workers) {
    std::vector<std::int32_t> counts(from.size(), 0);
    each_within(from, targets, radius_m, workers, [&](std::size_t i, std::size_t) { ++counts[i]; });
    return counts;
}

WithinTotals count_and_sum_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                                  const std::vector<double>& weights, double radius_m, unsigned workers) {
    if (weights.size() != targets.size()) throw std::logic_error("count_and_sum_within: one weight per target");
    WithinTotals totals{std::vector<std::int32_t>(from.size(), 0), std::vector<double>(from.size(), 0.0)};
    each_within(from, targets, radius_m, workers, [&](std::size_t i, std::size_t t) {
        ++totals.count[i];
        totals.sum[i] += weights[t];
    });
    return totals;
}

std::vector<char> any_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets, double radius_m,
                             unsigned workers) {
    const TargetIndex index(targets);
    std::vector<char> found(from.size(), 0);
    if (index.tree.empty()) return found;
    parallel_blocks(from.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            const IndexPoint p(from.x[i], from.y[i]);
            const IndexBox search({p.x() - radius_m, p.y() - radius_m}, {p.x() + radius_m, p.y() + radius_m});
            for (auto it = index.tree.qbegin(bgi::intersects(search)); it != index.tree.qend(); ++it)
                if (distance_to(p, index.shapes[it->second]) <= radius_m) {
                    found[i] = 1;
                    break;  // one is enough
                }
        }
    });
    return found;
}

}  // namespace hearth
