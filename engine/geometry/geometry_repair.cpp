#include "hearth/geometry/geometry_repair.hpp"

#include <stdexcept>

namespace hearth {

namespace {

struct MakeValidParams {
    GEOSContextHandle_t context;
    GEOSMakeValidParams* params;
    explicit MakeValidParams(GEOSContextHandle_t c) : context(c), params(GEOSMakeValidParams_create_r(c)) {
        if (!params) throw std::runtime_error("GEOS: could not create MakeValid parameters");
        GEOSMakeValidParams_setMethod_r(c, params, GEOS_MAKE_VALID_STRUCTURE);
        GEOSMakeValidParams_setKeepCollapsed_r(c, params, 0);
    }
    ~MakeValidParams() { GEOSMakeValidParams_destroy_r(context, params); }
    MakeValidParams(const MakeValidParams&) = delete;
    MakeValidParams& operator=(const MakeValidParams&) = delete;
};

}  // namespace

RepairOutcome repair_geometry(GeosContext& context, OGRGeometryUniquePtr& geometry) {
    if (!geometry || geometry->IsEmpty()) return RepairOutcome::AlreadyValid;
    const GeosGeometry input = to_geos(context, *geometry);
    if (geos_predicate(context, GEOSisValid_r(context.handle(), input.get()), "validity check"))
        return RepairOutcome::AlreadyValid;

    const MakeValidParams params(context.handle());
    GeosGeometry valid(context.handle(), GEOSMakeValidWithParams_r(context.handle(), input.get(), params.params));
    if (!valid) throw std::runtime_error("GEOS MakeValid failed: " + context.take_last_error());

    const int dimension = geometry->getDimension();
    OGRGeometryUniquePtr repaired(OGRGeometryFactory::createFromGEOS(context.handle(), const_cast<GEOSGeometry*>(valid.get())));
    if (!repaired) throw std::runtime_error("could not convert the repaired geometry back from GEOS");
    if (repaired->IsEmpty() || repaired->getDimension() < dimension) {
        geometry.reset();
        return RepairOutcome::Collapsed;
    }
    geometry = std::move(repaired);
    return RepairOutcome::Repaired;
}

}  // namespace hearth
