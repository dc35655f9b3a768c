// PostGIS as a team's shared home for Hearth's inputs and outputs, against a real
// PostgreSQL 15 + PostGIS server started for the tests (tests/postgis_cluster, the ctest
// fixture "postgis"): a round trip equal to the GeoPackage export, styles QGIS reads,
// all or nothing, runs at once, credentials and errors that never show a password, and a
// study reading its layers from the database.

#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <thread>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <ogrsf_frmts.h>

#include "test_support.hpp"

namespace {

using hearth::test::kSampleStudy;
using hearth::test::run_hearth;
using hearth::test::run_shell;
using hearth::test::shell_quote;
using hearth::test::TempDir;
using hearth::test::write_text;

const std::filesystem::path kState = HEARTH_POSTGIS_STATE;
const std::string kStudy = (kSampleStudy / "study.yaml").string();

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

/// The cluster's connection string ("host=... password=..."), or "" without the fixture.
std::string conninfo() {
    std::ifstream in(kState / "conninfo");
    std::string line;
    std::getline(in, line);
    return trimmed(line);
}

/// The value of `key` in the connection string.
std::string part(const std::string& key) {
    const std::string c = conninfo(), k = key + "=";
    const auto at = c.find(k);
    return at == std::string::npos ? "" : c.substr(at + k.size(), c.find(' ', at) - at - k.size());
}

/// The first column of every row of `sql` (none for none); fails the test on a server error.
std::vector<std::string> query_rows(const std::string& sql, const std::string& connection = conninfo()) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(connection.c_str()), &PQfinish);
    EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), sql.c_str()), &PQclear);
    const auto status = PQresultStatus(r.get());
    EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) << sql << ": " << PQresultErrorMessage(r.get());
    std::vector<std::string> out;
    if (status == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r.get()); ++i) out.emplace_back(PQgetvalue(r.get(), i, 0));
    return out;
}

/// query_rows, with at least one row: a failed query or none reads as "".
std::vector<std::string> query(const std::string& sql, const std::string& connection = conninfo()) {
    std::vector<std::string> out = query_rows(sql, connection);
    if (out.empty()) out.emplace_back();
    return out;
}

std::vector<std::string> tables_in(const std::string& schema) {
    return query_rows("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "' ORDER BY 1");
}

class PostgisTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (conninfo().empty()) GTEST_SKIP() << "no test cluster: run through ctest (fixture 'postgis')";
    }
    TempDir dir;
};

/// Every row of a layer as text (fields and geometry WKT), in fid order.
std::vector<std::string> rows_of(OGRLayer& layer) {
    std::vector<std::string> rows;
    layer.ResetReading();
    for (auto& f : layer) {
        std::string row;
        for (int i = 0; i < f->GetFieldCount(); ++i)
            row += std::string(f->GetFieldDefnRef(i)->GetNameRef()) + "=" + (f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "") + ";";
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            char* wkt = nullptr;
            g->exportToWkt(&wkt);
            row += wkt;
            CPLFree(wkt);
        }
        rows.push_back(row);
    }
    return rows;
}

