#include "commands.hpp"

#include <filesystem>
#include <iostream>

#include <ogrsf_frmts.h>

#include "hearth/core/errors.hpp"
#include "hearth/export/postgis_writer.hpp"
#include "hearth/geometry/crs.hpp"

namespace hearth::cli {

RecipeBook recipe_book(const GlobalOptions& global) {
    return RecipeBook(global.layers_folder.empty() ? RecipeBook::default_folder()
                                                   : std::filesystem::path(global.layers_folder));
}

void require_geopackage(const std::string& command, const std::string& out) {
    if (std::filesystem::path(out).extension() != ".gpkg")
        throw UsageError(command + ": --out must name a .gpkg file, got '" + out + "'");
}

void require_layers_output(const std::string& command, const std::string& out) {
    if (is_postgis_output(out)) return;
    if (std::filesystem::path(out).extension() != ".gpkg")
        throw UsageError(command + ": --out must name a .gpkg file or a PostGIS database (PG:\"dbname=... host=...\"), got '" +
                         redact_secrets(out) + "'");
}

std::string output_label(const std::string& out, const GlobalOptions& global) {
    return is_postgis_output(out) ? redact_secrets(out) + " (schema " + global.schema + ")" : out;
}

void write_layers(const std::string& out, const std::vector<StyledLayer>& layers, const GlobalOptions& global,
                  GDALProgressFunc progress) {
    if (is_postgis_output(out)) {
        if (!is_valid_layer_name(global.schema))
            throw UsageError("--schema takes a name of letters, digits and underscores, got '" + global.schema + "'");
        write_postgis(postgis_target(out, global.schema, global.overwrite), layers, progress, nullptr);
        return;
    }
    write_geopackage(out, layers, progress, nullptr, !global.no_spatial_index);
}

void check_crs_option(const std::string& option, const std::string& text) {
    if (text.empty()) return;
    try {
        parse_crs(text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(option + ": " + e.what());
    }
}

LayerSource source_assuming(const std::string& argument, const std::string& assume_crs, const GlobalOptions& global) {
    LayerSource source = source_from_argument(argument);
    source.problems = global.problems.get();
    if (assume_crs.empty()) return source;
    GDALDatasetUniquePtr ds = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*ds, source.path, source.layer);
    if (!layer.GetSpatialRef()) source.assume_crs = assume_crs;
    return source;
}

Study load_study_for_run(const std::string& file, const GlobalOptions& global) {
    Study study = load_study(file);
    for (auto& layer : study.layers) {
        layer.source.problems = global.problems.get();
        for (auto& join : layer.joins) join.source.problems = global.problems.get();
    }
    return study;
}

void add_problems_layer(std::vector<StyledLayer>& layers, const GlobalOptions& global, FeatureTable& storage) {
    if (!global.problems || global.problems->empty()) return;
    storage = problems_table(*global.problems);
    layers.push_back({&storage, nullptr});
}

void warn_about_problems(const GlobalOptions& global) {
    if (global.problems && !global.problems->empty())
        std::cerr << "hearth: warning: " << describe_problems(*global.problems) << "\n";
}

}  // namespace hearth::cli
