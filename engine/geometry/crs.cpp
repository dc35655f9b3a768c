#include "hearth/geometry/crs.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>

#include <cpl_conv.h>
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

OGRSpatialReference parse_working_crs(const std::string& text) {
    OGRSpatialReference crs = parse_crs(text);
    if (!crs.IsProjected())
        throw std::invalid_argument("working CRS '" + text + "' is " + (crs.IsGeographic() ? "geographic (degrees)" : "not projected") +
                                    "; distances need a projected CRS in metres, e.g. EPSG:27700 (British National Grid)");
    const char* unit = nullptr;
    const double metres = crs.GetLinearUnits(&unit);
    if (std::fabs(metres - 1.0) > 1e-12)
        throw std::invalid_argument("working CRS '" + text + "' measures in " + (unit ? unit : "another unit") +
                                    "; distances are reported in metres, so use a projected CRS in metres, e.g. EPSG:27700");
    return crs;
}

namespace {

std::map<std::string, std::string> proj_parameters(const OGRSpatialReference& crs) {
    std::map<std::string, std::string> out;
    char* raw = nullptr;
    const OGRErr exported = crs.exportToProj4(&raw);
    const std::unique_ptr<char, decltype(&CPLFree)> text(raw, &CPLFree);
    if (exported == OGRERR_NONE && text) {
        std::istringstream tokens(text.get());
        for (std::string t; tokens >> t;) {
            const auto eq = t.find('=');
            out[t.substr(0, eq)] = eq == std::string::npos ? "" : t.substr(eq + 1);
        }
    }
    return out;
}

bool equivalent_proj_strings(const OGRSpatialReference& a, const OGRSpatialReference& b) {
    const auto pa = proj_parameters(a), pb = proj_parameters(b);
    if (pa.empty() || pa.size() != pb.size() || pa.count("+towgs84") || pb.count("+towgs84") ||
        pa.count("+nadgrids") || pb.count("+nadgrids"))
        return false;
    for (const auto& [key, va] : pa) {
        const auto it = pb.find(key);
        if (it == pb.end()) return false;
        if (va == it->second) continue;
        char* end_a = nullptr;
        char* end_b = nullptr;
        const double x = std::strtod(va.c_str(), &end_a), y = std::strtod(it->second.c_str(), &end_b);
        if (*end_a || *end_b || va.empty() || it->second.empty()) return false;
        if (std::fabs(x - y) > 1e-8 * std::max({1.0, std::fabs(x), std::fabs(y)})) return false;
    }
    return true;
}

/// The EPSG CRS that PROJ judges `crs` to be (confidence >= 90%, or its best match when
/// that has the same PROJ parameters, as for the ESRI WKT of British National Grid in a
/// Shapefile .prj); else `crs` itself.
OGRSpatialReference identified(const OGRSpatialReference& crs) {
    OGRSpatialReference copy(crs);
    if (copy.GetAuthorityCode(nullptr)) return copy;
    int count = 0;
    int* raw_confidence = nullptr;
    // Owned at once: the matches by OSRFreeSRSArray, the confidences by CPLFree.
    const std::unique_ptr<OGRSpatialReferenceH, decltype(&OSRFreeSRSArray)> matches(
        copy.FindMatches(nullptr, &count, &raw_confidence), &OSRFreeSRSArray);
    const std::unique_ptr<int, decltype(&CPLFree)> confidence(raw_confidence, &CPLFree);
    if (count > 0 && matches && confidence) {
        OGRSpatialReference best = *OGRSpatialReference::FromHandle(matches.get()[0]);
        if (confidence.get()[0] >= 90 || equivalent_proj_strings(copy, best)) copy = best;
    }
    copy.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return copy;
}

}  // namespace

bool same_crs(const OGRSpatialReference& a, const OGRSpatialReference& b) {
    const char* options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                             "CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", nullptr};
    if (a.IsSame(&b, options)) return true;
    const OGRSpatialReference ia = identified(a), ib = identified(b);
    if (ia.IsSame(&ib, options)) return true;
    // ESRI WKT in Shapefile .prj files names datums differently ("D_OSGB_1936") and rounds
    // parameters (k=0.999601272 for 0.9996012717), so PROJ rates it a weak match for
    // EPSG:27700 and would transform by float noise. Same projection, ellipsoid and
    // parameters to 1e-8 relative (under 1 mm anywhere in the CRS) is the same CRS.
    return equivalent_proj_strings(a, b);
}

std::string crs_label(const OGRSpatialReference& crs) {
    if (crs.IsEmpty()) return "none";
    OGRSpatialReference copy = identified(crs);
    const char* authority = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (authority && code) return std::string(authority) + ":" + code;
    const char* name = copy.GetName();
    return name ? name : "unnamed CRS";
}

CoordinateTransform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
    if (same_crs(from, to)) return nullptr;
    const OGRSpatialReference src = with_gis_axis_order(from), dst = with_gis_axis_order(to);
    CPLErrorReset();
    CoordinateTransform ct(OGRCreateCoordinateTransformation(&src, &dst));
    if (!ct)
        throw std::runtime_error("PROJ has no transformation from " + crs_label(from) + " to " + crs_label(to) + ": " +
                                 CPLGetLastErrorMsg());
    return ct;
}

bool within_area_of_use(const OGRSpatialReference& crs, double x, double y, std::string* area) {
    double west = 0, south = 0, east = 0, north = 0;
    const char* name = nullptr;
    if (!crs.GetAreaOfUse(&west, &south, &east, &north, &name)) return true;
    if (area && name) *area = name;
    if (!std::isfinite(x) || !std::isfinite(y)) return false;
    OGRSpatialReference lon_lat;
    lon_lat.importFromEPSG(4326);
    lon_lat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const CoordinateTransform to_lon_lat = make_transform(crs, lon_lat);
    double lon = x, lat = y;
    if (to_lon_lat && !to_lon_lat->Transform(1, &lon, &lat)) return false;
    if (!std::isfinite(lon) || !std::isfinite(lat)) return false;
    const bool east_of_west = west <= east ? (lon >= west && lon <= east) : (lon >= west || lon <= east);
    return east_of_west && lat >= south && lat <= north;
}

}  // namespace hearth
