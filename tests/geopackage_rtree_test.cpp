// The R-tree bulk loader against SQLite's own R*Tree: the same entries inserted one by
// one through SQL are the reference, and SQLite's rtreecheck() judges the structure.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <sqlite3.h>

#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_rtree.hpp"

using namespace hearth;

namespace {

struct CloseDatabase {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

class MemoryDatabase {
public:
    MemoryDatabase() {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
        db_.reset(db);
    }
    sqlite3* get() const { return db_.get(); }
    void exec(const std::string& sql) const {
        char* message = nullptr;
        const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message);
        const std::string text = message ? message : "";
        sqlite3_free(message);
        ASSERT_EQ(rc, SQLITE_OK) << sql << ": " << text;
    }
    std::vector<std::vector<std::string>> rows(const std::string& sql) const {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* s = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
        while (s && sqlite3_step(s) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int c = 0; c < sqlite3_column_count(s); ++c) {
                const auto* text = sqlite3_column_text(s, c);
                row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(s);
        return out;
    }
    /// The first row's columns as doubles, read as doubles (text would round them).
    std::vector<double> reals(const std::string& sql) const {
        std::vector<double> out;
        sqlite3_stmt* s = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
        if (s && sqlite3_step(s) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(s); ++c) out.push_back(sqlite3_column_double(s, c));
        sqlite3_finalize(s);
        return out;
    }
    std::string one(const std::string& sql) const {
        const auto r = rows(sql);
        return r.empty() ? "" : r[0][0];
    }

private:
    std::unique_ptr<sqlite3, CloseDatabase> db_;
};

/// The GeoPackage R-tree layout (GeoPackage 1.3 F.3).
void create_rtree(const MemoryDatabase& db, const std::string& name) {
    db.exec("CREATE VIRTUAL TABLE \"" + name + "\" USING rtree(id, minx, maxx, miny, maxy)");
}

/// The reference: SQLite's own insertion, one entry at a time.
void insert_one_by_one(const MemoryDatabase& db, const std::string& name, const std::vector<RtreeEntry>& entries) {
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db.get(), ("INSERT INTO \"" + name + "\" VALUES (?, ?, ?, ?, ?)").c_str(), -1, &s, nullptr),
              SQLITE_OK);
    for (const auto& e : entries) {
        sqlite3_bind_int64(s, 1, e.id);
        sqlite3_bind_double(s, 2, e.min_x);
        sqlite3_bind_double(s, 3, e.max_x);
        sqlite3_bind_double(s, 4, e.min_y);
        sqlite3_bind_double(s, 5, e.max_y);
        ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

/// Homes scattered over a London-sized square in British National Grid metres, a few
/// of them grid cells (boxes) rather than points, ids not in spatial order.
std::vector<RtreeEntry> scattered(std::size_t n, unsigned seed) {
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<double> x(503000.123, 561000.987), y(155000.5, 201000.25);
    std::vector<RtreeEntry> entries;
    for (std::size_t i = 0; i < n; ++i) {
        const double px = x(random), py = y(random), half = (i % 10 == 0) ? 50.0 : 0.0;
        entries.push_back({static_cast<std::int64_t>((i * 7919) % n + 1), px - half, px + half, py - half, py + half});
    }
    return entries;
}

std::set<std::string> window(const MemoryDatabase& db, const std::string& name, double x0, double x1, double y0, double y1) {
    std::set<std::string> ids;
    const auto rows = db.rows("SELECT id FROM \"" + name + "\" WHERE maxx >= " + std::to_string(x0) + " AND minx <= " +
                              std::to_string(x1) + " AND maxy >= " + std::to_string(y0) + " AND miny <= " +
                              std::to_string(y1));
    for (const auto& r : rows) ids.insert(r[0]);
    return ids;
}

}  // namespace

TEST(RtreeBulkLoadTest, RoundsBoundsToFloatsExactlyAsSqliteDoes) {
    MemoryDatabase db;
    create_rtree(db, "r");
    const std::vector<double> values = {530123.456789, -0.1, 0.1, -123456.789, 16777217.0, 1e-40, -1e-40, 0.0, 190000.0};
    std::vector<RtreeEntry> entries;
    for (std::size_t i = 0; i < values.size(); ++i)
        entries.push_back({static_cast<std::int64_t>(i + 1), values[i], values[i], values[i], values[i]});
    insert_one_by_one(db, "r", entries);
    for (std::size_t i = 0; i < values.size(); ++i) {
        SCOPED_TRACE(values[i]);
        const auto row = db.reals("SELECT minx, maxx FROM r WHERE id = " + std::to_string(i + 1));
        ASSERT_EQ(row.size(), 2u);
        EXPECT_EQ(row[0], static_cast<double>(detail::rtree_value_down(values[i])));
        EXPECT_EQ(row[1], static_cast<double>(detail::rtree_value_up(values[i])));
        // Conservative for every normal float (SQLite's rule does not widen subnormals).
        if (values[i] == 0 || std::fabs(values[i]) > 1e-37) {
            EXPECT_LE(detail::rtree_value_down(values[i]), values[i]);
            EXPECT_GE(detail::rtree_value_up(values[i]), values[i]);
        }
    }
}

// Sizes around the node capacity (51 cells for SQLite's default 4 KiB pages): a root
// alone, a root just full, one level more, and a three-level tree.
class RtreeBulkLoadSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(RtreeBulkLoadSizes, HoldsTheSameEntriesAsSqlitesOwnInsertionAndPassesRtreecheck) {
    const std::size_t n = GetParam();
    MemoryDatabase db;
    create_rtree(db, "bulk");
    create_rtree(db, "reference");
    auto entries = scattered(n, 42 + n);
    insert_one_by_one(db, "reference", entries);
    bulk_load_rtree(db.get(), "test.gpkg", "bulk", entries);

