#include "hearth/crs.hpp"

#include <stdexcept>

#include <cpl_error.h>

namespace hearth {

OGRSpatialReference with_gis_axis_order(const OGRSpatialReference& crs) {
    OGRSpatialReference copy(crs);
    copy.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return copy;
}

OGRSpatialReference parse_crs(const std::string& text) {
    OGRSpatialReference crs;
    CPLErrorReset();
    if (text.empty() || crs.SetFromUserInput(text.c_str()) != OGRERR_NONE)
        throw std::invalid_argument("'" + text + "' is not a CRS PROJ knows (try EPSG:27700)");
    crs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return crs;
}

std::string crs_label(const OGRSpatialReference& crs) {
    if (crs.IsEmpty()) return "none";
    OGRSpatialReference copy(crs);
    copy.AutoIdentifyEPSG();
    const char* authority = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (authority && code) return std::string(authority) + ":" + code;
    const char* name = copy.GetName();
    return name ? name : "unnamed CRS";
}

CoordinateTransform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
    if (from.IsSame(&to)) return nullptr;
    const OGRSpatialReference src = with_gis_axis_order(from), dst = with_gis_axis_order(to);
    CPLErrorReset();
    CoordinateTransform ct(OGRCreateCoordinateTransformation(&src, &dst));
    if (!ct)
        throw std::runtime_error("PROJ has no transformation from " + crs_label(from) + " to " + crs_label(to) + ": " +
                                 CPLGetLastErrorMsg());
    return ct;
}

}  // namespace hearth
