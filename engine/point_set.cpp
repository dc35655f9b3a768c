#include "hearth/point_set.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <cpl_error.h>
#include <ogrsf_frmts.h>

#include "hearth/crs.hpp"
#include "hearth/errors.hpp"
#include "hearth/field_names.hpp"

namespace hearth {

namespace {

constexpr std::size_t kTransformBatch = 1 << 16;

int require_field(OGRLayer& layer, const LayerSource& source, const std::string& name) {
    const int index = layer.GetLayerDefn()->GetFieldIndex(name.c_str());
    if (index >= 0) return index;
    std::string hint;
    for (const auto& c : closest_field_names(field_names(layer), {name})) hint += (hint.empty() ? "'" : ", '") + c + "'";
    throw InputError({source.path, layer.GetName(), {}, name}, "no such field; closest: " + hint);
}

bool point_of(const OGRGeometry* g, double& x, double& y) {
    if (!g || g->IsEmpty()) return false;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPoint) {
        x = g->toPoint()->getX();
        y = g->toPoint()->getY();
        return true;
    }
    // Buildings and multi-part features: a point guaranteed to lie on the feature.
    OGRGeometryUniquePtr surface_point(
        OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))));
    if (!surface_point || surface_point->IsEmpty()) return false;
    x = surface_point->toPoint()->getX();
    y = surface_point->toPoint()->getY();
    return true;
}

}  // namespace

