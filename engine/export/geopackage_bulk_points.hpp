#pragma once
// Appends the rows of a PointTable to a GeoPackage table that GDAL has already created
// (with its fields, CRS, contents entry and, if asked, its R-tree and triggers), through
// SQLite directly: prepared INSERTs of many rows, values bound from the columns,
// GeoPackage point (or square cell) blobs built in place; then the table's R-tree, when
// GDAL made one, is bulk loaded (geopackage_rtree.hpp) instead of filled by its trigger.
//
// Why by hand: GDAL 3.6 writes a GeoPackage feature at a time through OGRFeature, about
// 3 µs a row here (75 s for 25 million homes); its bulk Arrow writer arrived in 3.8. The
// blob is the simplest case of the GeoPackage encoding (a point, no envelope), and the
// tests read every row back through GDAL and check the file with GDAL's validator.

#include <filesystem>

#include <gdal.h>

#include "hearth/core/point_table.hpp"

namespace hearth {

/// `file` is the GeoPackage (closed by GDAL), `out` the path errors name. Updates the
/// table's extent in gpkg_contents and its count in gpkg_ogr_contents.
/// `progress` (GDAL's convention) is told the share of rows written; OutputError when it
/// asks to stop.
void append_point_rows(const std::filesystem::path& file, const std::filesystem::path& out, const PointTable& points,
                       GDALProgressFunc progress = nullptr, void* progress_data = nullptr);

}  // namespace hearth
