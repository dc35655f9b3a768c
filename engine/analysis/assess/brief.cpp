#include "hearth/analysis/assess/brief.hpp"

#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include <ogr_api.h>
#include <yaml-cpp/yaml.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/core/published_text.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/geometry/geos_context.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/io/yaml_file.hpp"

namespace hearth {

const char* tenure_key(Tenure tenure) {
    switch (tenure) {
        case Tenure::SocialRent: return "social_rent";
        case Tenure::AffordableRent: return "affordable_rent";
        case Tenure::Intermediate: return "intermediate";
        case Tenure::Market: return "market";
    }
    return "";
}

const char* tenure_label(Tenure tenure) {
    switch (tenure) {
        case Tenure::SocialRent: return "Social rent";
        case Tenure::AffordableRent: return "London Affordable Rent / other affordable rent";
        case Tenure::Intermediate: return "Intermediate (shared ownership, London Living Rent)";
        case Tenure::Market: return "Market";
    }
    return "";
}

bool is_affordable(Tenure tenure) { return tenure != Tenure::Market; }

double Brief::total_homes() const { return homes[0] + homes[1] + homes[2] + homes[3]; }
double Brief::affordable_homes() const { return homes[0] + homes[1] + homes[2]; }
double Brief::total_demolished() const { return demolished[0] + demolished[1] + demolished[2] + demolished[3]; }

namespace {

using Keys = std::set<std::string, std::less<>>;

double area_of(const OGRGeometry* g) { return g ? OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) : 0.0; }

/// Reads one brief file; every error names the file and the line.
class BriefReader {
public:
    BriefReader(std::filesystem::path file, const OGRSpatialReference& crs, const std::vector<std::string>& criteria)
        : file_(std::move(file)), crs_(crs), criteria_(criteria.begin(), criteria.end()) {}

