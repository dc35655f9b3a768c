#include "hearth/io/recipe.hpp"
#include "hearth/io/yaml_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "hearth/core/input_registry.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"


namespace hearth {

namespace {

[[noreturn]] void recipe_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what) {
    yaml_error(file, node, what);
}

std::string scalar(const std::filesystem::path& file, const YAML::Node& node, const std::string& key,
                   bool required = false) {
    return yaml_scalar(file, node, key, required);
}

std::vector<std::string> string_list(const std::filesystem::path& file, const YAML::Node& node) {
    std::vector<std::string> out;
    if (!node) return out;
    if (node.IsScalar()) return {node.as<std::string>()};
    if (!node.IsSequence()) recipe_error(file, node, "expected a name or a list of names");
    for (const auto& item : node) out.push_back(item.as<std::string>());
    return out;
}

FieldType parse_type(const std::filesystem::path& file, const YAML::Node& node, const std::string& text) {
    if (text == "string" || text.empty()) return FieldType::String;
    if (text == "integer") return FieldType::Integer;
    if (text == "real") return FieldType::Real;
    recipe_error(file, node, "type '" + text + "' is not one of string, integer, real");
}

RecipeGeometry parse_geometry(const std::filesystem::path& file, const YAML::Node& node, const std::string& text) {
    if (text == "none") return RecipeGeometry::None;
    if (text == "point") return RecipeGeometry::Point;
    if (text == "line") return RecipeGeometry::Line;
    if (text == "polygon") return RecipeGeometry::Polygon;
    if (text == "any" || text.empty()) return RecipeGeometry::Any;
    recipe_error(file, node, "geometry '" + text + "' is not one of none, point, line, polygon, any");
}

std::string colour(const std::filesystem::path& file, const YAML::Node& node, const std::string& key, bool required) {
    const std::string c = scalar(file, node, key, required);
    static const std::regex hex("#[0-9A-Fa-f]{6}");
    if (!c.empty() && !std::regex_match(c, hex)) recipe_error(file, node[key], key + " '" + c + "' is not of the form #rrggbb");
    return c;
}

LayerStyle parse_style(const std::filesystem::path& file, const YAML::Node& node) {
    LayerStyle style;
    if (!node) return style;
    const std::string renderer = scalar(file, node, "renderer");
    if (renderer.empty() || renderer == "single") style.renderer = StyleRenderer::SingleSymbol;
    else if (renderer == "categorized") style.renderer = StyleRenderer::Categorized;
    else if (renderer == "graduated") style.renderer = StyleRenderer::Graduated;
    else recipe_error(file, node, "renderer '" + renderer + "' is not one of single, categorized, graduated");
    style.field = scalar(file, node, "field", style.renderer != StyleRenderer::SingleSymbol);
    if (auto v = colour(file, node, "color", false); !v.empty()) style.color = v;
    if (auto v = colour(file, node, "outline_color", false); !v.empty()) style.outline_color = v;
    if (node["outline_width_mm"]) style.outline_width_mm = node["outline_width_mm"].as<double>();
    if (node["marker_size_mm"]) style.marker_size_mm = node["marker_size_mm"].as<double>();
    if (node["opacity"]) style.opacity = node["opacity"].as<double>();
    if (node["fill_opacity"]) style.fill_opacity = node["fill_opacity"].as<double>();
    if (const YAML::Node labels = node["labels"]) {
        style.label_field = scalar(file, labels, "field", true);
        if (labels["size_pt"]) style.label_size_pt = labels["size_pt"].as<double>();
    }
    for (double v : {style.opacity, style.fill_opacity})
        if (v < 0 || v > 1) recipe_error(file, node, "opacity must be between 0 and 1");
    for (const auto& c : node["categories"])
        style.categories.push_back({scalar(file, c, "value", true), scalar(file, c, "label", true),
                                    colour(file, c, "color", true)});
    for (const auto& r : node["ranges"])
        style.ranges.push_back({r["lower"].as<double>(), r["upper"].as<double>(), scalar(file, r, "label", true),
                                colour(file, r, "color", true)});
    if (style.renderer == StyleRenderer::Categorized && style.categories.empty())
        recipe_error(file, node, "a categorized style needs 'categories'");
    if (style.renderer == StyleRenderer::Graduated && style.ranges.empty())
        recipe_error(file, node, "a graduated style needs 'ranges'");
    return style;
}

}  // namespace

