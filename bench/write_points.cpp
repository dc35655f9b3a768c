// Writes N homes (a UPRN, a distance, a flag and a landlord) with their GeoPackage
// R-tree through Hearth's writer, times it, and checks the index: SQLite's rtreecheck()
// and a count. scripts/bench times ogr2ogr copying the same file as the peer.
// With OUT "PG:<connection>", writes them into PostGIS instead (COPY, GiST index, style,
// one transaction; table bench_points.homes, replaced) and checks the row count.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <CLI/CLI.hpp>
#include <gdal_priv.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "hearth/export/geopackage_writer.hpp"
#include "hearth/export/postgis_writer.hpp"
#include "hearth/geometry/crs.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Time Hearth's GeoPackage point writer with its R-tree"};
    std::string out;
    std::size_t n = 1000000;
    app.add_option("OUT", out)->required();
    app.add_option("--points", n);
    CLI11_PARSE(app, argc, argv);
    GDALAllRegister();
    using namespace hearth;

    PointTable homes;
    homes.name = "homes";
    homes.crs = parse_crs("EPSG:27700");
    std::mt19937_64 random(20261125);
    std::uniform_real_distribution<double> x(503000, 561000), y(155000, 201000), d(0, 2000);
    std::vector<std::int64_t> uprn(n);
    std::vector<double> distance(n);
    std::vector<std::int64_t> meets(n);
    std::vector<std::int32_t> landlord(n);
    for (std::size_t i = 0; i < n; ++i) {
        homes.x.push_back(x(random));
        homes.y.push_back(y(random));
        uprn[i] = 100000000 + static_cast<std::int64_t>(i);
        distance[i] = d(random);
        meets[i] = distance[i] < 300;
        landlord[i] = static_cast<std::int32_t>(i % 4);
    }
    homes.columns.push_back(PointColumn::integer("uprn", "", std::move(uprn)));
    homes.columns.push_back(PointColumn::real("distance_m", "", std::move(distance)));
    homes.columns.push_back(PointColumn::integer("meets_300m", "", std::move(meets)));
    homes.columns.push_back(PointColumn::coded("landlord", "", std::move(landlord),
                                               {"Council", "Housing association", "Private", "Unknown"}));
    if (is_postgis_output(out)) {
        const LayerStyle style;
        const auto start = std::chrono::steady_clock::now();
        write_postgis(postgis_target(out, "bench_points", true), {{nullptr, &style, &homes}});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        PGconn* c = PQconnectdb(out.substr(3).c_str());
        PGresult* r = PQexec(c, "SELECT count(*) FROM bench_points.homes WHERE geom && ST_MakeEnvelope(0, 0, 700000, 1300000, 27700)");
        const long long rows = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) : -1;
        PQclear(r);
        PQfinish(c);
        std::printf("%.3f %s %lld\n", seconds, rows == static_cast<long long>(n) ? "ok" : "wrong", rows);
        return rows == static_cast<long long>(n) ? 0 : 1;
    }
    std::filesystem::remove(out);
    const auto start = std::chrono::steady_clock::now();
    write_geopackage(out, {{nullptr, nullptr, &homes}});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    sqlite3* db = nullptr;
    sqlite3_open_v2(out.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT rtreecheck('rtree_homes_geom'), (SELECT count(*) FROM rtree_homes_geom)", -1, &s, nullptr);
    std::string check = "no answer";
    long long entries = -1;
    if (sqlite3_step(s) == SQLITE_ROW) {
        check = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        entries = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    std::printf("%.3f %s %lld\n", seconds, check.c_str(), entries);
    return check == "ok" && entries == static_cast<long long>(n) ? 0 : 1;
}
