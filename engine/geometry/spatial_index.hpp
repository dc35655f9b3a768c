#pragma once
// Packed Boost.Geometry R-trees over feature envelopes and points. Built once from the
// whole range (bulk loading packs the nodes), then queried read-only from any thread.

#include <cstdint>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <ogr_geometry.h>

namespace hearth {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using IndexPoint = bg::model::d2::point_xy<double>;
using IndexBox = bg::model::box<IndexPoint>;
using BoxEntry = std::pair<IndexBox, std::uint32_t>;
using PointEntry = std::pair<IndexPoint, std::uint32_t>;
using BoxTree = bgi::rtree<BoxEntry, bgi::rstar<16>>;
using PointTree = bgi::rtree<PointEntry, bgi::rstar<16>>;

/// Envelopes of `geometries` (null ones left out), indexed by position.
BoxTree index_envelopes(const std::vector<const OGRGeometry*>& geometries);

/// Points indexed by position.
PointTree index_points(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace hearth