    Brief read() {
        const YAML::Node root = load_yaml_file(file_, "brief");
        if (!root.IsMap()) fail(root, "a brief is a map of keys (name, site, homes, ...)");
        Brief b;
        b.file = file_;
        expect_keys(root, {"name", "description", "site", "public_land", "homes", "bedrooms", "demolished",
                           "reprovided", "open_space", "transport", "health", "phasing", "weights"},
                    "the brief");
        b.name = text(root, "name", true);
        b.description = text(root, "description", false);
        if (const YAML::Node v = root["public_land"]) b.public_land = boolean(v, "public_land");
        if (!root["site"]) fail(root, "missing 'site' (the site boundary: source, wkt or geojson)");
        read_site(root["site"], b);
        if (!root["homes"]) fail(root, "missing 'homes' (proposed homes by tenure)");
        b.homes = tenure_counts(root["homes"], "homes", true);
        if (b.total_homes() <= 0 && !root["demolished"]) fail(root["homes"], "'homes' proposes no homes");
        if (const YAML::Node v = root["bedrooms"]) read_bedrooms(v, b);
        if (const YAML::Node v = root["demolished"]) b.demolished = tenure_counts(v, "demolished", false);
        if (const YAML::Node v = root["reprovided"]) {
            b.reprovided = tenure_counts(v, "reprovided", false);
            for (Tenure t : kTenures) {
                const auto i = static_cast<std::size_t>(t);
                if (b.reprovided[i] > b.demolished[i])
                    fail(v, std::string("'reprovided: ") + tenure_key(t) + "' is more than the homes demolished in that tenure");
                if (b.reprovided[i] > b.homes[i])
                    fail(v, std::string("'reprovided: ") + tenure_key(t) + "' is more than the homes proposed in that tenure");
            }
        }
        if (const YAML::Node v = root["open_space"]) read_open_space(v, b);
        if (const YAML::Node v = root["transport"]) read_transport(v, b);
        if (const YAML::Node v = root["health"]) read_health(v, b);
        if (const YAML::Node v = root["phasing"]) read_phasing(v, b);
        if (const YAML::Node v = root["weights"]) read_weights(v, b);
        return b;
    }

private:
    [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const { yaml_error(file_, node, what); }

    void expect_keys(const YAML::Node& node, const Keys& known, const std::string& where) const {
        if (!node.IsMap()) fail(node, where + " must be a map of keys");
        for (const auto& kv : node) {
            const std::string key = kv.first.as<std::string>();
            if (known.count(key)) continue;
            std::string hint;
            for (const auto& k : closest_field_names({known.begin(), known.end()}, {key}))
                hint += (hint.empty() ? "" : ", ") + k;
            fail(kv.first, "unknown key '" + key + "' in " + where + (hint.empty() ? "" : "; expected one of: " + hint));
        }
    }

    std::string text(const YAML::Node& node, const std::string& key, bool required) const {
        return yaml_scalar(file_, node, key, required);
    }

    bool boolean(const YAML::Node& v, const std::string& key) const {
        if (!v.IsScalar()) fail(v, "'" + key + "' must be true or false");
        const std::string s = v.as<std::string>();
        if (s == "true" || s == "yes") return true;
        if (s == "false" || s == "no") return false;
        fail(v, "'" + key + "' must be true or false, found '" + s + "'");
    }

    /// A finite number, read as every published number is (thousands separators allowed);
    /// text is an error naming the key.
    double any_number(const YAML::Node& v, const std::string& key) const {
        if (!v.IsScalar()) fail(v, "'" + key + "' must be a number");
        const auto x = parse_published_number(v.as<std::string>());
        if (!x) fail(v, "'" + key + "' must be a number, found '" + v.as<std::string>() + "'");
        return *x;
    }

    /// A number >= 0: a count, an area, a rate.
    double number(const YAML::Node& v, const std::string& key) const {
        const double x = any_number(v, key);
        if (x < 0) fail(v, "'" + key + "' must not be negative, found " + v.as<std::string>());
        return x;
    }

    double whole_number(const YAML::Node& v, const std::string& key) const {
        const double x = number(v, key);
        if (std::floor(x) != x) fail(v, "'" + key + "' counts homes and must be a whole number, found " + v.as<std::string>());
        return x;
    }

    /// Homes per tenure: counts ({social_rent: 500, ...}) or a total with percentages
    /// ({total: 2600, percent: {social_rent: 20, ...}}), which must add up to 100.
    TenureCounts tenure_counts(const YAML::Node& node, const std::string& key, bool allow_percent) const {
        Keys known;
        for (Tenure t : kTenures) known.insert(tenure_key(t));
        TenureCounts counts{};
        if (node.IsMap() && (node["total"] || node["percent"])) {
            if (!allow_percent) fail(node, "'" + key + "' takes homes per tenure, not percentages");
            expect_keys(node, {"total", "percent"}, "'" + key + "'");
            if (!node["total"] || !node["percent"]) fail(node, "'" + key + "' with percentages needs both 'total' and 'percent'");
            const double total = whole_number(node["total"], key + ".total");
            const YAML::Node percent = node["percent"];
            expect_keys(percent, known, "'" + key + ".percent'");
            double sum = 0;
            for (Tenure t : kTenures)
                if (const YAML::Node v = percent[tenure_key(t)]) {
                    const double p = number(v, key + ".percent." + tenure_key(t));
                    counts[static_cast<std::size_t>(t)] = total * p / 100.0;
                    sum += p;
                }
            if (sum > 100.0 + 1e-9)
                fail(percent, "tenure shares in '" + key + ".percent' add up to " + format(sum) + "%, more than 100%");
            if (std::fabs(sum - 100.0) > 0.5)
                fail(percent, "tenure shares in '" + key + ".percent' add up to " + format(sum) +
                                  "%; give every tenure so that they add up to 100%");
            return counts;
        }
        expect_keys(node, known, "'" + key + "'");
        for (Tenure t : kTenures)
            if (const YAML::Node v = node[tenure_key(t)])
                counts[static_cast<std::size_t>(t)] = whole_number(v, key + "." + tenure_key(t));
        return counts;
    }

    static std::string format(double x) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.4g", x);
        return buffer;
    }

    void read_bedrooms(const YAML::Node& node, Brief& b) const {
        expect_keys(node, {"1", "2", "3", "4+", "studio"}, "'bedrooms'");
        double sum = 0;
        for (const auto& kv : node) {
            const std::string key = kv.first.as<std::string>();
            const int klass = key == "studio" ? 0 : key == "4+" ? 3 : std::stoi(key) - 1;
            const double n = whole_number(kv.second, "bedrooms." + key);
            b.bedrooms[static_cast<std::size_t>(klass)] += n;
            sum += n;
        }
        if (std::fabs(sum - b.total_homes()) > 0.5)
            fail(node, "'bedrooms' add up to " + format(sum) + " homes, but 'homes' proposes " + format(b.total_homes()));
    }

