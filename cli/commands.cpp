#include "commands.hpp"

#include <filesystem>

#include "hearth/core/errors.hpp"

namespace hearth::cli {

RecipeBook recipe_book(const GlobalOptions& global) {
    return RecipeBook(global.layers_folder.empty() ? RecipeBook::default_folder()
                                                   : std::filesystem::path(global.layers_folder));
}

void require_geopackage(const std::string& command, const std::string& out) {
    if (std::filesystem::path(out).extension() != ".gpkg")
        throw UsageError(command + ": --out must name a .gpkg file, got '" + out + "'");
}

}  // namespace hearth::cli
