#include "hearth/geometry/geos_context.hpp"

#include <stdexcept>

#include <ogr_geometry.h>

namespace hearth {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    if (!handle_) throw std::runtime_error("GEOS: could not create a context");
    GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_message, this);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void GeosContext::on_message(const char* message, void* self) {
    static_cast<GeosContext*>(self)->last_error_ = message ? message : "";
}

std::string GeosContext::take_last_error() { return std::exchange(last_error_, {}); }

bool geos_predicate(GeosContext& context, char result, const char* what) {
    if (result == 2) throw std::runtime_error(std::string("GEOS ") + what + " failed: " + context.take_last_error());
    return result == 1;
}

std::vector<unsigned char> to_wkb(const OGRGeometry* geometry) {
    std::vector<unsigned char> out;
    if (!geometry || geometry->IsEmpty()) return out;
    out.resize(geometry->WkbSize());
    geometry->exportToWkb(wkbNDR, out.data(), wkbVariantIso);
    return out;
}

GeosGeometry geos_from_wkb(GeosContext& context, const std::vector<unsigned char>& wkb) {
    GEOSGeometry* g = GEOSGeomFromWKB_buf_r(context.handle(), wkb.data(), wkb.size());
    if (!g) throw std::runtime_error("GEOS could not read WKB: " + context.take_last_error());
    return GeosGeometry(context.handle(), g);
}

OGRGeometryUniquePtr to_ogr(GeosContext& context, const GEOSGeometry* geometry) {
    OGRGeometryUniquePtr g(OGRGeometryFactory::createFromGEOS(context.handle(), const_cast<GEOSGeometry*>(geometry)));
    if (!g) throw std::runtime_error("could not convert a GEOS geometry to OGR");
    return g;
}

GeosGeometry to_geos(GeosContext& context, const OGRGeometry& geometry) {
    GEOSGeometry* g = geometry.exportToGEOS(context.handle());
    if (!g) throw std::runtime_error("GEOS could not take the geometry: " + context.take_last_error());
    return GeosGeometry(context.handle(), g);
}

GeosPrepared prepare(GeosContext& context, const GEOSGeometry* geometry) {
    GeosPrepared prepared(context.handle(), geometry ? GEOSPrepare_r(context.handle(), geometry) : nullptr);
    if (!prepared) throw std::runtime_error("GEOS could not prepare a geometry: " + context.take_last_error());
    return prepared;
}

}  // namespace hearth
