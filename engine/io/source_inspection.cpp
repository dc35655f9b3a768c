#include "hearth/io/source_inspection.hpp"

#include <iomanip>

#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/io/layer_reader.hpp"

namespace hearth {

std::vector<LayerSummary> inspect_source(const std::string& path, const RecipeBook& recipes) {
    GDALDatasetUniquePtr ds = open_vector_source(path);
    std::vector<LayerSummary> out;
    for (OGRLayer* layer : ds->GetLayers()) {
        LayerSummary s;
        s.name = layer->GetName();
        const OGRwkbGeometryType type = layer->GetGeomType();
        s.geometry_type = OGRGeometryTypeToName(type);
        const OGRSpatialReference* crs = layer->GetSpatialRef();
        s.crs = crs ? crs_label(*crs) : "none";
        s.feature_count = layer->GetFeatureCount(TRUE);
        OGREnvelope env;
        if (type != wkbNone && layer->GetExtent(&env, TRUE) == OGRERR_NONE) s.extent = env;
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            s.fields.emplace_back(defn->GetFieldDefn(i)->GetNameRef(),
                                  OGRFieldDefn::GetFieldTypeName(defn->GetFieldDefn(i)->GetType()));
        s.fit = recipes.recognise(field_names(*layer), type != wkbNone);
        out.push_back(std::move(s));
    }
    return out;
}

void print_summary(std::ostream& out, const std::string& path, const std::vector<LayerSummary>& layers) {
    out << path << ": " << layers.size() << (layers.size() == 1 ? " layer\n" : " layers\n");
    for (const auto& l : layers) {
        out << "\nlayer: " << l.name << "\n";
        out << "  recipe:   ";
        if (l.fit.recipe)
            out << l.fit.recipe->name << " (" << l.fit.recipe->title << "; " << l.fit.matched_fields << " of "
                << l.fit.recipe->fields.size() << " fields matched)\n";
        else
            out << "none recognised\n";
        out << "  geometry: " << l.geometry_type << "\n";
        out << "  crs:      " << l.crs << "\n";
        if (l.extent)
            out << "  extent:   " << std::fixed << std::setprecision(3) << l.extent->MinX << ", " << l.extent->MinY
                << " - " << l.extent->MaxX << ", " << l.extent->MaxY << std::defaultfloat << "\n";
        out << "  features: " << l.feature_count << "\n";
        out << "  fields:   " << l.fields.size() << "\n";
        for (const auto& [name, type] : l.fields) out << "    " << name << ": " << type << "\n";
    }
}

}  // namespace hearth