    OGRSpatialReference crs_at(const YAML::Node& node, const std::string& key, const std::string& fallback) const {
        const std::string text_crs = node[key] ? text(node, key, false) : fallback;
        try {
            return parse_crs(text_crs);
        } catch (const std::invalid_argument& e) {
            fail(node[key] ? node[key] : node, "'" + key + "': " + e.what());
        }
    }

    /// Moves `g` from `from` into the working CRS; notes when it had to.
    void to_working_crs(OGRGeometry& g, const OGRSpatialReference& from, const YAML::Node& node, const std::string& what,
                        Brief& b) const {
        if (same_crs(from, crs_)) return;
        CoordinateTransform ct;
        try {
            ct = make_transform(from, crs_);
        } catch (const std::exception& e) {
            fail(node, what + ": cannot reproject from " + crs_label(from) + ": " + e.what());
        }
        if (ct && g.transform(ct.get()) != OGRERR_NONE)
            fail(node, what + ": coordinates cannot be reprojected from " + crs_label(from) + " to " + crs_label(crs_));
        b.notes.push_back(what + " reprojected from " + crs_label(from) + " to " + crs_label(crs_));
    }

    OGRGeometryUniquePtr inline_geometry(const YAML::Node& node, const std::string& key, Brief& b, const std::string& what) const {
        const std::string body = text(node, key, true);
        OGRGeometry* raw = nullptr;
        OGRSpatialReference crs;
        if (key == "wkt") {
            if (OGRGeometryFactory::createFromWkt(body.c_str(), nullptr, &raw) != OGRERR_NONE || !raw)
                fail(node[key], "'" + key + "' is not valid WKT");
            crs = crs_at(node, "crs", crs_label(crs_));
        } else {
            raw = OGRGeometryFactory::createFromGeoJson(body.c_str());
            if (!raw) fail(node[key], "'" + key + "' is not a valid GeoJSON geometry");
            crs = crs_at(node, "crs", "EPSG:4326");  // RFC 7946: GeoJSON is WGS 84 unless said otherwise
        }
        OGRGeometryUniquePtr g(raw);
        to_working_crs(*g, crs, node, what, b);
        return g;
    }

    void read_site(const YAML::Node& node, Brief& b) const {
        expect_keys(node, {"source", "layer", "wkt", "geojson", "crs"}, "'site'");
        const int given = (node["source"] ? 1 : 0) + (node["wkt"] ? 1 : 0) + (node["geojson"] ? 1 : 0);
        if (given != 1) fail(node, "'site' takes one of 'source' (a file), 'wkt' or 'geojson'");
        OGRGeometryUniquePtr site;
        if (node["source"]) {
            std::filesystem::path path = text(node, "source", true);
            if (path.is_relative()) path = file_.parent_path() / path;
            LayerSource source{path.string(), text(node, "layer", false), text(node, "crs", false)};
            GeosContext geos;
            FeatureTable t = read_layer(source, passthrough_recipe(source), crs_, geos);
            for (const auto& n : t.diagnostics.notes) b.notes.push_back("site boundary " + n);
            auto multi = std::make_unique<OGRMultiPolygon>();
            for (auto& f : t.features) add_polygons(f.geometry.get(), *multi, node["source"]);
            if (multi->IsEmpty()) fail(node["source"], "'site' source " + path.string() + " holds no polygon");
            site.reset(multi->getNumGeometries() == 1 ? multi->getGeometryRef(0)->clone() : multi->UnionCascaded());
            if (!site) fail(node["source"], "the site's polygons could not be merged");
        } else {
            const std::string key = node["wkt"] ? "wkt" : "geojson";
            OGRGeometryUniquePtr g = inline_geometry(node, key, b, "site boundary");
            auto multi = std::make_unique<OGRMultiPolygon>();
            add_polygons(g.get(), *multi, node[key]);
            if (multi->IsEmpty()) fail(node[key], "'site' must be a polygon or multipolygon");
            site.reset(multi->getNumGeometries() == 1 ? multi->getGeometryRef(0)->clone() : static_cast<OGRGeometry*>(multi.release()));
        }
        if (!site->IsValid()) {
            OGRGeometryUniquePtr repaired(site->MakeValid());
            if (!repaired) fail(node, "the site boundary is not a valid polygon and cannot be repaired");
            site = std::move(repaired);
            b.notes.push_back("site boundary repaired (it was not a valid polygon)");
        }
        if (area_of(site.get()) <= 0) fail(node, "the site boundary has no area");
        site->assignSpatialReference(nullptr);
        b.site = std::move(site);
    }

