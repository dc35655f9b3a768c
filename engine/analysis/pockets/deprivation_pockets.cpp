#include "hearth/geometry/table_points.hpp"
#include "hearth/analysis/pockets/deprivation_pockets.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "hearth/core/errors.hpp"
#include "hearth/geometry/geos_context.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/geometry/point_location.hpp"
#include "hearth/core/point_set.hpp"

namespace hearth {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Kind { Any, Numeric };

int field(const FeatureTable& t, const std::string& name, const char* role, Kind kind = Kind::Numeric) {
    const int i = t.field_index(name);
    if (i < 0) throw InputError({t.source, t.name, {}, name}, std::string("no such field (") + role + ")");
    if (kind == Kind::Numeric && t.fields[i].type == FieldType::String)
        throw InputError({t.source, t.name, {}, name}, std::string("expected a numeric field (") + role + "), found text");
    return i;
}

int optional_field(const FeatureTable& t, const std::string& name, const char* role, Kind kind = Kind::Numeric) {
    return name.empty() ? -1 : field(t, name, role, kind);
}

FieldValue maybe(double v) { return std::isfinite(v) ? FieldValue{v} : FieldValue{}; }

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
    return out;
}

std::string first_ten(const std::vector<std::string>& items) {
    std::vector<std::string> head(items.begin(), items.begin() + static_cast<long>(std::min<std::size_t>(items.size(), 10)));
    return join(head, ", ") + (items.size() > 10 ? ", ..." : "");
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = static_cast<double>(a.size());
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ma += a[i] / n;
        mb += b[i] / n;
    }
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : kNaN;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// Mitred joins keep square corners square (a round buffer would shave them).
GeosGeometry mitred_buffer(GeosContext& geos, const GEOSGeometry* g, double width) {
    return GeosGeometry(geos.handle(),
                        GEOSBufferWithStyle_r(geos.handle(), g, width, 2, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 5.0));
}

