#include "hearth/io/study.hpp"

#include <algorithm>
#include <regex>
#include <map>
#include <set>

#include <ogrsf_frmts.h>
#include <yaml-cpp/yaml.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/geometry/table_points.hpp"
#include "hearth/io/point_reader.hpp"
#include "hearth/io/yaml_file.hpp"
#include "hearth/core/input_registry.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/io/table_join.hpp"
#include "hearth/io/area_lookup.hpp"

namespace hearth {

namespace {

std::string resolve_path(const std::filesystem::path& study_file, const std::string& path) {
    if (path.rfind("PG:", 0) == 0) return path;
    const std::filesystem::path p(path);
    if (p.is_absolute()) return path;
    return (study_file.parent_path() / p).lexically_normal().string();
}

LayerSource parse_source(const std::filesystem::path& file, const YAML::Node& node) {
    return query_source({resolve_path(file, study_text(file, node, "source", true)), study_text(file, node, "layer", false),
                         study_text(file, node, "assume_crs", false), study_text(file, node, "where", false)});
}

const std::set<std::string, std::less<>> kKnownLayerKeys = {"name",  "description", "source", "layer",
                                                            "recipe", "assume_crs", "join", "where",
                                                            "style", "illustrative", "derive"};
const std::set<std::string, std::less<>> kKnownJoinKeys = {"source",    "layer",      "recipe", "key",
                                                           "target_key", "table_key", "assume_crs", "where",
                                                           "illustrative", "through", "weight"};
const std::set<std::string, std::less<>> kKnownThroughKeys = {"source", "layer", "recipe", "assume_crs", "where"};

const std::set<std::string, std::less<>> kKnownRootKeys = {"name", "description", "crs", "layers", "parameters"};

}  // namespace

void study_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what) {
    yaml_error(file, node, what);
}

std::string study_text(const std::filesystem::path& file, const YAML::Node& node, const std::string& key, bool required) {
    return yaml_scalar(file, node, key, required);
}

void reject_unknown_keys(const std::filesystem::path& file, const YAML::Node& node,
                         const std::set<std::string, std::less<>>& known) {
    for (const auto& kv : node) {
        const std::string key = kv.first.as<std::string>();
        if (!known.count(key)) study_error(file, kv.first, "unknown key '" + key + "'");
    }
}

std::string study_layer_named(const Study& study, const YAML::Node& node, const std::string& key) {
    const std::string name = study_text(study.file, node, key, true);
    if (study.layer_index(name) < 0) study_error(study.file, node[key], "'" + name + "' is not a layer of this study");
    return name;
}

const YAML::Node* Study::section(const std::string& name) const {
    const auto it = sections.find(name);
    return it == sections.end() ? nullptr : &it->second;
}

int Study::layer_index(const std::string& name) const {
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i].name == name) return static_cast<int>(i);
    return -1;
}

const LayerStyle& study_layer_style(const StudyLayer& layer, const RecipeBook& recipes) {
    return recipes.get(layer.style_recipe.empty() ? layer.recipe : layer.style_recipe).style;
}

bool is_valid_layer_name(const std::string& name) {
    static const std::regex pattern("[A-Za-z][A-Za-z0-9_]{0,62}");
    return std::regex_match(name, pattern) && name.rfind("gpkg_", 0) != 0 && name.rfind("rtree_", 0) != 0 &&
           name != "layer_styles";
}

