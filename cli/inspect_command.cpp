#include <iostream>

#include "commands.hpp"
#include "hearth/io/recipe.hpp"
#include "hearth/io/source_inspection.hpp"

namespace hearth::cli {

Run add_inspect_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("inspect", "Describe each layer of a data source and the recipe that reads it");
    auto source = std::make_shared<std::string>();
    cmd->add_option("SOURCE", *source, "File, folder or PG: connection string")->required();
    return [source, &global]() {
        const RecipeBook recipes = recipe_book(global);
        print_summary(std::cout, *source, inspect_source(*source, recipes));
        return 0;
    };
}

}  // namespace hearth::cli