/// Union of neighbouring areas. Generalised boundaries leave hairline gaps between
/// neighbours, so each part is grown by the contiguity tolerance before the union and
/// the result shrunk back by it (a morphological closing), which closes the gaps without
/// moving the outer boundary by more than float noise.
OGRGeometryUniquePtr dissolve(const std::vector<const OGRGeometry*>& parts, double tolerance_m) {
    GeosContext geos;
    std::vector<GeosGeometry> members;
    for (const auto* p : parts) {
        GeosGeometry g = to_geos(geos, *p);
        if (tolerance_m > 0) g = mitred_buffer(geos, g.get(), tolerance_m);
        if (!g) throw std::runtime_error("GEOS could not buffer a pocket member: " + geos.take_last_error());
        members.push_back(std::move(g));
    }
    // The collection takes ownership of its members: hand them over only at the call.
    std::vector<GEOSGeometry*> raw;
    for (auto& m : members) raw.push_back(m.release());
    GeosGeometry collection(geos.handle(), GEOSGeom_createCollection_r(geos.handle(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                                       static_cast<unsigned>(raw.size())));
    if (!collection) throw std::runtime_error("GEOS could not collect a pocket's members: " + geos.take_last_error());
    GeosGeometry merged(geos.handle(), GEOSUnaryUnion_r(geos.handle(), collection.get()));
    if (merged && tolerance_m > 0) merged = mitred_buffer(geos, merged.get(), -tolerance_m);
    if (!merged) throw std::runtime_error("GEOS could not dissolve a pocket: " + geos.take_last_error());
    OGRGeometryUniquePtr out = to_ogr(geos, merged.get());
    return OGRGeometryUniquePtr(OGRGeometryFactory::forceToMultiPolygon(out.release()));
}

// ---- What the stages share.

/// The areas kept (with a value and a geometry), their oriented values and weights.
struct SelectedAreas {
    std::vector<std::size_t> row;           ///< index into the areas table
    std::vector<double> value;              ///< the indicator as published
    std::vector<double> worse;              ///< oriented: higher is worse
    std::vector<double> weight;             ///< population, or area in m² with area weighting
    std::vector<const OGRGeometry*> shape;
    std::vector<std::string> code, name;
    std::size_t size() const { return row.size(); }
};

struct WardAssignment {
    std::vector<std::int32_t> ward;         ///< per area, kNoArea outside every ward
    std::vector<double> mean_decile;        ///< per area: its ward's weighted mean decile
    std::vector<std::string> ward_code, ward_name;  ///< per ward of the within layer
};

struct HousingByPocket {
    std::vector<std::map<std::string, double>> by_tenure, by_landlord;
    std::vector<double> homes, cat1, epc_fg;
    std::set<std::string> tenures;
};

struct PocketSummary {
    std::vector<std::size_t> members;
    double population = 0, weight = 0, mean_decile = 0, people_decile_1 = 0, worse = 0;
    std::string name;
};

SelectedAreas select_areas(const PocketInputs& in, const PocketOptions& o, std::vector<std::string>& notes) {
    const FeatureTable& areas = *in.areas;
    const int id = field(areas, in.area_id, "area id", Kind::Any);
    const int name = optional_field(areas, in.area_name, "area name", Kind::Any);
    const int indicator = field(areas, in.indicator, "indicator");
    const int population = optional_field(areas, in.population, "population");
    SelectedAreas s;
    std::vector<std::string> excluded;
    for (std::size_t a = 0; a < areas.features.size(); ++a) {
        const Feature& f = areas.features[a];
        const auto v = value_number(f.values[indicator]);
        if (!v || !std::isfinite(*v) || !f.geometry) {
            excluded.push_back(value_text(f.values[id]));
            continue;
        }
        const double w = population >= 0 ? value_number(f.values[population]).value_or(kNaN)
                                          : f.geometry->toMultiPolygon()->get_Area();
        if (!std::isfinite(w) || w < 0)
            throw InputError({areas.source, areas.name, f.source_row, population >= 0 ? in.population : "area"},
                             "population must be a non-negative number");
        s.row.push_back(a);
        s.value.push_back(*v);
        s.worse.push_back(o.higher_is_worse ? *v : -*v);
        s.weight.push_back(w);
        s.shape.push_back(f.geometry.get());
        s.code.push_back(value_text(f.values[id]));
        s.name.push_back(name >= 0 ? value_text(f.values[name]) : std::string());
    }
    std::set<std::string> seen;
    for (std::size_t k = 0; k < s.size(); ++k)
        if (!seen.insert(s.code[k]).second)
            throw InputError({areas.source, areas.name, areas.features[s.row[k]].source_row, in.area_id},
                             "area code '" + s.code[k] + "' is used by more than one area");
    if (!excluded.empty())
        notes.push_back(std::to_string(excluded.size()) + " areas have no value of " + in.indicator +
                        " and are left out: " + first_ten(excluded));
    if (s.size() < 3) throw InputError({areas.source, areas.name, {}, in.indicator}, "fewer than 3 areas have a value");
    return s;
}

void check_vintage(const PocketInputs& in, const SelectedAreas& s, std::vector<std::string>& notes) {
    const std::string areas = in.area_vintage.empty() ? vintage_from_codes(s.code) : in.area_vintage;
    if (areas.empty() || in.indicator_vintage.empty() || areas == in.indicator_vintage) return;
    notes.push_back("the areas are " + areas + " but " + in.indicator + " describes " + in.indicator_vintage +
                    " areas: values of codes that changed between them are not the areas drawn; carry the "
                    "indicator across with the ONS LSOA 2011 to 2021 lookup first");
}

std::vector<int> assign_deciles(const PocketInputs& in, const PocketOptions& o, const SelectedAreas& s,
                                std::string& basis, std::vector<std::string>& notes) {
    const FeatureTable& areas = *in.areas;
    if (o.decile_scope == DecileScope::Study) {
        basis = "deciles ranked within the " + std::to_string(s.size()) + " areas of this study (not national)";
        return deciles_within(s.worse);
    }
    if (in.decile.empty())
        throw InputError({areas.source, areas.name, {}, in.indicator},
                         "national deciles of this indicator are not in the data: name its national decile field "
                         "(--decile), or rank within the study with --decile-scope study");
    const int decile_field = field(areas, in.decile, "decile");
    std::vector<int> decile(s.size());
    for (std::size_t k = 0; k < s.size(); ++k) {
        const Feature& f = areas.features[s.row[k]];
        const auto d = value_number(f.values[decile_field]);
        if (!d || *d < 1 || *d > 10 || std::floor(*d) != *d)
            throw InputError({areas.source, areas.name, f.source_row, in.decile},
                             "expected a whole decile from 1 to 10, found '" + value_text(f.values[decile_field]) + "'");
        decile[k] = static_cast<int>(*d);
    }
    basis = "national deciles (field " + in.decile + ")";
    // A decile field whose 1 sits with the best values means the orientation is the wrong way round.
    std::vector<double> as_number(decile.begin(), decile.end());
    const double r = correlation(s.worse, as_number);
    if (std::isfinite(r) && r > 0.3)
        notes.push_back("warning: " + in.indicator + (o.higher_is_worse ? " (taken as higher is worse)" : " (taken as higher is better)") +
                        " is worse where the national decile is less deprived (r = " + fixed(r, 2) +
                        "): is its direction right? (--higher-is-better)");
    return decile;
}

WardAssignment locate_in_wards(const PocketInputs& in, const PocketOptions& o, const SelectedAreas& s,
                               const std::vector<int>& decile, std::vector<std::string>& notes) {
    WardAssignment a;
    a.ward.assign(s.size(), kNoArea);
    a.mean_decile.assign(s.size(), kNaN);
    if (!in.within) return a;
    const FeatureTable& within = *in.within;
    const int code = field(within, in.within_id, "within id", Kind::Any);
    const int name = optional_field(within, in.within_name, "within name", Kind::Any);
    std::vector<const OGRGeometry*> wards;
    for (const auto& f : within.features) {
        wards.push_back(f.geometry.get());
        a.ward_code.push_back(value_text(f.values[code]));
        a.ward_name.push_back(name >= 0 ? value_text(f.values[name]) : a.ward_code.back());
    }
    PointSet inside;
    for (std::size_t k = 0; k < s.size(); ++k) {
        double x = 0, y = 0;
        if (!point_on_feature(s.shape[k], x, y))
            throw InputError({in.areas->source, in.areas->name, in.areas->features[s.row[k]].source_row, {}},
                             "no point on the surface of this area (empty or broken geometry)");
        inside.x.push_back(x);
        inside.y.push_back(y);
        inside.source_row.push_back(static_cast<std::int64_t>(k));
    }
    a.ward = locate_points(inside, wards, o.permutations.workers);
    std::vector<double> sum(wards.size(), 0), total(wards.size(), 0);
    std::size_t outside = 0;
    for (std::size_t k = 0; k < s.size(); ++k) {
        if (a.ward[k] == kNoArea) {
            ++outside;
            continue;
        }
        sum[a.ward[k]] += s.weight[k] * decile[k];
        total[a.ward[k]] += s.weight[k];
    }
    for (std::size_t k = 0; k < s.size(); ++k)
        if (a.ward[k] != kNoArea && total[a.ward[k]] > 0) a.mean_decile[k] = sum[a.ward[k]] / total[a.ward[k]];
    if (outside) notes.push_back(std::to_string(outside) + " areas lie in no area of the 'within' layer");
    return a;
}

std::vector<std::vector<std::string>> flag_areas(const PocketOptions& o, const std::vector<int>& decile,
                                                 const WardAssignment& wards, const LocalMoranResult& lisa,
                                                 const GetisOrdResult& gi) {
    std::vector<std::vector<std::string>> flags(decile.size());
    for (std::size_t k = 0; k < decile.size(); ++k) {
        if (o.methods.deciles && decile[k] <= o.decile_threshold) flags[k].push_back("deciles");
        if (o.methods.masked &&
            is_masked_pocket(decile[k], wards.mean_decile[k], o.masked_area_max_decile, o.masked_within_min_mean_decile))
            flags[k].push_back("masked");
        if (o.methods.lisa && lisa.significant[k] &&
            (lisa.quadrant[k] == LisaQuadrant::HH || lisa.quadrant[k] == LisaQuadrant::HL))
            flags[k].push_back("lisa");
        // z is of the oriented values: a hot spot is a cluster of worse values.
        if (o.methods.gistar && gi.significant[k] && gi.z[k] > 0) flags[k].push_back("gistar");
    }
    return flags;
}

/// Pockets, most severe first: lowest population-weighted mean decile, then most people
/// in decile 1, then the highest weighted (oriented) indicator, then first member.
std::vector<PocketSummary> rank_pockets(std::vector<std::vector<std::size_t>> groups, const SelectedAreas& s,
                                        const std::vector<int>& decile, bool has_population) {
    std::vector<PocketSummary> pockets;
    for (auto& members : groups) {
        PocketSummary p;
        double decile_sum = 0, worse_sum = 0;
        for (auto k : members) {
            p.weight += s.weight[k];
            decile_sum += s.weight[k] * decile[k];
            worse_sum += s.weight[k] * s.worse[k];
            if (has_population) p.population += s.weight[k];
            if (decile[k] == 1 && has_population) p.people_decile_1 += s.weight[k];
        }
        p.mean_decile = p.weight > 0 ? decile_sum / p.weight : kNaN;
        p.worse = p.weight > 0 ? worse_sum / p.weight : kNaN;
        p.members = std::move(members);
        pockets.push_back(std::move(p));
    }
    std::stable_sort(pockets.begin(), pockets.end(), [](const PocketSummary& a, const PocketSummary& b) {
        if (a.mean_decile != b.mean_decile) return a.mean_decile < b.mean_decile;
        if (a.people_decile_1 != b.people_decile_1) return a.people_decile_1 > b.people_decile_1;
        if (a.worse != b.worse) return a.worse > b.worse;
        return a.members.front() < b.members.front();
    });
    return pockets;
}

/// Each pocket is named after its wards (most members first); pockets that would share a
/// name add their first area's name (or code).
void name_pockets(std::vector<PocketSummary>& pockets, const SelectedAreas& s, const WardAssignment& wards) {
    for (auto& p : pockets) {
        std::map<std::int32_t, int> count;
        for (auto k : p.members)
            if (wards.ward[k] != kNoArea) ++count[wards.ward[k]];
        std::vector<std::pair<std::int32_t, int>> order(count.begin(), count.end());
        std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        std::vector<std::string> names;
        for (const auto& [w, n] : order) names.push_back(wards.ward_name[w]);
        p.name = join(names, ", ");
    }
    std::map<std::string, int> uses;
    for (const auto& p : pockets) ++uses[p.name];
    for (auto& p : pockets) {
        const std::size_t first = p.members.front();
        const std::string area = s.name[first].empty() ? s.code[first] : s.name[first];
        if (p.name.empty()) p.name = area + (p.members.size() > 1 ? " and neighbours" : "");
        else if (uses[p.name] > 1) p.name += " (" + area + ")";
    }
}

HousingByPocket count_housing(const HousingStock& hs, const SelectedAreas& s, const std::vector<int>& pocket_of,
                              std::size_t pockets, unsigned workers) {
    HousingByPocket h;
    h.by_tenure.resize(pockets);
    h.by_landlord.resize(pockets);
    h.homes.assign(pockets, 0);
    h.cat1.assign(pockets, 0);
    h.epc_fg.assign(pockets, 0);
    if (!hs.table) return h;
    const FeatureTable& t = *hs.table;
    const int hw = optional_field(t, hs.homes, "homes");
    const int ht = optional_field(t, hs.tenure, "tenure", Kind::Any);
    const int hl = optional_field(t, hs.landlord, "landlord", Kind::Any);
    const int he = optional_field(t, hs.epc, "EPC band", Kind::Any);
    const int hc = optional_field(t, hs.cat1, "Category 1 hazards");
    const PointSet points = point_set_from_table(t);
    const std::vector<std::int32_t> area_of = locate_points(points, s.shape, workers);
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (area_of[i] == kNoArea) continue;
        const int p = pocket_of[area_of[i]];
        if (p < 0) continue;
        const auto& row = t.features[points.source_row[i]].values;
        const double homes = hw >= 0 ? value_number(row[hw]).value_or(0) : 1.0;
        h.homes[p] += homes;
        if (ht >= 0) {
            const std::string tenure = value_text(row[ht]).empty() ? "unknown" : value_text(row[ht]);
            h.by_tenure[p][tenure] += homes;
            h.tenures.insert(tenure);
        }
        if (hl >= 0 && !value_text(row[hl]).empty()) h.by_landlord[p][value_text(row[hl])] += homes;
        if (he >= 0 && (value_text(row[he]) == "F" || value_text(row[he]) == "G")) h.epc_fg[p] += homes;
        if (hc >= 0 && value_number(row[hc]).value_or(0) > 0) h.cat1[p] += homes;
    }
    return h;
}

