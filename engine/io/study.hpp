#pragma once
// A study file (YAML) names a study area's sources, the recipe that reads each,
// and the tables joined onto them. Paths are relative to the study file.
//
//   name: High Road West
//   crs: EPSG:27700            # working CRS, default EPSG:27700
//   layers:
//     - name: lsoa_deprivation
//       source: lsoa11/haringey_lsoa11.shp
//       recipe: ons_lsoa11_boundaries
//       join:
//         - source: imd2019_file7.csv
//           recipe: imd2019_file7
//           key: lsoa11cd       # canonical key on both sides (or target_key / table_key)

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gdal.h>
#include <yaml-cpp/yaml.h>

#include "hearth/core/feature_table.hpp"
#include "hearth/geometry/geos_context.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/core/parameters.hpp"
#include "hearth/core/point_set.hpp"
#include "hearth/io/recipe.hpp"

namespace hearth {

struct StudyJoin {
    LayerSource source;
    std::string recipe;
    std::string target_key;
    std::string table_key;
    bool illustrative = false;
    /// `through:` a lookup between area vintages (ONS LSOA 2011 -> 2021): the table's
    /// rows are carried onto the layer's areas first (io/area_lookup.hpp). The lookup's
    /// recipe has fields named like table_key and target_key, and `change_indicator`.
    std::optional<LayerSource> through;
    std::string through_recipe;
    std::string weight;  ///< table field weighting a merged area's mean (a population)
};

struct StudyLayer {
    std::string name;
    std::string description;
    LayerSource source;
    std::string recipe;
    std::string style_recipe;  ///< recipe whose QGIS style the layer takes; default its own
    std::vector<StudyJoin> joins;
    bool illustrative = false;            ///< made-up rows: every output built from it says so
    std::vector<DerivedField> derived;    ///< `derive:` fields, computed after the joins
};

struct Study {
    std::string name;
    std::string description;
    std::string crs = "EPSG:27700";
    std::filesystem::path file;
    std::vector<StudyLayer> layers;
    Parameters parameters;              ///< defaults overridden by `parameters:`
    /// Each analysis's own section (`access:`, `pockets:`), kept as YAML for the
    /// analysis to parse: the study reader does not know what is in them.
    std::map<std::string, YAML::Node> sections;
    /// The section called `name`, or null.
    const YAML::Node* section(const std::string& name) const;

    /// Index of the layer called `name`, or -1.
    int layer_index(const std::string& name) const;
};

/// The names of the analysis sections a study file may have; each analysis parses its own.
inline constexpr std::array<const char*, 3> kAnalysisSections = {"access", "pockets", "assess"};

/// Parses a study file. Errors name the file and YAML line.
Study load_study(const std::filesystem::path& file);

/// The prepare pass: every recipe exists, every key is one of its recipe's fields,
/// every source exists and the CRS is known. Reads no features.
void validate_study(const Study& study, const RecipeBook& recipes);

/// Reads every layer of the study (but those named in `skip`) and applies its joins, in
/// the working CRS. `progress` follows GDAL's convention (fraction done, message, data).
std::vector<FeatureTable> build_study_layers(const Study& study, const RecipeBook& recipes, GeosContext& geos,
                                             GDALProgressFunc progress = nullptr, void* progress_data = nullptr,
                                             const std::vector<std::string>& skip = {});

/// One layer of the study, read and joined.
FeatureTable build_study_layer(const Study& study, const StudyLayer& layer, const RecipeBook& recipes,
                               GeosContext& geos);

/// The points of one study layer as columns, for millions of homes: the canonical
/// `id_field` (may be empty) into ids, `value_fields` into values (nulls as 0). Streamed
/// from the file when the layer has no joins and carries its own point geometry; read
/// through build_study_layer otherwise. source_row is the source feature id either way.
PointSet read_study_points(const Study& study, const RecipeBook& recipes, const std::string& layer,
                           const std::string& id_field, const std::vector<std::string>& value_fields,
                           GDALProgressFunc progress = nullptr, void* progress_data = nullptr);

/// The style a study layer is exported with: its `style:` recipe's, else its own recipe's.
const LayerStyle& study_layer_style(const StudyLayer& layer, const RecipeBook& recipes);

/// True when the layer, its recipe, or a join or its recipe is marked illustrative: the
/// rule build_study_layer uses to fill FeatureTable::illustrative_inputs.
bool is_illustrative(const StudyLayer& layer, const RecipeBook& recipes);

/// Where a field of a study layer comes from: a recipe's published field, or a formula
/// (a recipe's or the study's own; then `recipe` is null for the study's).
struct FieldOrigin {
    const Recipe* recipe = nullptr;
    const RecipeField* field = nullptr;
    const DerivedField* derived = nullptr;
};
std::optional<FieldOrigin> layer_field_origin(const Study& study, const StudyLayer& layer, const std::string& field,
                                              const RecipeBook& recipes);

// For analyses parsing their section: errors naming the study file and YAML line.
[[noreturn]] void study_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what);
/// Runs an analysis's parse of its section; a yaml-cpp exception (a map where a scalar
/// was expected, a bad conversion) becomes an InputError naming the file and line.
template <typename Parse>
auto parse_study_section(const std::filesystem::path& file, Parse parse) -> decltype(parse()) {
    try {
        return parse();
    } catch (const YAML::Exception& e) {
        study_error(file, YAML::Node(), "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}
/// The scalar at `key` ("" when absent and not required).
std::string study_text(const std::filesystem::path& file, const YAML::Node& node, const std::string& key, bool required);
void reject_unknown_keys(const std::filesystem::path& file, const YAML::Node& node,
                         const std::set<std::string, std::less<>>& known);
/// The scalar at `key`, which must name a layer of the study.
std::string study_layer_named(const Study& study, const YAML::Node& node, const std::string& key);

/// A GeoPackage-safe layer name: a letter, then letters, digits or underscores.
bool is_valid_layer_name(const std::string& name);

}  // namespace hearth
