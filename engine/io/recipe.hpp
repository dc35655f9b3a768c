#pragma once
// A recipe declares one published data source: how its published column headers map
// to Hearth's canonical fields, what geometry it carries, its join key and its QGIS
// style. Recipes live as YAML files in layers/, one per source, so supporting a new
// release of a dataset is an edit to a text file, not to the engine.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hearth/io/derived_fields.hpp"
#include "hearth/core/feature_table.hpp"
#include "hearth/core/layer_style.hpp"

namespace YAML {
class Node;
}

namespace hearth {

struct RecipeField {
    std::string name;                 ///< canonical name
    FieldType type = FieldType::String;
    std::vector<std::string> from;    ///< published header names, tried in order
    bool required = false;
    std::string description;
    /// Canonical field holding this indicator's published national decile, when the
    /// source publishes one (imd_score and imd_rank: imd_decile).
    std::string national_decile;
    /// Values outside [min, max] are an input error naming the source row. A field named
    /// `*_decile` is 1 to 10 unless the recipe says otherwise (`range: [min, max]`).
    std::optional<double> min;
    std::optional<double> max;
    /// `unique: true`: one row per value (a UPRN); a second row is an input error.
    /// Not implied by `key:`, since published keys repeat (TfL lists some stops twice).
    bool unique = false;
};

/// For tables that locate each row by coordinate columns (NaPTAN, TfL, AddressBase).
struct PointColumns {
    std::string x;    ///< canonical field holding easting / longitude
    std::string y;    ///< canonical field holding northing / latitude
    std::string crs;  ///< CRS of those columns, e.g. "EPSG:27700"
};

enum class RecipeGeometry { None, Point, Line, Polygon, Any };

struct Recipe {
    std::string name;
    std::string title;
    std::string description;
    std::string publisher;
    std::string licence;
    std::string url;
    RecipeGeometry geometry = RecipeGeometry::Any;
    std::vector<std::string> layer_names;   ///< sheet / layer names to pick in multi-layer sources
    std::string key;                        ///< canonical join key, may be empty
    std::vector<RecipeField> fields;
    std::optional<PointColumns> points;
    std::optional<std::string> wkt_field;   ///< canonical field with WKT geometry
    std::string wkt_crs;                    ///< CRS of that WKT
    std::vector<DerivedField> derived;      ///< fields computed from the others (derive:)
    /// Areas its rows describe: "lsoa2011", "lsoa2021", ...; empty when not tied to one.
    std::string area_vintage;
    /// The format's rows are made up (a placeholder schema): every output says so.
    bool illustrative = false;
    LayerStyle style;
    std::filesystem::path file;

    const RecipeField* field(const std::string& canonical) const;
};

/// The `derive:` block of a recipe or study layer (new field name to a formula, or to
/// formula: and description:); errors name the file and line.
std::vector<DerivedField> parse_derived_fields(const std::filesystem::path& file, const YAML::Node& node);

/// Reads one recipe; errors name the file and the YAML line.
Recipe load_recipe(const std::filesystem::path& file);

/// How well a recipe fits a layer's headers.
struct RecipeFit {
    const Recipe* recipe = nullptr;
    std::size_t matched_fields = 0;
    std::vector<std::string> missing_required;
    bool complete() const { return recipe && missing_required.empty(); }
};

/// Every recipe in a folder (*.yaml, *.yml), by name.
class RecipeBook {
public:
    explicit RecipeBook(const std::filesystem::path& folder);

    const std::vector<Recipe>& recipes() const { return recipes_; }
    /// The recipe called `name`; InputError naming the closest names when none is.
    const Recipe& get(const std::string& name) const;

    /// The recipe that fits a layer best: every required field present and, among
    /// those, most fields matched. `has_geometry` rules out recipes of the other kind.
    RecipeFit recognise(const std::vector<std::string>& headers, bool has_geometry) const;

    /// The standard folder: $HEARTH_LAYERS, else share/hearth/layers of the installed
    /// program, else layers/ beside the build folder the program runs from.
    static std::filesystem::path default_folder();

private:
    std::filesystem::path folder_;
    std::vector<Recipe> recipes_;
};

/// How `recipe` fits `headers` (ambiguous headers count as missing).
RecipeFit fit_recipe(const Recipe& recipe, const std::vector<std::string>& headers);

}  // namespace hearth