std::string pocket_id(std::size_t rank) {
    std::string number = std::to_string(rank + 1);
    return "P" + std::string(number.size() < 3 ? 3 - number.size() : 0, '0') + number;
}

/// What the indicator is and which way is worse, for field descriptions.
std::string indicator_meaning(const PocketInputs& in, const PocketOptions& o) {
    const int i = in.areas->field_index(in.indicator);
    const std::string published = i >= 0 ? in.areas->fields[i].description : std::string();
    return (published.empty() ? in.indicator : published) + (o.higher_is_worse ? "; higher is worse" : "; higher is better");
}

/// Per-area layers share their first columns: code, name, ward code and ward name.
struct AreaLayerBuilder {
    const PocketInputs& in;
    const SelectedAreas& s;
    const WardAssignment& wards;

    FeatureTable layer(const std::string& name, const std::string& description) const {
        FeatureTable t;
        t.name = name;
        t.description = description;
        t.source = in.areas->source;
        t.geometry_type = in.areas->geometry_type;
        t.crs = in.areas->crs;
        t.fields.push_back(in.areas->fields[in.areas->field_index(in.area_id)]);
        if (!in.area_name.empty()) t.fields.push_back(in.areas->fields[in.areas->field_index(in.area_name)]);
        if (in.within) {
            t.fields.push_back({"ward_code", FieldType::String, "code of the ward (or authority) holding the area"});
            t.fields.push_back({"ward_name", FieldType::String, "name of that ward"});
        }
        return t;
    }
    Feature feature(std::size_t k) const {
        Feature f;
        f.source_row = in.areas->features[s.row[k]].source_row;
        f.geometry.reset(s.shape[k]->clone());
        f.values.push_back(in.areas->features[s.row[k]].values[in.areas->field_index(in.area_id)]);
        if (!in.area_name.empty()) f.values.push_back(s.name[k]);
        if (in.within) {
            const bool inside = wards.ward[k] != kNoArea;
            f.values.push_back(inside ? FieldValue{wards.ward_code[wards.ward[k]]} : FieldValue{});
            f.values.push_back(inside ? FieldValue{wards.ward_name[wards.ward[k]]} : FieldValue{});
        }
        return f;
    }
};

