#pragma once
// Coordinate reference systems, always in traditional GIS axis order (easting/longitude
// first), so EPSG:4326 input is not read as latitude/longitude swapped.

#include <memory>
#include <string>

#include <ogr_spatialref.h>

namespace hearth {

/// Parses "EPSG:27700", a PROJ string or WKT. Throws std::invalid_argument naming the text.
OGRSpatialReference parse_crs(const std::string& text);

/// A CRS fit to measure in: projected, with metres as its unit, since every distance,
/// area and walk time Hearth reports is in metres. std::invalid_argument otherwise
/// (EPSG:4326 would give distances in degrees; a CRS in feet, distances in feet).
OGRSpatialReference parse_working_crs(const std::string& text);

/// "EPSG:27700" where the CRS has an authority code, else its name.
std::string crs_label(const OGRSpatialReference& crs);

/// A copy set to traditional GIS axis order.
OGRSpatialReference with_gis_axis_order(const OGRSpatialReference& crs);

struct CoordinateTransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OGRCoordinateTransformation::DestroyCT(ct); }
};
using CoordinateTransform = std::unique_ptr<OGRCoordinateTransformation, CoordinateTransformDeleter>;

/// True when coordinates in `a` and `b` mean the same places (axis order aside).
bool same_crs(const OGRSpatialReference& a, const OGRSpatialReference& b);

/// A PROJ transformation from `from` to `to`, or null when they are the same CRS.
/// Throws std::runtime_error when PROJ knows no way between them.
CoordinateTransform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to);

/// Whether (x, y) in `crs` lies in the area the CRS is defined for (its EPSG area of use,
/// e.g. Great Britain and its waters for EPSG:27700). True when the CRS declares none.
/// `area` receives the area's name.
bool within_area_of_use(const OGRSpatialReference& crs, double x, double y, std::string* area = nullptr);

}  // namespace hearth
