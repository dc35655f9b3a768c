#pragma once
// Accessibility of every home to green space, public transport and GP surgeries, and
// its summary per area (LSOA, ward):
//
// - green space: straight-line distance to the nearest accessible site (to its access
//   points where the study has them, 0 inside a site), and Natural England's ANGSt
//   flags: a site of >= 2 ha within 300 m, >= 20 ha within 2 km, >= 100 ha within 5 km,
//   >= 500 ha within 10 km; per area the share of homes meeting each, and hectares of
//   accessible green space inside the area per 1,000 residents;
// - public transport: PTAL (see ptal.hpp) at each home, and on an optional grid;
// - health services: distance to the nearest GP surgery and surgeries within a radius.
//
// Distances are straight lines, not walking routes; outputs say so.

#include <string>
#include <vector>

#include <gdal.h>

#include "hearth/analysis/access/access_config.hpp"
#include "hearth/core/feature_table.hpp"
#include "hearth/core/layer_style.hpp"
#include "hearth/core/parameters.hpp"
#include "hearth/core/point_set.hpp"
#include "hearth/core/point_table.hpp"
#include "hearth/analysis/access/ptal.hpp"

namespace hearth {

/// The study's layers by name (as read and joined by build_study_layers).
struct StudyTables {
    std::vector<const FeatureTable*> tables;
    const FeatureTable& get(const std::string& name) const;
};

struct AccessResult {
    PointTable homes;                        ///< one row per home point
    std::vector<FeatureTable> area_summaries;  ///< one per configured area layer
    PointTable ptal_grid;                    ///< cells as centres; empty when ptal_grid_cell_m is 0 or there is no transport
    std::vector<std::string> notes;          ///< what was left out and why
};

/// The PTAL calculator for a study's stops and frequency table. InputError names the
/// frequency table row and field for an unknown mode or a missing, zero, negative or
/// NaN frequency, and reports when no stop has any service.
PtalCalculator build_ptal(const AccessConfig& config, const StudyTables& tables, const Parameters& parameters,
                          std::vector<std::string>* notes = nullptr);

/// The stops and routes build_ptal indexes, with the same checks.
PtalNetwork ptal_network(const AccessConfig& config, const StudyTables& tables, const Parameters& parameters,
                          std::vector<std::string>* notes = nullptr);

/// TfL's PTAL colours on a categorized style of `field` (values 0 ... 6b).
LayerStyle ptal_band_style(const std::string& field);

/// `homes` as read by read_study_points: ids when the config names an id field, values[0]
/// the homes at each point when it names a weight; in `home_crs`, the study's CRS.
/// `progress` (GDAL's convention) is told each stage as it starts.
AccessResult compute_access(const AccessConfig& config, const StudyTables& tables, PointSet homes,
                            const OGRSpatialReference& home_crs, const Parameters& parameters, unsigned workers,
                            GDALProgressFunc progress = nullptr, void* progress_data = nullptr);

}  // namespace hearth