/// One word for the map: the strongest reason an area is flagged.
std::string flag_summary(const std::vector<std::string>& flags) {
    auto has = [&](const char* m) { return std::find(flags.begin(), flags.end(), m) != flags.end(); };
    if (has("masked")) return "masked";
    if (has("deciles")) return "most deprived";
    if (has("lisa") || has("gistar")) return "cluster";
    return "not flagged";
}

}  // namespace

DecileScope parse_decile_scope(const std::string& text) {
    if (text == "national") return DecileScope::National;
    if (text == "study") return DecileScope::Study;
    throw std::invalid_argument("decile scope '" + text + "' is not one of national, study");
}

const char* decile_scope_name(DecileScope scope) { return scope == DecileScope::National ? "national" : "study"; }

std::vector<int> deciles_within(const std::vector<double>& worse) {
    const std::size_t n = worse.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return worse[a] > worse[b]; });
    std::vector<int> decile(n);
    std::size_t first_of_tie = 0;
    for (std::size_t r = 0; r < n; ++r) {
        if (r == 0 || worse[order[r]] != worse[order[r - 1]]) first_of_tie = r;
        decile[order[r]] = static_cast<int>(first_of_tie * 10 / n) + 1;
    }
    return decile;
}

bool is_masked_pocket(int decile, double ward_mean_decile, int max_decile, double min_mean) {
    return std::isfinite(ward_mean_decile) && decile <= max_decile && ward_mean_decile >= min_mean;
}