std::vector<DerivedField> parse_derived_fields(const std::filesystem::path& file, const YAML::Node& node) {
    std::vector<DerivedField> out;
    if (!node) return out;
    if (!node.IsMap()) recipe_error(file, node, "'derive' must map new field names to formulas");
    for (const auto& entry : node) {
        DerivedField d;
        d.name = entry.first.as<std::string>();
        d.declared_in = file.string();
        const YAML::Node spec = entry.second;
        if (spec.IsScalar()) {
            d.formula = spec.as<std::string>();
        } else if (spec.IsMap()) {
            d.formula = scalar(file, spec, "formula", true);
            d.description = scalar(file, spec, "description");
        } else {
            recipe_error(file, spec, "derive '" + d.name + "': expected a formula, or formula: and description:");
        }
        if (d.formula.empty()) recipe_error(file, spec, "derive '" + d.name + "': empty formula");
        out.push_back(std::move(d));
    }
    return out;
}

const RecipeField* Recipe::field(const std::string& canonical) const {
    for (const auto& f : fields)
        if (f.name == canonical) return &f;
    return nullptr;
}

Recipe load_recipe(const std::filesystem::path& file) {
    const YAML::Node root = load_yaml_file(file, "recipe file");
    if (!root.IsMap()) recipe_error(file, root, "a recipe must be a mapping of keys to values");

    try {
        Recipe r;
        r.file = file;
        r.name = scalar(file, root, "name", true);
        r.title = scalar(file, root, "title", true);
        r.description = scalar(file, root, "description");
        r.publisher = scalar(file, root, "publisher");
        r.licence = scalar(file, root, "licence");
        r.url = scalar(file, root, "url");
        r.geometry = parse_geometry(file, root, scalar(file, root, "geometry"));
        r.layer_names = string_list(file, root["layer"]);
        r.key = scalar(file, root, "key");

        const YAML::Node fields = root["fields"];
        if (!fields || !fields.IsMap() || fields.size() == 0)
            recipe_error(file, root, "'fields' must map canonical names to their published headers");
        for (const auto& entry : fields) {
            RecipeField f;
            f.name = entry.first.as<std::string>();
            const YAML::Node spec = entry.second;
            if (!spec.IsMap()) recipe_error(file, spec, "field '" + f.name + "' needs 'from' and 'type'");
            f.from = string_list(file, spec["from"]);
            if (f.from.empty()) recipe_error(file, spec, "field '" + f.name + "' lists no published header in 'from'");
            // A table Hearth wrote (a GeoPackage or PostGIS output read back, e.g. a team's
            // shared database) names its columns canonically: tried after the published names.
            if (std::find(f.from.begin(), f.from.end(), f.name) == f.from.end()) f.from.push_back(f.name);
            f.type = parse_type(file, spec, scalar(file, spec, "type"));
            f.required = spec["required"] && spec["required"].as<bool>();
            f.description = scalar(file, spec, "description");
            f.national_decile = scalar(file, spec, "national_decile");
            f.unique = spec["unique"] && spec["unique"].as<bool>();
            if (const YAML::Node range = spec["range"]) {
                if (!range.IsSequence() || range.size() != 2)
                    recipe_error(file, range, "field '" + f.name + "': range must be [min, max]");
                try {
                    f.min = range[0].as<double>();
                    f.max = range[1].as<double>();
                } catch (const YAML::Exception&) {
                    recipe_error(file, range, "field '" + f.name + "': range must be two numbers, [min, max]");
                }
                if (*f.min > *f.max) recipe_error(file, range, "field '" + f.name + "': range [min, max] has min above max");
            } else if (f.name.size() > 7 && f.name.ends_with("_decile") && f.type != FieldType::String) {
                f.min = 1;  // a decile is 1 to 10 by definition
                f.max = 10;
            }
            r.fields.push_back(std::move(f));
        }
        for (const auto& f : r.fields)
            if (!f.national_decile.empty() && !r.field(f.national_decile))
                recipe_error(file, fields, "national_decile '" + f.national_decile + "' of '" + f.name +
                                               "' is not one of its fields");
        r.derived = parse_derived_fields(file, root["derive"]);
        r.area_vintage = scalar(file, root, "area_vintage");
        r.illustrative = root["illustrative"] && root["illustrative"].as<bool>();
        if (!r.key.empty() && !r.field(r.key)) recipe_error(file, root, "key '" + r.key + "' is not one of its fields");

        if (const YAML::Node p = root["points"]) {
            r.points = PointColumns{scalar(file, p, "x", true), scalar(file, p, "y", true), scalar(file, p, "crs", true)};
            for (const auto* axis : {&r.points->x, &r.points->y})
                if (!r.field(*axis)) recipe_error(file, p, "points field '" + *axis + "' is not one of its fields");
        }
        if (const YAML::Node w = root["wkt"]) {
            r.wkt_field = scalar(file, w, "field", true);
            r.wkt_crs = scalar(file, w, "crs", true);
            if (!r.field(*r.wkt_field)) recipe_error(file, w, "wkt field '" + *r.wkt_field + "' is not one of its fields");
        }
        r.style = parse_style(file, root["style"]);
        auto known = [&](const std::string& name) {
            return r.field(name) || std::any_of(r.derived.begin(), r.derived.end(),
                                                [&](const DerivedField& d) { return d.name == name; });
        };
        if (r.style.renderer != StyleRenderer::SingleSymbol && !known(r.style.field))
            recipe_error(file, root["style"], "style field '" + r.style.field + "' is not one of its fields");
        if (!r.style.label_field.empty() && !known(r.style.label_field))
            recipe_error(file, root["style"], "label field '" + r.style.label_field + "' is not one of its fields");
        return r;
    } catch (const YAML::Exception& e) {
        throw InputError({file.string(), {}, {}, {}},
                         "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

RecipeFit fit_recipe(const Recipe& recipe, const std::vector<std::string>& headers) {
    RecipeFit fit;
    fit.recipe = &recipe;
    for (const auto& f : recipe.fields) {
        bool found = false;
        try {
            found = match_field(headers, f.from).has_value();
        } catch (const std::invalid_argument&) {
            found = false;
        }
        if (found) ++fit.matched_fields;
        else if (f.required) fit.missing_required.push_back(f.name);
    }
    return fit;
}

RecipeBook::RecipeBook(const std::filesystem::path& folder) : folder_(folder) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        throw InputError({folder.string(), {}, {}, {}}, "recipe folder not found (set --layers or HEARTH_LAYERS)");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        Recipe r = load_recipe(f);
        for (const auto& existing : recipes_)
            if (existing.name == r.name)
                throw InputError({f.string(), {}, {}, {}},
                                 "recipe name '" + r.name + "' is also used by " + existing.file.string());
        recipes_.push_back(std::move(r));
    }
}

const Recipe& RecipeBook::get(const std::string& name) const {
    for (const auto& r : recipes_)
        if (r.name == name) return r;
    std::vector<std::string> names;
    for (const auto& r : recipes_) names.push_back(r.name);
    std::string hint;
    for (const auto& n : closest_field_names(names, {name})) hint += (hint.empty() ? "" : ", ") + n;
    throw InputError({folder_.string(), {}, {}, {}},
                     "unknown recipe '" + name + "'" + (hint.empty() ? "" : "; closest: " + hint));
}

RecipeFit RecipeBook::recognise(const std::vector<std::string>& headers, bool has_geometry) const {
    RecipeFit best;
    for (const auto& r : recipes_) {
        // A table that carries coordinates (points/wkt) becomes a geometry layer only after
        // mapping, so it is recognised in either case.
        const bool builds_geometry = r.points || r.wkt_field;
        if (!builds_geometry) {
            if (has_geometry && r.geometry == RecipeGeometry::None) continue;
            if (!has_geometry && r.geometry != RecipeGeometry::None && r.geometry != RecipeGeometry::Any) continue;
        }
        RecipeFit fit = fit_recipe(r, headers);
        if (!fit.complete() || fit.matched_fields == 0) continue;
        if (!best.recipe || fit.matched_fields > best.matched_fields) best = fit;
    }
    return best;
}

std::filesystem::path RecipeBook::default_folder() {
    if (const char* env = std::getenv("HEARTH_LAYERS"); env && *env) return env;
    // Beside the running program: installed (<prefix>/bin/hearth and
    // <prefix>/share/hearth/layers), or built in a folder of the source tree (build/hearth
    // and layers/).
    std::error_code ec;
    const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto prefix = program.parent_path().parent_path();
        for (const auto& candidate : {prefix / "share" / "hearth" / "layers", prefix / "layers"})
            if (std::filesystem::is_directory(candidate, ec)) return candidate;
    }
    return "layers";
}

}  // namespace hearth
