#include "commands.hpp"

#include <filesystem>

#include <ogrsf_frmts.h>

#include "hearth/core/errors.hpp"
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

void check_crs_option(const std::string& option, const std::string& text) {
    if (text.empty()) return;
    try {
        parse_crs(text);
    } catch (const std::invalid_argument& e) {
        throw UsageError(option + ": " + e.what());
    }
}

LayerSource source_assuming(const std::string& argument, const std::string& assume_crs) {
    LayerSource source = source_from_argument(argument);
    if (assume_crs.empty()) return source;
    GDALDatasetUniquePtr ds = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*ds, source.path, source.layer);
    if (!layer.GetSpatialRef()) source.assume_crs = assume_crs;
    return source;
}

}  // namespace hearth::cli
