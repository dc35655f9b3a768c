#pragma once
// What `hearth inspect` tells about a data source: per layer its geometry type, CRS,
// extent, feature count, fields and the recipe that reads it.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <ogr_core.h>

#include "hearth/io/recipe.hpp"

namespace hearth {

struct LayerSummary {
    std::string name;
    std::string geometry_type;   ///< OGR name, "None" for tables
    std::string crs;             ///< "EPSG:27700", or "none"
    std::optional<OGREnvelope> extent;  ///< in the layer's own CRS
    long long feature_count = 0;
    std::vector<std::pair<std::string, std::string>> fields;  ///< name, OGR type
    RecipeFit fit;               ///< fit.recipe is null when no recipe reads it
};

std::vector<LayerSummary> inspect_source(const std::string& path, const RecipeBook& recipes);

void print_summary(std::ostream& out, const std::string& path, const std::vector<LayerSummary>& layers);

}  // namespace hearth
