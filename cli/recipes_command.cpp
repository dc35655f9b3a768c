#include <iostream>

#include "commands.hpp"
#include "hearth/io/recipe.hpp"

namespace hearth::cli {

Run add_recipes_command(CLI::App& app, const GlobalOptions& global) {
    app.add_subcommand("recipes", "List the data-source recipes in layers/");
    return [&global]() {
        const RecipeBook recipes = recipe_book(global);
        for (const auto& r : recipes.recipes()) std::cout << r.name << "\t" << r.title << "\n";
        return 0;
    };
}

}  // namespace hearth::cli