PointSet read_point_set(const LayerSource& source, const OGRSpatialReference& working_crs,
                        const PointSetRequest& request, GDALProgressFunc progress, void* progress_data) {
    GDALDatasetUniquePtr ds = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*ds, source.path, source.layer);
    const InputLocation at_layer{source.path, layer.GetName(), {}, {}};
    if (layer.GetGeomType() == wkbNone) throw InputError(at_layer, "has no geometry; expected points");

    OGRSpatialReference source_crs;
    if (const OGRSpatialReference* declared = layer.GetSpatialRef()) source_crs = with_gis_axis_order(*declared);
    if (!source.assume_crs.empty()) {
        const OGRSpatialReference assumed = parse_crs(source.assume_crs);
        if (!source_crs.IsEmpty() && !same_crs(source_crs, assumed))
            throw InputError(at_layer, "mixed CRSs: the source declares " + crs_label(source_crs) +
                                           " but --assume-crs says " + crs_label(assumed));
        source_crs = assumed;
    }
    if (source_crs.IsEmpty())
        throw InputError(at_layer, "has no CRS; say which it is with --assume-crs EPSG:27700");
    CoordinateTransform transform = make_transform(source_crs, working_crs);

    const int category_index = request.category_field.empty() ? -1 : require_field(layer, source, request.category_field);
    const int id_index = request.id_field.empty() ? -1 : require_field(layer, source, request.id_field);
    std::vector<int> value_index;
    for (const auto& f : request.value_fields) {
        const int i = require_field(layer, source, f);
        const OGRFieldType t = layer.GetLayerDefn()->GetFieldDefn(i)->GetType();
        if (t != OFTInteger && t != OFTInteger64 && t != OFTReal && t != OFTString)
            throw InputError({source.path, layer.GetName(), {}, f}, "expected a numeric field");
        value_index.push_back(i);
    }
    // Decode only the columns asked for (and those a filter needs): reading is the main cost.
    if (source.where.empty()) {
        CPLStringList ignored;
        OGRFeatureDefn* defn = layer.GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            if (i != category_index && i != id_index &&
                std::find(value_index.begin(), value_index.end(), i) == value_index.end())
                ignored.AddString(defn->GetFieldDefn(i)->GetNameRef());
        layer.SetIgnoredFields(const_cast<const char**>(ignored.List()));
    }
    if (!source.where.empty() && layer.SetAttributeFilter(source.where.c_str()) != OGRERR_NONE)
        throw InputError(at_layer, "where: '" + source.where + "' is not a valid OGR SQL filter");

    PointSet out;
    out.values.resize(value_index.size());
    out.null_counts.assign(value_index.size(), 0);
    std::map<std::string, std::int32_t> category_ids;
    std::vector<std::string> raw_categories;
    const GIntBig expected = layer.GetFeatureCount(FALSE);
    if (expected > 0) {
        out.x.reserve(expected);
        out.y.reserve(expected);
        out.source_row.reserve(expected);
    }

    std::size_t done = 0;
    layer.ResetReading();
    for (auto& feature : layer) {
        double x = 0, y = 0;
        if (!point_of(feature->GetGeometryRef(), x, y)) {
            ++out.without_geometry;
            continue;
        }
        out.x.push_back(x);
        out.y.push_back(y);
        out.source_row.push_back(feature->GetFID());
        if (id_index >= 0) out.ids.emplace_back(feature->GetFieldAsString(id_index));
        if (category_index >= 0) {
            if (!feature->IsFieldSetAndNotNull(category_index)) {
                out.category.push_back(-1);
            } else {
                const auto [it, inserted] = category_ids.emplace(feature->GetFieldAsString(category_index),
                                                                 static_cast<std::int32_t>(category_ids.size()));
                if (inserted) raw_categories.push_back(it->first);
                out.category.push_back(it->second);
            }
        }
        for (std::size_t v = 0; v < value_index.size(); ++v) {
            const int i = value_index[v];
            double value = 0;
            if (!feature->IsFieldSetAndNotNull(i)) {
                ++out.null_counts[v];
            } else if (feature->GetFieldDefnRef(i)->GetType() == OFTString) {
                char* end = nullptr;
                const char* text = feature->GetFieldAsString(i);
                value = std::strtod(text, &end);
                if (end == text || *end || !std::isfinite(value))
                    throw InputError({source.path, layer.GetName(), feature->GetFID(), request.value_fields[v]},
                                     std::string("expected a number, found '") + text + "'");
            } else {
                value = feature->GetFieldAsDouble(i);
            }
            out.values[v].push_back(value);
        }
        if (progress && expected > 0 && (++done & 0xFFFF) == 0)
            progress(0.9 * static_cast<double>(done) / static_cast<double>(expected), "reading points", progress_data);
    }
    if (out.size() == 0)
        throw InputError(at_layer, out.without_geometry ? "no feature has a geometry" : "layer is empty: no points to read");

    if (transform) {
        for (std::size_t start = 0; start < out.size(); start += kTransformBatch) {
            const std::size_t n = std::min(kTransformBatch, out.size() - start);
            std::vector<int> ok(n);
            if (!transform->Transform(n, out.x.data() + start, out.y.data() + start, nullptr, ok.data()) ||
                std::find(ok.begin(), ok.end(), FALSE) != ok.end()) {
                const auto bad = start + (std::find(ok.begin(), ok.end(), FALSE) - ok.begin());
                throw InputError({source.path, layer.GetName(), out.source_row[std::min(bad, out.size() - 1)], {}},
                                 "coordinates cannot be transformed from " + crs_label(source_crs) + " to " +
                                     crs_label(working_crs));
            }
        }
    }

    // Category ids in sorted order, so output columns do not depend on row order.
    if (category_index >= 0) {
        std::vector<std::int32_t> remap(raw_categories.size());
        std::int32_t next = 0;
        for (const auto& [name, id] : category_ids) {
            remap[id] = next++;
            out.category_names.push_back(name);
        }
        for (auto& c : out.category)
            if (c >= 0) c = remap[c];
    }
    if (progress) progress(1.0, "points read", progress_data);
    return out;
}

PointSet point_set_from_table(const FeatureTable& table) {
    PointSet out;
    for (std::size_t i = 0; i < table.features.size(); ++i) {
        double x = 0, y = 0;
        if (!point_of(table.features[i].geometry.get(), x, y)) {
            ++out.without_geometry;
            continue;
        }
        out.x.push_back(x);
        out.y.push_back(y);
        out.source_row.push_back(static_cast<std::int64_t>(i));
    }
    return out;
}

}  // namespace hearth