    EXPECT_EQ(db.one("SELECT rtreecheck('bulk')"), "ok");
    EXPECT_EQ(db.one("SELECT count(*) FROM bulk"), std::to_string(n));
    EXPECT_EQ(db.rows("SELECT * FROM bulk ORDER BY id"), db.rows("SELECT * FROM reference ORDER BY id"));
    EXPECT_EQ(db.one("SELECT count(*) FROM bulk_rowid"), std::to_string(n));
    // Every window query through the index finds what SQLite's own tree finds.
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> x(500000, 565000), y(150000, 205000), size(10, 8000);
    for (int q = 0; q < 50; ++q) {
        const double x0 = x(random), y0 = y(random), w = size(random), h = size(random);
        EXPECT_EQ(window(db, "bulk", x0, x0 + w, y0, y0 + h), window(db, "reference", x0, x0 + w, y0, y0 + h)) << q;
    }
}

INSTANTIATE_TEST_SUITE_P(AroundNodeCapacity, RtreeBulkLoadSizes,
                         ::testing::Values(std::size_t{1}, std::size_t{51}, std::size_t{52}, std::size_t{2602},
                                           std::size_t{20000}));

TEST(RtreeBulkLoadTest, ABulkLoadedTreeKeepsWorkingUnderSqlitesOwnInsertsAndDeletes) {
    MemoryDatabase db;
    create_rtree(db, "r");
    auto entries = scattered(5000, 3);
    bulk_load_rtree(db.get(), "test.gpkg", "r", entries);
    db.exec("DELETE FROM r WHERE id % 3 = 0");
    db.exec("INSERT INTO r VALUES (100001, 530000, 530001, 180000, 180001)");
    db.exec("UPDATE r SET minx = 520000, maxx = 520000 WHERE id = 10");
    EXPECT_EQ(db.one("SELECT rtreecheck('r')"), "ok");
    EXPECT_EQ(db.one("SELECT count(*) FROM r"), std::to_string(5000 - 5000 / 3 + 1));
    EXPECT_EQ(window(db, "r", 529999, 530002, 179999, 180002).count("100001"), 1u);
}

TEST(RtreeBulkLoadTest, NoEntriesLeaveTheEmptyTreeValid) {
    MemoryDatabase db;
    create_rtree(db, "r");
    std::vector<RtreeEntry> none;
    bulk_load_rtree(db.get(), "test.gpkg", "r", none);
    EXPECT_EQ(db.one("SELECT rtreecheck('r')"), "ok");
    EXPECT_EQ(db.one("SELECT count(*) FROM r"), "0");
}

TEST(RtreeBulkLoadTest, ATreeThatAlreadyHasEntriesIsRefusedNamingIt) {
    MemoryDatabase db;
    create_rtree(db, "rtree_homes_geom");
    db.exec("INSERT INTO rtree_homes_geom VALUES (1, 0, 1, 0, 1)");
    auto entries = scattered(10, 1);
    try {
        bulk_load_rtree(db.get(), "out.gpkg", "rtree_homes_geom", entries);
        FAIL() << "a non-empty tree was loaded";
    } catch (const OutputError& e) {
        EXPECT_NE(std::string(e.what()).find("out.gpkg: R-tree 'rtree_homes_geom': is not empty"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(db.one("SELECT count(*) FROM rtree_homes_geom"), "1");
}