    void add_polygons(const OGRGeometry* g, OGRMultiPolygon& out, const YAML::Node& node) const {
        if (!g || g->IsEmpty()) return;
        const auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon) {
            out.addGeometry(g);
        } else if (type == wkbMultiPolygon) {
            for (const auto* p : *g->toMultiPolygon()) out.addGeometry(p);
        } else {
            fail(node, std::string("the site must be a polygon or multipolygon, found ") + OGRGeometryTypeToName(type));
        }
    }

    std::pair<double, double> point(const YAML::Node& node, const std::string& key, Brief& b, const YAML::Node& owner) const {
        const YAML::Node v = node[key];
        if (!v.IsSequence() || v.size() != 2) fail(v ? v : node, "'" + key + "' is a position [x, y] in the brief's CRS");
        OGRPoint p(any_number(v[0], key), any_number(v[1], key));
        to_working_crs(p, crs_at(owner, "crs", crs_label(crs_)), v, "'" + key + "'", b);
        return {p.getX(), p.getY()};
    }

    /// A quantity whose unit is part of its key: `area_m2` or `area_ha`; a bare `area` is
    /// an error saying which units are meant.
    std::optional<double> area_m2(const YAML::Node& node, const std::string& where) const {
        if (node["area"]) fail(node["area"], "'area' in " + where + " needs its unit in the key: area_m2 or area_ha");
        if (node["area_m2"] && node["area_ha"]) fail(node, where + " gives both area_m2 and area_ha");
        if (node["area_m2"]) return number(node["area_m2"], "area_m2");
        if (node["area_ha"]) return number(node["area_ha"], "area_ha") * 10000.0;
        return std::nullopt;
    }

    void read_open_space(const YAML::Node& list, Brief& b) const {
        if (!list.IsSequence()) fail(list, "'open_space' is a list of spaces, each with a shape (wkt) or area_m2 and 'at'");
        for (const auto& item : list) {
            expect_keys(item, {"name", "wkt", "area", "area_m2", "area_ha", "at", "crs"}, "an 'open_space' entry");
            BriefOpenSpace s;
            s.name = text(item, "name", false);
            const auto given_area = area_m2(item, "an 'open_space' entry");
            if (item["wkt"]) {
                s.shape = inline_geometry(item, "wkt", b, "open space '" + s.name + "'");
                const auto type = wkbFlatten(s.shape->getGeometryType());
                if (type != wkbPolygon && type != wkbMultiPolygon) fail(item["wkt"], "an open space shape must be a polygon");
                s.shape_given = true;
                s.area_m2 = given_area.value_or(area_of(s.shape.get()));
            } else {
                if (!given_area) fail(item, "an 'open_space' entry needs a shape (wkt) or its area (area_m2 or area_ha)");
                if (!item["at"]) fail(item, "an 'open_space' entry given by area needs its location 'at: [x, y]'");
                const auto [x, y] = point(item, "at", b, item);
                s.area_m2 = *given_area;
                // A disc of the same area stands in for a shape the brief does not draw.
                OGRPoint centre(x, y);
                s.shape.reset(centre.Buffer(std::sqrt(s.area_m2 / std::numbers::pi), 16));
            }
            if (s.area_m2 <= 0) fail(item, "an 'open_space' entry has no area");
            b.open_space.push_back(std::move(s));
        }
    }

