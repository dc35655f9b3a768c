#include <algorithm>
// Generates a synthetic England for benchmarks, at a chosen size, in British National
// Grid: LSOA-like polygons (Voronoi cells of home locations, so areas are small where
// homes are dense, densified to a realistic vertex count), clustered homes, green
// spaces, and public transport stops with AM-peak route frequencies.
//
//   hearth_synthetic OUT_FOLDER --homes N --areas N --greenspaces N --stops N [--seed S]
//
// Writes OUT_FOLDER/england.gpkg (layers lsoa, homes, greenspace) and
// OUT_FOLDER/stops.csv, OUT_FOLDER/frequencies.csv (NaPTAN / frequency recipes).

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/geometry/geos_context.hpp"

using namespace hearth;

namespace {

constexpr double kMinX = 150000, kMaxX = 650000, kMinY = 50000, kMaxY = 650000;  // England-sized box, metres
constexpr int kVerticesPerArea = 150;  // ONS full-resolution LSOAs have hundreds; generalised ones ~50-150

struct City {
    double x, y, sigma, weight;
};

std::vector<City> make_cities(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> ux(kMinX + 20000, kMaxX - 20000), uy(kMinY + 20000, kMaxY - 20000);
    std::vector<City> cities;
    double total = 0;
    for (int i = 0; i < 80; ++i) {
        const double weight = 1.0 / (i + 1);  // Zipf: one London, a few big cities, many towns
        cities.push_back({ux(rng), uy(rng), 2500 + 15000 * std::sqrt(weight), weight});
        total += weight;
    }
    for (auto& c : cities) c.weight /= total;
    return cities;
}

void home_locations(std::mt19937_64& rng, std::size_t n, std::vector<double>& x, std::vector<double>& y) {
    const auto cities = make_cities(rng);
    std::vector<double> weights;
    for (const auto& c : cities) weights.push_back(c.weight);
    std::discrete_distribution<int> pick(weights.begin(), weights.end());
    std::uniform_real_distribution<double> ux(kMinX, kMaxX), uy(kMinY, kMaxY), u(0, 1);
    std::normal_distribution<double> g(0, 1);
    x.resize(n);
    y.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        double px, py;
        do {
            if (u(rng) < 0.15) {
                px = ux(rng);
                py = uy(rng);
            } else {
                const City& c = cities[pick(rng)];
                px = c.x + g(rng) * c.sigma;
                py = c.y + g(rng) * c.sigma;
            }
        } while (px <= kMinX || px >= kMaxX || py <= kMinY || py >= kMaxY);
        x[i] = std::round(px * 10) / 10;
        y[i] = std::round(py * 10) / 10;
    }
}

OGRLayer* create_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type, OGRSpatialReference& crs,
                       bool spatial_index = true) {
    CPLStringList options;
    options.AddNameValue("SPATIAL_INDEX", spatial_index ? "YES" : "NO");
    options.AddNameValue("GEOMETRY_NAME", "geom");
    OGRLayer* l = ds.CreateLayer(name, &crs, type, options.List());
    if (!l) throw std::runtime_error(std::string("cannot create layer ") + name);
    return l;
}

void add_field(OGRLayer* l, const char* name, OGRFieldType type) {
    OGRFieldDefn f(name, type);
    if (l->CreateField(&f) != OGRERR_NONE) throw std::runtime_error(std::string("cannot create field ") + name);
}

class Batches {
public:
    explicit Batches(GDALDataset& ds) : ds_(ds) { ds_.StartTransaction(); }
    void tick() {
        if (++n_ % 200000 == 0) {
            if (ds_.CommitTransaction() != OGRERR_NONE) throw std::runtime_error("commit failed");
            ds_.StartTransaction();
        }
    }
    ~Batches() { ds_.CommitTransaction(); }
    Batches(const Batches&) = delete;
    Batches& operator=(const Batches&) = delete;

private:
    GDALDataset& ds_;
    std::size_t n_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Synthetic England for Hearth's benchmarks"};
    std::string folder;
    std::size_t homes = 1000000, areas = 4835, greenspaces = 6000, stops = 20000;
    std::uint64_t seed = 20261123;
    bool homes_without_index = false;
    app.add_option("OUT_FOLDER", folder)->required();
    app.add_option("--homes", homes);
    app.add_option("--areas", areas);
    app.add_option("--greenspaces", greenspaces);
    app.add_option("--stops", stops);
    app.add_option("--seed", seed);
    // Peers such as QGIS's count scan every point per polygon without it; Hearth reads the
    // homes whole and does not need it. SQLite builds it at 15-20 s per million rows.
    app.add_flag("--homes-without-index", homes_without_index, "Leave the homes layer's R-tree out (faster generation)");
    CLI11_PARSE(app, argc, argv);
    GDALAllRegister();
    std::filesystem::create_directories(folder);
    std::mt19937_64 rng(seed);
    OGRSpatialReference bng = parse_crs("EPSG:27700");

