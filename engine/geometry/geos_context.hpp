#pragma once
// Small RAII owners for the GEOS reentrant C API. One GeosContext per thread; every
// GeosGeometry remembers the context it was made in and is destroyed with it.
// GEOS reports errors through a message handler; the handler only records the
// message (never throws through C code) and callers throw after the call returns.

#include <string>
#include <utility>
#include <vector>

#include <ogr_geometry.h>

#define USE_UNSTABLE_GEOS_CPP_API 0
#include <geos_c.h>


namespace hearth {

class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    GeosContext(GeosContext&&) = delete;
    GeosContext& operator=(GeosContext&&) = delete;

    GEOSContextHandle_t handle() const noexcept { return handle_; }

    /// The last message GEOS reported, cleared by the call.
    std::string take_last_error();

private:
    static void on_message(const char* message, void* self);
    GEOSContextHandle_t handle_;
    std::string last_error_;
};

/// Owns one GEOSGeometry. Move-only.
class GeosGeometry {
public:
    GeosGeometry() = default;
    GeosGeometry(GEOSContextHandle_t context, GEOSGeometry* geometry) noexcept
        : context_(context), geometry_(geometry) {}
    ~GeosGeometry() { reset(); }
    GeosGeometry(const GeosGeometry&) = delete;
    GeosGeometry& operator=(const GeosGeometry&) = delete;
    GeosGeometry(GeosGeometry&& other) noexcept
        : context_(other.context_), geometry_(std::exchange(other.geometry_, nullptr)) {}
    GeosGeometry& operator=(GeosGeometry&& other) noexcept {
        if (this != &other) {
            reset();
            context_ = other.context_;
            geometry_ = std::exchange(other.geometry_, nullptr);
        }
        return *this;
    }

    const GEOSGeometry* get() const noexcept { return geometry_; }
    explicit operator bool() const noexcept { return geometry_ != nullptr; }
    /// Gives up ownership, for GEOS calls that take it.
    GEOSGeometry* release() noexcept { return std::exchange(geometry_, nullptr); }
    void reset() noexcept {
        if (geometry_) GEOSGeom_destroy_r(context_, geometry_);
        geometry_ = nullptr;
    }

private:
    GEOSContextHandle_t context_ = nullptr;
    GEOSGeometry* geometry_ = nullptr;
};

/// Owns a prepared geometry (an indexed form for repeated predicate tests). It refers
/// to its base geometry, which must outlive it. Move-only.
class GeosPrepared {
public:
    GeosPrepared() = default;
    GeosPrepared(GEOSContextHandle_t context, const GEOSPreparedGeometry* prepared) noexcept
        : context_(context), prepared_(prepared) {}
    ~GeosPrepared() { reset(); }
    GeosPrepared(const GeosPrepared&) = delete;
    GeosPrepared& operator=(const GeosPrepared&) = delete;
    GeosPrepared(GeosPrepared&& other) noexcept
        : context_(other.context_), prepared_(std::exchange(other.prepared_, nullptr)) {}
    GeosPrepared& operator=(GeosPrepared&& other) noexcept {
        if (this != &other) {
            reset();
            context_ = other.context_;
            prepared_ = std::exchange(other.prepared_, nullptr);
        }
        return *this;
    }
    const GEOSPreparedGeometry* get() const noexcept { return prepared_; }
    explicit operator bool() const noexcept { return prepared_ != nullptr; }
    void reset() noexcept {
        if (prepared_) GEOSPreparedGeom_destroy_r(context_, prepared_);
        prepared_ = nullptr;
    }

private:
    GEOSContextHandle_t context_ = nullptr;
    const GEOSPreparedGeometry* prepared_ = nullptr;
};

/// GEOS predicates return 1 true, 0 false and 2 on exception; 2 must not read as true.
/// Throws std::runtime_error with the context's last message on 2.
bool geos_predicate(GeosContext& context, char result, const char* what);

/// ISO WKB of a geometry (empty for null or empty), for handing to GEOS in other threads.
std::vector<unsigned char> to_wkb(const OGRGeometry* geometry);

/// WKB -> GEOS; throws std::runtime_error when GEOS cannot read it.
GeosGeometry geos_from_wkb(GeosContext& context, const std::vector<unsigned char>& wkb);

/// GEOS -> OGR; throws std::runtime_error on failure.
OGRGeometryUniquePtr to_ogr(GeosContext& context, const GEOSGeometry* geometry);

/// OGR -> GEOS; throws std::runtime_error when GEOS rejects the geometry.
GeosGeometry to_geos(GeosContext& context, const OGRGeometry& geometry);

/// A prepared form of `geometry`; std::runtime_error with GEOS's message when GEOS cannot
/// prepare it.
GeosPrepared prepare(GeosContext& context, const GEOSGeometry* geometry);

}  // namespace hearth