    void read_transport(const YAML::Node& node, Brief& b) const {
        expect_keys(node, {"new_stops", "extra_services"}, "'transport'");
        if (const YAML::Node stops = node["new_stops"]) {
            if (!stops.IsSequence()) fail(stops, "'new_stops' is a list of stops");
            for (const auto& s : stops) {
                expect_keys(s, {"id", "mode", "at", "crs", "routes"}, "a 'new_stops' entry");
                BriefStop stop;
                stop.id = text(s, "id", true);
                try {
                    stop.mode = parse_transport_mode(text(s, "mode", true));
                } catch (const std::invalid_argument& e) {
                    fail(s["mode"], std::string("'mode': ") + e.what());
                }
                if (!s["at"]) fail(s, "a 'new_stops' entry needs 'at: [x, y]'");
                std::tie(stop.x, stop.y) = point(s, "at", b, s);
                const YAML::Node routes = s["routes"];
                if (!routes || !routes.IsSequence() || routes.size() == 0)
                    fail(routes ? routes : s, "a new stop needs 'routes': a list of {route, services_per_hour}");
                for (const auto& r : routes) {
                    expect_keys(r, {"route", "services_per_hour"}, "a route of a new stop");
                    const double rate = number(r["services_per_hour"] ? r["services_per_hour"] : r, "services_per_hour");
                    if (rate <= 0) fail(r, "'services_per_hour' must be more than 0");
                    stop.routes.push_back({text(r, "route", true), rate});
                }
                b.new_stops.push_back(std::move(stop));
            }
        }
        if (const YAML::Node extra = node["extra_services"]) {
            if (!extra.IsSequence()) fail(extra, "'extra_services' is a list of {route, services_per_hour}");
            for (const auto& r : extra) {
                expect_keys(r, {"route", "services_per_hour"}, "an 'extra_services' entry");
                if (!r["services_per_hour"]) fail(r, "an 'extra_services' entry needs 'services_per_hour' (AM peak, per hour)");
                const double rate = number(r["services_per_hour"], "services_per_hour");
                if (rate <= 0) fail(r["services_per_hour"], "'services_per_hour' must be more than 0");
                b.extra_services.push_back({text(r, "route", true), rate});
            }
        }
    }

    void read_health(const YAML::Node& node, Brief& b) const {
        expect_keys(node, {"gp_consulting_rooms", "floorspace", "floorspace_m2"}, "'health'");
        if (node["floorspace"]) fail(node["floorspace"], "'floorspace' needs its unit in the key: floorspace_m2");
        if (node["gp_consulting_rooms"]) b.gp_consulting_rooms = whole_number(node["gp_consulting_rooms"], "gp_consulting_rooms");
        if (node["floorspace_m2"]) b.health_floorspace_m2 = number(node["floorspace_m2"], "floorspace_m2");
        if (node["gp_consulting_rooms"] && node["floorspace_m2"])
            fail(node, "'health' takes gp_consulting_rooms or floorspace_m2, not both");
    }

    void read_phasing(const YAML::Node& node, Brief& b) const {
        if (!node.IsMap()) fail(node, "'phasing' maps a year to the homes completed that year, e.g. 2028: 400");
        double sum = 0;
        for (const auto& kv : node) {
            const std::string key = kv.first.as<std::string>();
            int year = 0;
            try {
                std::size_t used = 0;
                year = std::stoi(key, &used);
                if (used != key.size()) year = 0;
            } catch (const std::exception&) {
            }
            if (year < 1900 || year > 2200) fail(kv.first, "'phasing' keys are years, found '" + key + "'");
            const double n = whole_number(kv.second, "phasing." + key);
            b.phasing.emplace_back(year, n);
            sum += n;
        }
        if (std::fabs(sum - b.total_homes()) > 0.5)
            fail(node, "'phasing' completes " + format(sum) + " homes, but 'homes' proposes " + format(b.total_homes()));
    }

    void read_weights(const YAML::Node& node, Brief& b) const {
        Keys known(criteria_.begin(), criteria_.end());
        expect_keys(node, known, "'weights'");
        for (const auto& kv : node) b.weights.emplace_back(kv.first.as<std::string>(), number(kv.second, "weights"));
    }

    std::filesystem::path file_;
    const OGRSpatialReference& crs_;
    std::set<std::string> criteria_;
};

}  // namespace

Brief load_brief(const std::filesystem::path& file, const OGRSpatialReference& working_crs,
                 const std::vector<std::string>& criteria) {
    try {
        return BriefReader(file, working_crs, criteria).read();
    } catch (const YAML::Exception& e) {
        throw InputError({file.string(), {}, {}, {}}, "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
}

}  // namespace hearth