std::vector<std::vector<std::size_t>> group_into_pockets(const std::vector<char>& flagged, const SpatialWeights& w,
                                                         const std::vector<std::int32_t>& ward, int max_areas) {
    const std::size_t n = flagged.size();
    // Connected components of the flagged areas, optionally only through areas of one ward.
    auto components = [&](const std::vector<std::size_t>& among, bool same_ward) {
        std::vector<char> in_set(n, 0), seen(n, 0);
        for (auto k : among) in_set[k] = 1;
        std::vector<std::vector<std::size_t>> out;
        for (auto start : among) {
            if (seen[start]) continue;
            std::vector<std::size_t> members = {start}, stack = {start};
            seen[start] = 1;
            while (!stack.empty()) {
                const std::size_t a = stack.back();
                stack.pop_back();
                for (auto b : w.neighbours[a])
                    if (in_set[b] && !seen[b] && (!same_ward || ward[b] == ward[a])) {
                        seen[b] = 1;
                        members.push_back(b);
                        stack.push_back(b);
                    }
            }
            std::sort(members.begin(), members.end());
            out.push_back(std::move(members));
        }
        return out;
    };
    std::vector<std::size_t> all;
    for (std::size_t k = 0; k < n; ++k)
        if (flagged[k]) all.push_back(k);
    std::vector<std::vector<std::size_t>> pockets;
    for (auto& cluster : components(all, false)) {
        if (max_areas <= 0 || cluster.size() <= static_cast<std::size_t>(max_areas) || ward.empty()) {
            pockets.push_back(std::move(cluster));
            continue;
        }
        for (auto& part : components(cluster, true)) pockets.push_back(std::move(part));
    }
    std::sort(pockets.begin(), pockets.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    return pockets;
}

bool is_lsoa2021_only_code(const std::string& code) {
    if (code.size() != 9 || code.compare(0, 3, "E01") != 0) return false;
    if (!std::all_of(code.begin() + 3, code.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
    return std::stol(code.substr(3)) > 33768;
}

std::string vintage_from_codes(const std::vector<std::string>& codes) {
    return std::any_of(codes.begin(), codes.end(), is_lsoa2021_only_code) ? "lsoa2021" : "";
}

std::string count_indicator_warning(const std::string& indicator, const std::vector<double>& values,
                                    const std::vector<double>& population) {
    if (values.size() < 3 || population.size() != values.size()) return {};
    for (double v : values)
        if (v < 0 || std::floor(v) != v) return {};
    const double r = correlation(values, population);
    if (!std::isfinite(r) || r <= 0.5) return {};
    return "warning: " + indicator + " looks like a count of people, not a rate (whole numbers that rise with " +
           "population, r = " + fixed(r, 2) + "); rank a share instead, e.g. derive: {share: " + indicator +
           " / population * 100} in the study";
}

PocketResult find_pockets(const PocketInputs& in, const PocketOptions& o) {
    const FeatureTable& areas = *in.areas;
    if (o.methods.masked && in.population.empty() && !o.area_weighting)
        throw InputError({areas.source, areas.name, {}, "population"},
                         "masked pockets weight by population: give a population field, or ask for area weighting");
    if (o.methods.masked && !in.within)
        throw InputError({areas.source, areas.name, {}, {}}, "masked pockets need the wards or authorities containing the areas");
    std::vector<int> health;
    for (const auto& h : in.health) health.push_back(field(areas, h, "health indicator"));

    PocketResult result;
    std::vector<std::string>& notes = result.notes;
    const SelectedAreas s = select_areas(in, o, notes);
    const std::size_t n = s.size();
    check_vintage(in, s, notes);
    if (!in.population.empty())
        if (auto w = count_indicator_warning(in.indicator, s.value, s.weight); !w.empty()) notes.push_back(w);
    const std::vector<int> decile = assign_deciles(in, o, s, result.decile_basis, notes);

    const SpatialWeights w = contiguity_weights(s.shape, o.contiguity, o.tolerance_m, o.permutations.workers);
    if (const auto islands = w.islands(); !islands.empty()) {
        std::vector<std::string> codes;
        for (auto k : islands) codes.push_back(s.code[k]);
        notes.push_back(std::to_string(islands.size()) + " areas have no neighbour (islands; no local statistic): " +
                        first_ten(codes));
    }
    const WardAssignment wards = locate_in_wards(in, o, s, decile, notes);

    LocalMoranResult lisa;
    GetisOrdResult gi;
    if (o.methods.lisa) lisa = local_moran(s.worse, w, o.permutations);
    if (o.methods.gistar) gi = getis_ord(s.worse, w, true, false, o.permutations);
    const auto flags = flag_areas(o, decile, wards, lisa, gi);

    std::vector<char> flagged(n);
    for (std::size_t k = 0; k < n; ++k) flagged[k] = !flags[k].empty();
    const bool can_split = in.within != nullptr;
    std::vector<PocketSummary> pockets = rank_pockets(
        group_into_pockets(flagged, w, can_split ? wards.ward : std::vector<std::int32_t>{}, o.max_pocket_areas), s,
        decile, !in.population.empty());
    name_pockets(pockets, s, wards);
    std::vector<int> pocket_of(n, -1);
    for (std::size_t p = 0; p < pockets.size(); ++p)
        for (auto k : pockets[p].members) pocket_of[k] = static_cast<int>(p);
    if (!can_split && o.max_pocket_areas > 0)
        for (const auto& p : pockets)
            if (p.members.size() > static_cast<std::size_t>(o.max_pocket_areas)) {
                notes.push_back("a pocket of " + std::to_string(p.members.size()) +
                                " areas is larger than the pocket size limit; give wards (within) to split it");
                break;
            }
    const HousingByPocket housing = count_housing(in.housing, s, pocket_of, pockets.size(), o.permutations.workers);

    // ---- Layers.
    const AreaLayerBuilder areas_out{in, s, wards};
    const std::string meaning = indicator_meaning(in, o);
    const std::string decile_text = o.decile_scope == DecileScope::National
                                        ? "national decile, 1 = most deprived 10% of England"
                                        : "decile within this study's areas, 1 = worst 10% here (not national)";
    result.area_flags = areas_out.layer(
        "pocket_areas", "Each area's decile, its ward's mean decile and the methods that flag it");
    auto& af = result.area_flags;
    af.fields.push_back({"indicator", FieldType::Real, in.indicator + ": " + meaning});
    af.fields.push_back({"decile", FieldType::Integer, decile_text});
    af.fields.push_back({"within_mean_decile", FieldType::Real, "population-weighted mean decile of its ward (higher is less deprived)"});
    af.fields.push_back({"methods", FieldType::String, "methods that flag it: deciles, masked, lisa, gistar"});
    af.fields.push_back({"flagged_as", FieldType::String, "strongest reason: masked, most deprived, cluster or not flagged"});
    af.fields.push_back({"pocket_id", FieldType::String, "pocket it belongs to (P001 is the most severe)"});
    for (std::size_t k = 0; k < n; ++k) {
        Feature f = areas_out.feature(k);
        f.values.push_back(s.value[k]);
        f.values.push_back(std::int64_t{decile[k]});
        f.values.push_back(maybe(wards.mean_decile[k]));
        const std::string m = join(flags[k], ",");
        f.values.push_back(m.empty() ? FieldValue{} : FieldValue{m});
        f.values.push_back(flag_summary(flags[k]));
        f.values.push_back(pocket_of[k] >= 0 ? FieldValue{pocket_id(pocket_of[k])} : FieldValue{});
        af.features.push_back(std::move(f));
    }
    const std::string oriented = in.indicator + (o.higher_is_worse ? "" : " (negated: higher is worse)");
    if (o.methods.lisa) {
        result.local_moran = areas_out.layer(
            "local_moran", "Local Moran's I of " + oriented + " (row-standardised contiguity, conditional permutations)");
        auto& t = result.local_moran;
        t.fields.push_back({"moran_i", FieldType::Real, "local Moran's I (positive: like its neighbours)"});
        t.fields.push_back({"quadrant", FieldType::String, "HH worse area among worse, HL worse among better, LH, LL"});
        t.fields.push_back({"p_sim", FieldType::Real, "pseudo p-value from permutations, two-sided (lower is stronger)"});
        t.fields.push_back({"significant", FieldType::Integer, "1 if p_sim <= threshold"});
        t.fields.push_back({"cluster", FieldType::String, "quadrant where significant, else 'ns'"});
        for (std::size_t k = 0; k < n; ++k) {
            Feature f = areas_out.feature(k);
            f.values.push_back(maybe(lisa.moran_i[k]));
            f.values.push_back(lisa.quadrant[k] == LisaQuadrant::None ? FieldValue{}
                                                                      : FieldValue{std::string(quadrant_name(lisa.quadrant[k]))});
            f.values.push_back(maybe(lisa.p_sim[k]));
            f.values.push_back(std::int64_t{lisa.significant[k]});
            f.values.push_back(lisa.significant[k] ? std::string(quadrant_name(lisa.quadrant[k])) : std::string("ns"));
            t.features.push_back(std::move(f));
        }
    }
    if (o.methods.gistar) {
        result.getis_ord = areas_out.layer(
            "getis_ord", "Getis-Ord Gi* z-score (Ord & Getis 1995) of " + oriented + " (binary contiguity with self)");
        auto& t = result.getis_ord;
        t.fields.push_back({"gi_star_z", FieldType::Real, "Gi* z-score: positive where worse values cluster, negative where better"});
        t.fields.push_back({"p_sim", FieldType::Real, "pseudo p-value from permutations, two-sided (lower is stronger)"});
        t.fields.push_back({"hotspot", FieldType::String, "hot (significant cluster of worse values), cold (of better) or none"});
        for (std::size_t k = 0; k < n; ++k) {
            Feature f = areas_out.feature(k);
            f.values.push_back(maybe(gi.z[k]));
            f.values.push_back(maybe(gi.p_sim[k]));
            f.values.push_back(std::string(!gi.significant[k] ? "none" : gi.z[k] > 0 ? "hot" : "cold"));
            t.features.push_back(std::move(f));
        }
    }

    FeatureTable& pt = result.pockets;
    pt.name = "deprivation_pockets";
    pt.description = "Pockets of deprivation, most severe first";
    pt.source = areas.source;
    pt.geometry_type = wkbMultiPolygon;
    pt.crs = areas.crs;
    const bool has_population = !in.population.empty();
    pt.fields = {{"pocket_id", FieldType::String, "P001 is the most severe pocket"},
                 {"name", FieldType::String, "wards the pocket lies in, most of its areas first"},
                 {"area_names", FieldType::String, "names of its areas"},
                 {"member_codes", FieldType::String, "codes of its areas"},
                 {"areas", FieldType::Integer, "number of areas"},
                 {"methods", FieldType::String, "methods that flag any member: deciles, masked, lisa, gistar"},
                 {"mean_decile", FieldType::Real, "population-weighted mean " + decile_text + " (lower is more severe)"},
                 {"people_decile_1", FieldType::Real, has_population ? "people living in its decile-1 areas" : "no population field given"},
                 {"population", FieldType::Real, has_population ? "people (" + in.population + ")" : "no population field given"},
                 {"indicator_weighted", FieldType::Real, "population-weighted mean of " + in.indicator + ": " + meaning}};
    for (std::size_t h = 0; h < in.health.size(); ++h) {
        const std::string published = areas.fields[health[h]].description;
        pt.fields.push_back({in.health[h], FieldType::Real,
                             "population-weighted mean of " + (published.empty() ? in.health[h] : published)});
    }
    if (in.housing.table) {
        pt.fields.push_back({"homes", FieldType::Real, "homes inside the pocket"});
        for (const auto& t : housing.tenures) pt.fields.push_back({"homes_" + field_safe(t), FieldType::Real, "homes: " + t});
        pt.fields.push_back({"homes_cat1_hazard", FieldType::Real, "homes with an HHSRS Category 1 hazard (higher is worse)"});
        pt.fields.push_back({"homes_epc_f_g", FieldType::Real, "homes with EPC band F or G (higher is worse)"});
        pt.fields.push_back({"main_landlord", FieldType::String, "landlord holding most homes"});
    }
    FeatureTable& lt = result.landlords;
    lt.name = "pocket_landlords";
    lt.description = "Landlords by pocket: homes each holds there";
    lt.fields = {{"pocket_id", FieldType::String, "pocket (P001 is the most severe)"},
                 {"pocket_name", FieldType::String, "wards the pocket lies in"},
                 {"landlord", FieldType::String, "landlord or registered provider"},
                 {"homes", FieldType::Real, "homes it holds in the pocket"},
                 {"share_of_pocket_homes", FieldType::Real, "its share of the pocket's homes, 0 to 1"}};
    for (std::size_t p = 0; p < pockets.size(); ++p) {
        const PocketSummary& pocket = pockets[p];
        Feature f;
        f.source_row = static_cast<std::int64_t>(p + 1);
        std::vector<const OGRGeometry*> parts;
        std::set<std::string> methods;
        std::vector<std::string> codes, names;
        std::vector<double> health_sum(health.size(), 0);
        double value_sum = 0;
        for (auto k : pocket.members) {
            parts.push_back(s.shape[k]);
            methods.insert(flags[k].begin(), flags[k].end());
            codes.push_back(s.code[k]);
            if (!s.name[k].empty()) names.push_back(s.name[k]);
            value_sum += s.weight[k] * s.value[k];
            for (std::size_t h = 0; h < health.size(); ++h)
                health_sum[h] += s.weight[k] * value_number(areas.features[s.row[k]].values[health[h]]).value_or(kNaN);
        }
        f.geometry = dissolve(parts, o.contiguity == ContiguityRule::Tolerance ? o.tolerance_m : 0.0);
        std::vector<std::string> ordered;
        for (const char* name : {"deciles", "masked", "lisa", "gistar"})
            if (methods.count(name)) ordered.emplace_back(name);
        const double wsum = pocket.weight;
        f.values = {pocket_id(p),
                    pocket.name,
                    names.empty() ? FieldValue{} : FieldValue{join(names, ", ")},
                    join(codes, ","),
                    static_cast<std::int64_t>(pocket.members.size()),
                    join(ordered, ","),
                    maybe(pocket.mean_decile),
                    has_population ? FieldValue{pocket.people_decile_1} : FieldValue{},
                    has_population ? FieldValue{pocket.population} : FieldValue{},
                    maybe(wsum > 0 ? value_sum / wsum : kNaN)};
        for (double sum : health_sum) f.values.push_back(maybe(wsum > 0 ? sum / wsum : kNaN));
        if (in.housing.table) {
            f.values.push_back(housing.homes[p]);
            for (const auto& t : housing.tenures)
                f.values.push_back(housing.by_tenure[p].count(t) ? housing.by_tenure[p].at(t) : 0.0);
            f.values.push_back(housing.cat1[p]);
            f.values.push_back(housing.epc_fg[p]);
            std::vector<std::pair<std::string, double>> lords(housing.by_landlord[p].begin(), housing.by_landlord[p].end());
            std::stable_sort(lords.begin(), lords.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
            f.values.push_back(lords.empty() ? FieldValue{} : FieldValue{lords.front().first});
            for (const auto& [name, count] : lords) {
                Feature row;
                row.source_row = static_cast<std::int64_t>(lt.features.size() + 1);
                row.values = {pocket_id(p), pocket.name, name, count,
                              maybe(housing.homes[p] > 0 ? count / housing.homes[p] : kNaN)};
                lt.features.push_back(std::move(row));
            }
        }
        pt.features.push_back(std::move(f));
    }
    // Every layer says which indicator, which way, and which deciles it speaks of.
    const std::string basis = " | indicator: " + in.indicator + (o.higher_is_worse ? " (higher is worse)" : " (higher is better)") +
                              " | " + result.decile_basis;
    for (auto* t : {&result.area_flags, &result.local_moran, &result.getis_ord, &result.pockets, &result.landlords})
        t->description += basis;
    return result;
}

}  // namespace hearth