Study load_study(const std::filesystem::path& file) {
    const YAML::Node root = load_yaml_file(file, "study file");
    try {
        if (!root.IsMap()) study_error(file, root, "a study file must be a mapping with 'name' and 'layers'");
        for (const auto& kv : root) {
            const std::string key = kv.first.as<std::string>();
            if (!kKnownRootKeys.count(key) && !std::count(kAnalysisSections.begin(), kAnalysisSections.end(), key))
                study_error(file, kv.first, "unknown key '" + key + "'");
        }
        Study study;
        study.file = file;
        study.name = study_text(file, root, "name", true);
        study.description = study_text(file, root, "description", false);
        if (auto crs = study_text(file, root, "crs", false); !crs.empty()) study.crs = crs;
        const YAML::Node layers = root["layers"];
        if (!layers || !layers.IsSequence() || layers.size() == 0)
            study_error(file, root, "'layers' must be a list of layers");
        std::set<std::string> names;
        for (const auto& node : layers) {
            if (!node.IsMap()) study_error(file, node, "each layer needs 'name', 'source' and 'recipe'");
            reject_unknown_keys(file, node, kKnownLayerKeys);
            StudyLayer layer;
            layer.name = study_text(file, node, "name", true);
            if (!is_valid_layer_name(layer.name))
                study_error(file, node, "layer name '" + layer.name +
                                            "' must start with a letter and use only letters, digits and '_'");
            if (!names.insert(layer.name).second) study_error(file, node, "layer name '" + layer.name + "' is used twice");
            layer.description = study_text(file, node, "description", false);
            layer.source = parse_source(file, node);
            layer.recipe = study_text(file, node, "recipe", true);
            layer.style_recipe = study_text(file, node, "style", false);
            if (node["illustrative"]) layer.illustrative = node["illustrative"].as<bool>();
            layer.derived = parse_derived_fields(file, node["derive"]);
            if (const YAML::Node joins = node["join"]) {
                if (!joins.IsSequence()) study_error(file, joins, "'join' must be a list");
                for (const auto& j : joins) {
                    reject_unknown_keys(file, j, kKnownJoinKeys);
                    StudyJoin join;
                    join.source = parse_source(file, j);
                    join.recipe = study_text(file, j, "recipe", true);
                    const std::string key = study_text(file, j, "key", false);
                    join.target_key = study_text(file, j, "target_key", false);
                    join.table_key = study_text(file, j, "table_key", false);
                    if (j["illustrative"]) join.illustrative = j["illustrative"].as<bool>();
                    if (join.target_key.empty()) join.target_key = key;
                    if (join.table_key.empty()) join.table_key = key;
                    if (join.target_key.empty() || join.table_key.empty())
                        study_error(file, j, "a join needs 'key' (or 'target_key' and 'table_key')");
                    if (const YAML::Node through = j["through"]) {
                        if (!through.IsMap()) study_error(file, through, "'through' names a lookup: source and recipe");
                        reject_unknown_keys(file, through, kKnownThroughKeys);
                        join.through = parse_source(file, through);
                        join.through_recipe = study_text(file, through, "recipe", true);
                        if (join.table_key == join.target_key)
                            study_error(file, j, "a join through a lookup needs 'table_key' (e.g. lsoa11cd) and "
                                                 "'target_key' (e.g. lsoa21cd)");
                    }
                    join.weight = study_text(file, j, "weight", false);
                    layer.joins.push_back(std::move(join));
                }
            }
            study.layers.push_back(std::move(layer));
        }
        if (const YAML::Node parameters = root["parameters"]) {
            if (!parameters.IsMap()) study_error(file, parameters, "'parameters' must map names to numbers");
            for (const auto& kv : parameters) {
                try {
                    study.parameters.set(kv.first.as<std::string>(), kv.second.as<double>());
                } catch (const std::invalid_argument& e) {
                    study_error(file, kv.first, e.what());
                } catch (const YAML::BadConversion&) {
                    study_error(file, kv.second, "parameter '" + kv.first.as<std::string>() + "' must be a number");
                }
            }
        }
        for (const auto& name : kAnalysisSections)
            if (const YAML::Node section = root[name]) study.sections.emplace(name, section);
        return study;
    } catch (const YAML::Exception& e) {
        throw InputError({file.string(), {}, {}, {}}, "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

void validate_study(const Study& study, const RecipeBook& recipes) {
    const std::string where = study.file.string();
    try {
        parse_working_crs(study.crs);
    } catch (const std::invalid_argument& e) {
        throw InputError({where, {}, {}, {}}, std::string("crs: ") + e.what());
    }
    auto check_source = [&](const LayerSource& s, const std::string& layer, const Recipe& recipe) {
        std::error_code ec;
        if (!is_connection_string(s.path) && !std::filesystem::exists(s.path, ec))
            throw InputError({s.path, {}, {}, {}}, "file not found (named by layer '" + layer + "' of " + where + ")");
        if (!s.assume_crs.empty()) {
            try {
                parse_crs(s.assume_crs);
            } catch (const std::invalid_argument& e) {
                throw InputError({where, layer, {}, {}}, std::string("assume_crs: ") + e.what());
            }
        }
        check_where(s, recipe.layer_names);
    };
    for (const auto& layer : study.layers) {
        const Recipe& recipe = recipes.get(layer.recipe);
        const LayerStyle& style = study_layer_style(layer, recipes);
        if (style.renderer != StyleRenderer::SingleSymbol) {
            bool found = layer_field_origin(study, layer, style.field, recipes).has_value();
            if (!found)
                throw InputError({where, layer.name, {}, style.field},
                                 "the style reads this field but neither recipe '" + recipe.name +
                                     "' nor a joined table has it");
        }
        check_source(layer.source, layer.name, recipe);
        for (const auto& join : layer.joins) {
            const Recipe& table = recipes.get(join.recipe);
            check_source(join.source, layer.name, table);
            if (join.through) {
                const Recipe& lookup = recipes.get(join.through_recipe);
                check_source(*join.through, layer.name, lookup);
                for (const auto& k : {join.table_key, join.target_key, std::string("change_indicator")})
                    if (!lookup.field(k))
                        throw InputError({where, layer.name, {}, k}, "lookup recipe '" + lookup.name + "' has no such field");
                if (!join.weight.empty() && !table.field(join.weight))
                    throw InputError({where, layer.name, {}, join.weight}, "weight is not a field of recipe '" + table.name + "'");
            }
            if (!recipe.field(join.target_key))
                throw InputError({where, layer.name, {}, join.target_key},
                                 "join key is not a field of recipe '" + recipe.name + "'");
            if (!table.field(join.table_key))
                throw InputError({where, layer.name, {}, join.table_key},
                                 "join key is not a field of recipe '" + table.name + "'");
        }
    }
}

FeatureTable build_study_layer(const Study& study, const StudyLayer& layer, const RecipeBook& recipes,
                               GeosContext& geos) {
    const OGRSpatialReference working_crs = parse_crs(study.crs);
    const Recipe& recipe = recipes.get(layer.recipe);
    FeatureTable table = read_layer(layer.source, recipe, working_crs, geos);
    table.name = layer.name;
    if (!layer.description.empty()) table.description = layer.description;
    if (layer.illustrative || recipe.illustrative) table.illustrative_inputs.push_back(layer.name);
    std::vector<DerivedField> derived = recipe.derived;
    for (const auto& join : layer.joins) {
        const Recipe& table_recipe = recipes.get(join.recipe);
        if (table_recipe.illustrative || join.illustrative) table.illustrative_inputs.push_back(layer.name + " (" + join.recipe + ")");
        derived.insert(derived.end(), table_recipe.derived.begin(), table_recipe.derived.end());
        FeatureTable rows = read_layer(join.source, table_recipe, working_crs, geos);
        rows.name = join.recipe;
        std::string table_key = join.table_key;
        if (join.through) {
            FeatureTable lookup = read_layer(*join.through, recipes.get(join.through_recipe), working_crs, geos);
            lookup.name = join.through_recipe;
            rows = carry_through_lookup(rows, join.table_key, {&lookup, join.table_key, join.target_key, "change_indicator"},
                                        join.weight);
            rows.name = join.recipe;
            table_key = join.target_key;
            std::map<std::string, std::size_t> changes;
            for (const auto& f : rows.features) ++changes[value_text(f.values.back())];
            std::string counts;
            for (const auto& [c, n] : changes) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + (c.empty() ? "?" : c);
            table.diagnostics.notes.push_back("'" + join.recipe + "' carried from " + join.table_key + " to " +
                                              join.target_key + " through '" + join.through_recipe + "' (" + counts +
                                              "; S copies the 2011 value to each part, M and X take a " +
                                              (join.weight.empty() ? "mean" : join.weight + "-weighted mean") + ")");
        }
        const JoinReport report = join_table(table, join.target_key, rows, table_key);
        if (report.matched == 0)
            throw InputError({join.source.path, {}, {}, join.table_key},
                             "no row matched any feature of layer '" + layer.name + "' on '" + join.target_key +
                                 "' (are the codes of the same vintage, e.g. LSOA 2011 vs 2021?)");
        table.diagnostics.notes.push_back(
            describe_join(report, "'" + join.recipe + "'", join.target_key, table.features.size()));
    }
    derived.insert(derived.end(), layer.derived.begin(), layer.derived.end());
    add_derived_fields(table, derived);
    return table;
}

bool is_illustrative(const StudyLayer& layer, const RecipeBook& recipes) {
    if (layer.illustrative || recipes.get(layer.recipe).illustrative) return true;
    return std::any_of(layer.joins.begin(), layer.joins.end(), [&](const StudyJoin& j) {
        return j.illustrative || recipes.get(j.recipe).illustrative;
    });
}

std::optional<FieldOrigin> layer_field_origin(const Study& study, const StudyLayer& layer, const std::string& field,
                                              const RecipeBook& recipes) {
    (void)study;
    auto in_recipe = [&](const Recipe& r) -> std::optional<FieldOrigin> {
        if (r.field(field)) return FieldOrigin{&r, r.field(field), nullptr};
        for (const auto& d : r.derived)
            if (d.name == field) return FieldOrigin{&r, nullptr, &d};
        return std::nullopt;
    };
    for (const auto& d : layer.derived)
        if (d.name == field) return FieldOrigin{nullptr, nullptr, &d};
    // A joined table's field replaces the layer's of the same name, so joins are asked last-first.
    for (auto j = layer.joins.rbegin(); j != layer.joins.rend(); ++j)
        if (auto o = in_recipe(recipes.get(j->recipe))) return o;
    return in_recipe(recipes.get(layer.recipe));
}

std::vector<FeatureTable> build_study_layers(const Study& study, const RecipeBook& recipes, GeosContext& geos,
                                             GDALProgressFunc progress, void* progress_data,
                                             const std::vector<std::string>& skip) {
    validate_study(study, recipes);
    std::vector<FeatureTable> out;
    const double steps = static_cast<double>(study.layers.size());
    for (std::size_t i = 0; i < study.layers.size(); ++i) {
        const StudyLayer& layer = study.layers[i];
        if (std::find(skip.begin(), skip.end(), layer.name) != skip.end()) continue;
        if (progress) progress(i / steps, ("reading " + layer.name).c_str(), progress_data);
        out.push_back(build_study_layer(study, layer, recipes, geos));
    }
    if (progress) progress(1.0, "layers read", progress_data);
    return out;
}

PointSet read_study_points(const Study& study, const RecipeBook& recipes, const std::string& layer_name,
                           const std::string& id_field, const std::vector<std::string>& value_fields,
                           GDALProgressFunc progress, void* progress_data) {
    const int index = study.layer_index(layer_name);
    if (index < 0) throw InputError({study.file.string(), layer_name, {}, {}}, "the study has no such layer");
    const StudyLayer& layer = study.layers[index];
    const Recipe& recipe = recipes.get(layer.recipe);

    // Joined layers and rows located by WKT columns need the full reader.
    if (!layer.joins.empty() || recipe.wkt_field) {
        GeosContext geos;
        const FeatureTable table = build_study_layer(study, layer, recipes, geos);
        std::vector<int> columns;
        for (const auto& f : value_fields) {
            columns.push_back(table.field_index(f));
            if (columns.back() < 0) throw InputError({table.source, table.name, {}, f}, "no such field");
        }
        const int id = id_field.empty() ? -1 : table.field_index(id_field);
        if (!id_field.empty() && id < 0) throw InputError({table.source, table.name, {}, id_field}, "no such field");
        PointSet points = point_set_from_table(table);
        if (id >= 0) points.id_type = table.fields[id].type;
        points.values.assign(columns.size(), {});
        points.null_counts.assign(columns.size(), 0);
        for (const std::int64_t row : points.source_row) {
            const Feature& f = table.features[row];
            if (id >= 0) points.ids.push_back(value_text(f.values[id]));
            for (std::size_t v = 0; v < columns.size(); ++v) {
                const auto number = value_number(f.values[columns[v]]);
                points.values[v].push_back(number.value_or(0.0));
                points.null_counts[v] += !number;
            }
        }
        for (auto& row : points.source_row) row = table.features[row].source_row;
        return points;
    }

    // Otherwise stream the points: the recipe's canonical names become the file's headers.
    GDALDatasetUniquePtr ds = open_vector_source(layer.source.path);
    OGRLayer& source_layer = pick_layer(*ds, layer.source.path, layer.source.layer, recipe.layer_names);
    const std::vector<std::string> headers = field_names(source_layer);
    auto header_of = [&](const std::string& canonical) {
        const RecipeField* field = recipe.field(canonical);
        if (!field)
            throw InputError({layer.source.path, layer.name, {}, canonical},
                             "recipe '" + recipe.name + "' has no such field");
        std::optional<FieldMatch> match;
        try {
            match = match_field(headers, field->from);
        } catch (const std::invalid_argument& e) {
            throw InputError({layer.source.path, source_layer.GetName(), {}, canonical}, e.what());
        }
        if (!match)
            throw InputError({layer.source.path, source_layer.GetName(), {}, canonical},
                             "no column matches the recipe's names for this field");
        return headers[match->header_index];
    };
    PointSetRequest request;
    if (!id_field.empty()) {
        request.id_field = header_of(id_field);
        if (recipe.field(id_field)->unique) request.unique_id_name = id_field;
    }
    for (const auto& f : value_fields) {
        request.value_fields.push_back(header_of(f));
        request.value_rules.push_back(*recipe.field(f));
    }
    if (recipe.points) {  // located by coordinate columns, as read_layer does
        request.x_field = header_of(recipe.points->x);
        request.y_field = header_of(recipe.points->y);
        request.coordinate_crs = recipe.points->crs;
    }
    LayerSource source = layer.source;
    source.layer = source_layer.GetName();
    ds.reset();
    PointSet points = read_point_set(source, parse_crs(study.crs), request, progress, progress_data);
    if (!id_field.empty()) points.id_type = recipe.field(id_field)->type;  // the recipe's type, as the full reader gives
    return points;
}

}  // namespace hearth