TEST_F(PostgisTest, ARoundTripEqualsTheGeoPackageExport) {
    const auto r = run_hearth({"--overwrite", "--schema", "roundtrip", "export", "--study", kStudy, "--out", "PG:" + conninfo()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The summary names the database, never the password.
    EXPECT_EQ(r.out.find(part("password")), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("password=***"), std::string::npos) << r.out;

    const auto& gpkg_path = hearth::test::sample_export().gpkg;
    GDALDatasetUniquePtr gpkg(GDALDataset::Open(gpkg_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    GDALDatasetUniquePtr pg(GDALDataset::Open(("PG:" + conninfo()).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(gpkg && pg);
    int compared = 0;
    for (auto* layer : gpkg->GetLayers()) {
        const std::string name = layer->GetName();
        if (name == "layer_styles") continue;
        OGRLayer* table = pg->GetLayerByName(("roundtrip." + name).c_str());
        ASSERT_NE(table, nullptr) << name;
        EXPECT_EQ(rows_of(*table), rows_of(*layer)) << name;
        if (layer->GetGeomType() != wkbNone) {
            EXPECT_EQ(table->GetSpatialRef()->GetAuthorityCode(nullptr), std::string("27700")) << name;
            EXPECT_EQ(query("SELECT count(*) FROM pg_indexes WHERE schemaname = 'roundtrip' AND tablename = '" + name +
                            "' AND indexdef LIKE '%gist%'")[0],
                      "1")
                << name;
        }
        ++compared;
    }
    EXPECT_EQ(compared, 12);
    // Comments from the descriptions, primary keys.
    EXPECT_NE(query("SELECT obj_description('roundtrip.housing_stock'::regclass)")[0].find("ILLUSTRATIVE"), std::string::npos);
    EXPECT_FALSE(query("SELECT col_description('roundtrip.wards'::regclass, 2)")[0].empty());
    EXPECT_EQ(query("SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'roundtrip' AND "
                    "constraint_type = 'PRIMARY KEY'")[0],
              "12");
}

TEST_F(PostgisTest, StylesAreInQgisStyleTable) {
    ASSERT_EQ(run_hearth({"-q", "--overwrite", "--schema", "styled", "access", "--study", kStudy, "--out", "PG:" + conninfo()}).exit_code, 0);
    const auto names = query("SELECT f_table_name FROM public.layer_styles WHERE f_table_schema = 'styled' AND useasdefault "
                             "AND f_geometry_column = 'geom' AND styleqml::text LIKE '%<qgis%' ORDER BY 1");
    EXPECT_EQ(names, (std::vector<std::string>{"home_access", "lsoa_deprivation_access", "ptal_grid", "wards_access"}));
    // Written again with --overwrite: one style per table, not two.
    ASSERT_EQ(run_hearth({"-q", "--overwrite", "--schema", "styled", "access", "--study", kStudy, "--out", "PG:" + conninfo()}).exit_code, 0);
    EXPECT_EQ(query("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'styled'")[0], "4");
}

TEST_F(PostgisTest, AnExistingTableStopsTheRunAndLeavesTheSchemaAsItWas) {
    query("CREATE SCHEMA IF NOT EXISTS kept; DROP TABLE IF EXISTS kept.wards; CREATE TABLE kept.wards (id int)");
    const auto r = run_hearth({"--schema", "kept", "export", "--study", kStudy, "--out", "PG:" + conninfo()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("schema 'kept': table 'wards': the table exists; --overwrite replaces it"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    // The layers written before wards in the same run are gone with it.
    EXPECT_EQ(tables_in("kept"), std::vector<std::string>{"wards"});
}

TEST_F(PostgisTest, AKilledRunLeavesNothing) {
    query("DROP SCHEMA IF EXISTS killed CASCADE");
    for (const int signal : {SIGKILL, SIGINT}) {
        const auto pid_file = dir / "pid";
        run_shell("HEARTH_TEST_PAUSE_BEFORE_COMMIT_S=60 " + shell_quote(HEARTH_BINARY) + " -q --schema killed export --study " +
                  shell_quote(kStudy) + " --out " + shell_quote("PG:" + conninfo()) + " >/dev/null 2>&1 & echo $! > " +
                  shell_quote(pid_file.string()));
        const std::string pid = trimmed(hearth::test::read_text(pid_file));
        // Wait until the run has written its tables and waits to commit.
        // Wait until the run has written its tables and waits to commit (its last
        // statement was the ANALYZE of its last table).
        const std::string waiting_run = "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND "
                                        "query LIKE 'ANALYZE \"killed\".%'";
        bool waiting = false;
        for (int i = 0; i < 300 && !waiting; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            waiting = query(waiting_run)[0] == "1";
        }
        ASSERT_TRUE(waiting);
        run_shell("kill -" + std::to_string(signal) + " " + pid + "; while kill -0 " + pid + " 2>/dev/null; do sleep 0.1; done");
        for (int i = 0; i < 100 && query(waiting_run)[0] != "0"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        EXPECT_EQ(query("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'killed'")[0], "0") << signal;
        // No style row either (nor QGIS's style table, when the killed run was to create it).
        if (query("SELECT to_regclass('public.layer_styles') IS NOT NULL")[0] == "t") {
            EXPECT_EQ(query("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'killed'")[0], "0") << signal;
        }
    }
}

TEST_F(PostgisTest, TwoRunsAtOnceBothSucceed) {
    query("DROP SCHEMA IF EXISTS together CASCADE");
    const std::string hearth = shell_quote(HEARTH_BINARY) + " -q --schema together ";
    const std::string out = shell_quote("PG:" + conninfo());
    const auto r = run_shell("(" + hearth + "access --study " + shell_quote(kStudy) + " --out " + out + "; echo a$?) & (" + hearth +
                             "pockets --study " + shell_quote(kStudy) + " --out " + out + "; echo p$?) & wait");
    EXPECT_NE(r.out.find("a0"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("p0"), std::string::npos) << r.out << r.err;
    const auto tables = tables_in("together");
    for (const char* t : {"home_access", "ptal_grid", "deprivation_pockets", "pocket_areas"})
        EXPECT_NE(std::find(tables.begin(), tables.end(), t), tables.end()) << t;
}

TEST_F(PostgisTest, CredentialsComeAsLibpqReadsThem) {
    // No password in the string: PGPASSWORD, then a password file.
    const std::string without = "host=127.0.0.1 port=" + part("port") + " dbname=hearth_test user=hearth_admin";
    const std::string gpkg = hearth::test::sample_export().gpkg.string();
    const std::string cmd = shell_quote(HEARTH_BINARY) + " -q --overwrite --schema creds count --points " +
                            shell_quote(gpkg + "|layername=housing_stock") + " --areas " +
                            shell_quote(gpkg + "|layername=wards") + " --area-id ward_code --out " + shell_quote("PG:" + without);
    EXPECT_EQ(run_shell("PGPASSWORD=" + shell_quote(part("password")) + " " + cmd).exit_code, 0);
    const auto pgpass = dir / "pgpass";
    write_text(pgpass, "127.0.0.1:" + part("port") + ":hearth_test:hearth_admin:" + part("password") + "\n");
    std::filesystem::permissions(pgpass, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const auto r = run_shell("PGPASSFILE=" + shell_quote(pgpass.string()) + " " + cmd);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(tables_in("creds").size(), 1u);
}

TEST_F(PostgisTest, EachFailureIsOneLineNamingTheServerWithoutThePassword) {
    const std::string base = "host=127.0.0.1 port=" + part("port") + " user=hearth_admin ";
    auto run = [&](const std::string& connection, const std::string& schema = "errs") {
        return run_hearth({"--schema", schema, "export", "--study", kStudy, "--out", "PG:" + connection});
    };
    auto expect = [&](const hearth::test::CommandResult& r, const std::string& what, const std::string& secret) {
        EXPECT_EQ(r.exit_code, 1) << what;
        EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    };
    expect(run(base + "dbname=hearth_test password=wrong-secret-123"), "authentication failed", "wrong-secret-123");
    expect(run("host=127.0.0.1 port=1 dbname=hearth_test user=hearth_admin password=s3cr3t-unused connect_timeout=5"),
           "server not reachable", "s3cr3t-unused");
    expect(run(base + "dbname=hearth_no_postgis password=" + part("password")), "PostGIS extension is not installed",
           part("password"));
    // A role that may connect but not create: the schema cannot be written.
    expect(run("host=127.0.0.1 port=" + part("port") + " dbname=hearth_test user=hearth_reader password=" + part("password"),
               "readonly_target"),
           "permission denied", part("password"));
    EXPECT_EQ(query("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'readonly_target'")[0], "0");
}

TEST_F(PostgisTest, PointsReadFromPostgisCountAsFromTheGeoPackage) {
    ASSERT_EQ(run_hearth({"-q", "--overwrite", "--schema", "points", "export", "--study", kStudy, "--out", "PG:" + conninfo()}).exit_code, 0);
    const std::string gpkg = hearth::test::sample_export().gpkg.string();
    auto count = [&](const std::string& points, const std::string& out) {
        const auto r = run_hearth({"-q", "count", "--points", points, "--areas", gpkg + "|layername=wards", "--area-id",
                                   "ward_code", "--by", "tenure", "--sum", "homes", "--out", out});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        return ds ? rows_of(*ds->GetLayer(0)) : std::vector<std::string>{};
    };
    const auto from_file = count(gpkg + "|layername=housing_stock", (dir / "file.gpkg").string());
    const auto from_database = count("PG:" + conninfo() + "|layername=points.housing_stock", (dir / "db.gpkg").string());
    ASSERT_EQ(from_file.size(), 21u);
    EXPECT_EQ(from_database, from_file);
}

TEST_F(PostgisTest, AnAssessmentsLayersGoToTheTeamsDatabaseToo) {
    const auto briefs = kSampleStudy / "briefs";
    const auto r = run_hearth({"-q", "--overwrite", "--schema", "briefs", "assess", "--study", kStudy, "--brief",
                               (briefs / "high_road_west_scheme.yaml").string(), "--brief",
                               (briefs / "lower_density_alternative.yaml").string(), "--out", (dir / "a").string(),
                               "--postgis", "PG:" + conninfo()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "a" / "report.html"));
    EXPECT_EQ(query("SELECT count(*) FROM briefs.site")[0], "2");
    EXPECT_EQ(query("SELECT count(DISTINCT brief) FROM briefs.catchment_areas")[0], "2");
    EXPECT_EQ(query("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'briefs'")[0],
              query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'briefs'")[0]);

    // The database refusing (its tables exist, no --overwrite) leaves no file either.
    const auto again = run_hearth({"-q", "--schema", "briefs", "assess", "--study", kStudy, "--brief",
                                   (briefs / "high_road_west_scheme.yaml").string(), "--out", (dir / "b").string(),
                                   "--postgis", "PG:" + conninfo()});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("the table exists"), std::string::npos) << again.err;
    for (const char* f : {"assessment.gpkg", "scorecard.json", "scorecard.csv", "report.html"})
        EXPECT_FALSE(std::filesystem::exists(dir / "b" / f)) << f;
}

TEST_F(PostgisTest, AStudyReadsItsLayersFromPostgis) {
    ASSERT_EQ(run_hearth({"-q", "--overwrite", "--schema", "team", "export", "--study", kStudy, "--out", "PG:" + conninfo()}).exit_code, 0);
    // The team's study: wards and homes from the database, the rest from files.
    const std::string sample = kSampleStudy.string();
    write_text(dir / "study.yaml",
               "name: Team study\nlayers:\n"
               "  - {name: wards, source: 'PG:" + conninfo() + "', layer: team.wards, recipe: ons_wards}\n"
               "  - {name: housing_stock, source: 'PG:" + conninfo() + "', layer: team.housing_stock, recipe: housing_stock}\n");
    const auto out = dir / "team.gpkg";
    const auto r = run_hearth({"export", "--study", (dir / "study.yaml").string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find(part("password")), std::string::npos) << r.out;
    GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayerByName("wards")->GetFeatureCount(), 21);
    EXPECT_EQ(ds->GetLayerByName("housing_stock")->GetFeatureCount(), 2610);
    // A layer read from the database says where from, without the password.
    const std::string description = hearth::test::read_text(out).find(part("password")) == std::string::npos ? "clean" : "leak";
    EXPECT_EQ(description, "clean");
    // A layer may be an SQL query: the Tottenham wards only.
    write_text(dir / "query.yaml",
               "name: Query study\nlayers:\n"
               "  - {name: wards, source: 'PG:" + conninfo() + "', recipe: ons_wards,\n"
               "     layer: \"SELECT ward_code, ward_name, lad_code, lad_name, geom FROM team.wards WHERE ward_name LIKE 'Tottenham%'\"}\n");
    const auto q = run_hearth({"-q", "export", "--study", (dir / "query.yaml").string(), "--out", (dir / "q.gpkg").string()});
    ASSERT_EQ(q.exit_code, 0) << q.err;
    GDALDatasetUniquePtr qs(GDALDataset::Open((dir / "q.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(qs);
    EXPECT_EQ(std::to_string(qs->GetLayerByName("wards")->GetFeatureCount()),
              query("SELECT count(*) FROM team.wards WHERE ward_name LIKE 'Tottenham%'")[0]);
    EXPECT_GT(qs->GetLayerByName("wards")->GetFeatureCount(), 0);
    // A query that fails names the database, not the password.
    write_text(dir / "bad_query.yaml", "name: Q\nlayers:\n  - {name: wards, source: 'PG:" + conninfo() +
                                           "', recipe: ons_wards, layer: 'SELECT * FROM team.nowhere'}\n");
    const auto bq = run_hearth({"export", "--study", (dir / "bad_query.yaml").string(), "--out", (dir / "bq.gpkg").string()});
    EXPECT_EQ(bq.exit_code, 1);
    EXPECT_NE(bq.err.find("SQL query on PG:"), std::string::npos) << bq.err;
    EXPECT_EQ(bq.err.find(part("password")), std::string::npos) << bq.err;
    EXPECT_EQ(std::count(bq.err.begin(), bq.err.end(), '\n'), 1) << bq.err;

    // A table that is not there is an error naming it, not the password.
    write_text(dir / "missing.yaml", "name: M\nlayers:\n  - {name: wards, source: 'PG:" + conninfo() +
                                         "', layer: team.nowhere, recipe: ons_wards}\n");
    const auto m = run_hearth({"export", "--study", (dir / "missing.yaml").string(), "--out", (dir / "m.gpkg").string()});
    EXPECT_EQ(m.exit_code, 1);
    EXPECT_NE(m.err.find("team.nowhere"), std::string::npos) << m.err;
    EXPECT_EQ(m.err.find(part("password")), std::string::npos) << m.err;
}

}  // namespace