    std::vector<double> hx, hy;
    home_locations(rng, homes, hx, hy);

    const auto gpkg = std::filesystem::path(folder) / "england.gpkg";
    std::filesystem::remove(gpkg);
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr));

    // Areas: Voronoi cells of a random subset of homes, so they follow population like LSOAs.
    {
        GeosContext geos;
        GEOSContextHandle_t h = geos.handle();
        std::vector<GEOSGeometry*> seeds;
        std::uniform_int_distribution<std::size_t> pick(0, homes - 1);
        for (std::size_t i = 0; i < areas; ++i) {
            const std::size_t k = pick(rng);
            seeds.push_back(GEOSGeom_createPointFromXY_r(h, hx[k] + (i % 7) * 0.01, hy[k] + (i % 5) * 0.01));
        }
        GeosGeometry points(h, GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, seeds.data(), static_cast<unsigned>(seeds.size())));
        GeosGeometry frame(h, GEOSGeom_createRectangle_r(h, kMinX, kMinY, kMaxX, kMaxY));
        GeosGeometry cells(h, GEOSVoronoiDiagram_r(h, points.get(), frame.get(), 0.0, 0));
        if (!cells) throw std::runtime_error("Voronoi failed: " + geos.take_last_error());
        OGRLayer* layer = create_layer(*ds, "lsoa", wkbMultiPolygon, bng);
        add_field(layer, "lsoa_code", OFTString);
        add_field(layer, "imd_score", OFTReal);
        add_field(layer, "population", OFTInteger);
        // For hearth assess: a decile and health score that follow the score, and air quality.
        add_field(layer, "imd_decile", OFTInteger);
        add_field(layer, "health_score", OFTReal);
        add_field(layer, "no2", OFTReal);
        add_field(layer, "pm25", OFTReal);
        // A deprivation-like score: high in patches around some city centres, plus noise,
        // so that local statistics have clusters to find.
        const auto patches = make_cities(rng);
        std::normal_distribution<double> score_noise(0, 4);
        Batches batch(*ds);
        const int n = GEOSGetNumGeometries_r(h, cells.get());
        for (int i = 0; i < n; ++i) {
            GeosGeometry clipped(h, GEOSIntersection_r(h, GEOSGetGeometryN_r(h, cells.get(), i), frame.get()));
            double length = 0;
            GEOSLength_r(h, clipped.get(), &length);
            GeosGeometry dense(h, GEOSDensify_r(h, clipped.get(), length / kVerticesPerArea));
            OGRFeature f(layer->GetLayerDefn());
            char code[16];
            std::snprintf(code, sizeof code, "S%08d", i + 1);
            f.SetField(0, code);
            GeosGeometry centroid(h, GEOSGetCentroid_r(h, clipped.get()));
            double cx = 0, cy = 0;
            GEOSGeomGetX_r(h, centroid.get(), &cx);
            GEOSGeomGetY_r(h, centroid.get(), &cy);
            double score = 12 + score_noise(rng);
            for (std::size_t c = 0; c < patches.size(); c += 3)
                score += 30 * std::exp(-std::hypot(cx - patches[c].x, cy - patches[c].y) / 4000.0);
            f.SetField(1, std::max(0.5, score));
            f.SetField(2, 1000 + static_cast<int>(std::fmod(cx + cy, 1000.0)));
            const double worse = std::max(0.5, score);
            f.SetField(3, std::clamp(10 - static_cast<int>(worse / 6.0), 1, 10));
            f.SetField(4, (worse - 20.0) / 15.0);
            f.SetField(5, 15.0 + worse / 3.0);
            f.SetField(6, 7.0 + worse / 12.0);
            OGRGeometryUniquePtr g = to_ogr(geos, dense.get());
            f.SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(g.release()));
            if (layer->CreateFeature(&f) != OGRERR_NONE) throw std::runtime_error("write failed");
            batch.tick();
        }
    }
    std::cerr << "areas written\n";

    // Homes.
    {
        OGRLayer* layer = create_layer(*ds, "homes", wkbPoint, bng, !homes_without_index);
        add_field(layer, "uprn", OFTString);
        add_field(layer, "tenure", OFTString);
        add_field(layer, "homes", OFTInteger);
        add_field(layer, "X_COORDINATE", OFTReal);
        add_field(layer, "Y_COORDINATE", OFTReal);
        const char* tenures[] = {"Owner occupied", "Private rent", "Social rent", "Affordable rent", "Shared ownership"};
        std::discrete_distribution<int> tenure({62, 19, 14, 3, 2});
        std::discrete_distribution<int> units({90, 6, 3, 1});
        const int unit_values[] = {1, 2, 8, 40};
        Batches batch(*ds);
        for (std::size_t i = 0; i < homes; ++i) {
            OGRFeature f(layer->GetLayerDefn());
            f.SetField(0, std::to_string(100000000000ULL + i).c_str());
            f.SetField(1, tenures[tenure(rng)]);
            f.SetField(2, unit_values[units(rng)]);
            f.SetField(3, hx[i]);
            f.SetField(4, hy[i]);
            f.SetGeometryDirectly(new OGRPoint(hx[i], hy[i]));
            if (layer->CreateFeature(&f) != OGRERR_NONE) throw std::runtime_error("write failed");
            batch.tick();
        }
    }
    std::cerr << "homes written\n";

    // Green spaces: ellipses near homes, log-normal sizes (most under a hectare, a few over 500 ha).
    {
        OGRLayer* layer = create_layer(*ds, "greenspace", wkbMultiPolygon, bng);
        add_field(layer, "id", OFTString);
        add_field(layer, "function", OFTString);
        std::uniform_int_distribution<std::size_t> pick(0, homes - 1);
        std::lognormal_distribution<double> hectares(-0.5, 1.6);
        std::normal_distribution<double> jitter(0, 300);
        std::uniform_real_distribution<double> ratio(0.5, 2.0), angle(0, M_PI);
        Batches batch(*ds);
        for (std::size_t i = 0; i < greenspaces; ++i) {
            const std::size_t k = pick(rng);
            const double ha = std::min(3000.0, std::max(0.05, hectares(rng)));
            const double r = ratio(rng), a = std::sqrt(ha * 1e4 / M_PI * r), b = ha * 1e4 / M_PI / a, t0 = angle(rng);
            const double cx = hx[k] + jitter(rng), cy = hy[k] + jitter(rng);
            auto* ring = new OGRLinearRing;
            for (int v = 0; v <= 24; ++v) {
                const double t = 2 * M_PI * (v % 24) / 24;
                const double ex = a * std::cos(t), ey = b * std::sin(t);
                ring->addPoint(cx + ex * std::cos(t0) - ey * std::sin(t0), cy + ex * std::sin(t0) + ey * std::cos(t0));
            }
            auto* polygon = new OGRPolygon;
            polygon->addRingDirectly(ring);
            auto* multi = new OGRMultiPolygon;
            multi->addGeometryDirectly(polygon);
            OGRFeature f(layer->GetLayerDefn());
            f.SetField(0, ("G" + std::to_string(i + 1)).c_str());
            f.SetField(1, i % 10 == 0 ? "Playing Field" : "Public Park Or Garden");
            f.SetGeometryDirectly(multi);
            if (layer->CreateFeature(&f) != OGRERR_NONE) throw std::runtime_error("write failed");
            batch.tick();
        }
    }
    ds.reset();
    std::cerr << "green spaces written\n";

    // Stops near homes, in NaPTAN's columns; frequencies per stop and route.
    {
        std::ofstream s(std::filesystem::path(folder) / "stops.csv"), fq(std::filesystem::path(folder) / "frequencies.csv");
        s << "ATCOCode,CommonName,StopType,Easting,Northing\n";
        fq << "stop_id,route_id,mode,am_peak_services_per_hour\n";
        std::uniform_int_distribution<std::size_t> pick(0, homes - 1);
        std::normal_distribution<double> jitter(0, 80);
        std::uniform_real_distribution<double> u(0, 1);
        for (std::size_t i = 0; i < stops; ++i) {
            const std::size_t k = pick(rng);
            const double x = hx[k] + jitter(rng), y = hy[k] + jitter(rng);
            const bool rail = u(rng) < 0.03;
            char id[40];
            std::snprintf(id, sizeof id, "%s%08zu", rail ? "9100S" : "4900S", i);
            s << id << ",Stop " << i << "," << (rail ? "RSE" : "BCT") << "," << std::lround(x) << "," << std::lround(y) << "\n";
            // Routes are shared by stops in the same 3 km square, as real routes run along corridors.
            const long cell = static_cast<long>(x / 3000) * 1000 + static_cast<long>(y / 3000);
            const int n_routes = rail ? 1 + static_cast<int>(u(rng) * 2) : 1 + static_cast<int>(u(rng) * 4);
            for (int r = 0; r < n_routes; ++r)
                fq << id << "," << (rail ? "R" : "B") << cell << "_" << r << "," << (rail ? "rail" : "bus") << ","
                   << (rail ? 2 + static_cast<int>(u(rng) * 10) : 2 + static_cast<int>(u(rng) * 12)) << "\n";
        }
    }
    std::cerr << "stops written\n";
    return 0;
}
