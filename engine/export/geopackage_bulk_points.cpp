#include "hearth/export/geopackage_bulk_points.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include <sqlite3.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/phase_timer.hpp"
#include "hearth/export/geopackage_rtree.hpp"

namespace hearth {

namespace {

struct CloseDatabase {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

class Writer {
public:
    Writer(const std::filesystem::path& file, const std::filesystem::path& out) : out_(out) {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
        db_.reset(db);
        if (rc != SQLITE_OK) fail("cannot open the GeoPackage for bulk writing");
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw OutputError(out_.string() + ": " + what + (db_ ? std::string(" (SQLite: ") + sqlite3_errmsg(db_.get()) + ")" : ""));
    }

    void execute(const std::string& sql) {
        if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot run " + sql);
    }

    Statement prepare(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail("cannot prepare " + sql);
        return Statement(s);
    }

    void bind_ok(int rc) const {
        if (rc != SQLITE_OK) fail("cannot bind a value");
    }

    void step_done(sqlite3_stmt* s, const std::string& what) const {
        if (sqlite3_step(s) != SQLITE_DONE) fail(what);
    }

    sqlite3* handle() const { return db_.get(); }

private:
    std::filesystem::path out_;
    Database db_;
};

std::string sql_identifier(const std::string& identifier) {
    std::string q = "\"";
    for (char c : identifier) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

/// GeoPackage binary geometry (GeoPackage 1.3, 2.1.3): "GP", version 0, flags, srs_id,
/// [envelope], then ISO WKB, all little endian. A point has no envelope (it is its own);
/// a grid cell, a square MultiPolygon, has its [minx, maxx, miny, maxy] envelope, as GDAL
/// writes for polygons and the R-tree triggers read.
class GeometryBlob {
public:
    GeometryBlob(std::int32_t srs_id, double cell_m) : half_(cell_m / 2), cell_(cell_m > 0) {
        static_assert(std::endian::native == std::endian::little, "GeoPackage blobs are built little endian");
        bytes_.assign(cell_ ? kCellSize : kPointSize, 0);
        bytes_[0] = 'G';
        bytes_[1] = 'P';
        bytes_[2] = 0;                        // version 1
        bytes_[3] = cell_ ? 0x03 : 0x01;      // little endian; envelope [minx, maxx, miny, maxy] for cells
        std::memcpy(&bytes_[4], &srs_id, 4);
        if (!cell_) {
            put_u8(8, 1);    // WKB little endian
            put_u32(9, 1);   // Point
            return;
        }
        put_u8(40, 1);
        put_u32(41, 6);  // MultiPolygon
        put_u32(45, 1);  // one polygon
        put_u8(49, 1);
        put_u32(50, 3);  // Polygon
        put_u32(54, 1);  // one ring
        put_u32(58, 5);  // five points, closed
    }

    const unsigned char* at(double x, double y) {
        if (!cell_) {
            put_f64(13, x);
            put_f64(21, y);
            return bytes_.data();
        }
        const double x0 = x - half_, x1 = x + half_, y0 = y - half_, y1 = y + half_;
        put_f64(8, x0);
        put_f64(16, x1);
        put_f64(24, y0);
        put_f64(32, y1);
        // Anticlockwise exterior ring, as GeoPackage (and OGC SFA 1.2.1) prefer.
        const double ring[10] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
        for (int k = 0; k < 10; ++k) put_f64(62 + 8 * k, ring[k]);
        return bytes_.data();
    }
    int size() const { return static_cast<int>(bytes_.size()); }

private:
    static constexpr std::size_t kPointSize = 8 + 21;
    static constexpr std::size_t kCellSize = 8 + 32 + 9 + 9 + 4 + 5 * 16;
    void put_u8(std::size_t at, std::uint8_t v) { bytes_[at] = v; }
    void put_u32(std::size_t at, std::uint32_t v) { std::memcpy(&bytes_[at], &v, 4); }
    void put_f64(std::size_t at, double v) { std::memcpy(&bytes_[at], &v, 8); }

    double half_;
    bool cell_;
    std::vector<unsigned char> bytes_;
};

constexpr std::size_t kRowsPerTransaction = 1'000'000;
constexpr std::size_t kRowsPerStatement = 256;
constexpr std::size_t kMaxParameters = 32766;  // SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32

// The SQL functions the GeoPackage R-tree extension's triggers call (GeoPackage 1.3,
// Annex F.3: ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY, ST_MaxY). GDAL registers them on
// its own connections; on ours they read the blobs this writer makes: the envelope when
// the header has one, else the coordinates of a WKB point. Anything else is NULL.
struct BlobBounds {
    bool empty = true;
    double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};

std::optional<BlobBounds> blob_bounds(sqlite3_value* value) {
    if (sqlite3_value_type(value) != SQLITE_BLOB) return std::nullopt;
    const auto* b = static_cast<const unsigned char*>(sqlite3_value_blob(value));
    const int n = sqlite3_value_bytes(value);
    if (n < 8 || b[0] != 'G' || b[1] != 'P') return std::nullopt;
    const unsigned flags = b[3];
    const bool little = flags & 0x01;
    BlobBounds r;
    if (flags & 0x10) return r;  // empty geometry
    if (!little) return std::nullopt;
    const int envelope = (flags >> 1) & 0x07;
    constexpr int kEnvelopeBytes[] = {0, 32, 48, 48, 64};
    if (envelope > 4) return std::nullopt;
    const int wkb = 8 + kEnvelopeBytes[envelope];
    r.empty = false;
    if (envelope > 0 && n >= wkb) {
        std::memcpy(&r.min_x, b + 8, 8);
        std::memcpy(&r.max_x, b + 16, 8);
        std::memcpy(&r.min_y, b + 24, 8);
        std::memcpy(&r.max_y, b + 32, 8);
        return r;
    }
    std::uint32_t type = 0;
    if (n < wkb + 21 || b[wkb] != 1) return std::nullopt;
    std::memcpy(&type, b + wkb + 1, 4);
    if (type % 1000 != 1) return std::nullopt;  // a point, 2D or with Z/M
    std::memcpy(&r.min_x, b + wkb + 5, 8);
    std::memcpy(&r.min_y, b + wkb + 13, 8);
    r.max_x = r.min_x;
    r.max_y = r.min_y;
    if (std::isnan(r.min_x)) r.empty = true;  // POINT EMPTY as WKB
    return r;
}

template <double BlobBounds::*member>
void st_bound(sqlite3_context* context, int, sqlite3_value** argv) {
    const auto bounds = blob_bounds(argv[0]);
    if (!bounds || bounds->empty) return sqlite3_result_null(context);
    sqlite3_result_double(context, (*bounds).*member);
}

void st_is_empty(sqlite3_context* context, int, sqlite3_value** argv) {
    const auto bounds = blob_bounds(argv[0]);
    if (!bounds) return sqlite3_result_null(context);
    sqlite3_result_int(context, bounds->empty ? 1 : 0);
}

/// The ST_* functions GDAL's R-tree triggers call; false when SQLite refused one.
bool register_rtree_functions(sqlite3* db) {
    constexpr int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    using Function = void (*)(sqlite3_context*, int, sqlite3_value**);
    const std::pair<const char*, Function> functions[] = {{"ST_IsEmpty", st_is_empty},
                                                          {"ST_MinX", st_bound<&BlobBounds::min_x>},
                                                          {"ST_MaxX", st_bound<&BlobBounds::max_x>},
                                                          {"ST_MinY", st_bound<&BlobBounds::min_y>},
                                                          {"ST_MaxY", st_bound<&BlobBounds::max_y>}};
    for (const auto& [name, function] : functions)
        if (sqlite3_create_function(db, name, 1, flags, nullptr, function, nullptr, nullptr) != SQLITE_OK) return false;
    return true;
}

/// What the rows go into, learnt before the first is written.
struct TableFacts {
    std::string table;
    std::int32_t srs_id = 0;
    std::string geometry_column;
    std::string fid_column;
    std::int64_t first_fid = 1;  ///< row ids are given, so that the R-tree can name them
    std::vector<std::pair<std::string, std::string>> count_triggers;  ///< (name, SQL), dropped meanwhile
    std::string rtree;                 ///< rtree_<table>_<geometry column>
    std::string rtree_insert_trigger;  ///< its SQL; empty when the table has no R-tree
};

/// Reads the table's facts and sets aside the triggers a bulk insert must not fire.
TableFacts set_triggers_aside(Writer& w, const std::string& table) {
    TableFacts f;
    f.table = table;
    {
        Statement s = w.prepare("SELECT srs_id, column_name FROM gpkg_geometry_columns WHERE table_name = ?");
        w.bind_ok(sqlite3_bind_text(s.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT));
        if (sqlite3_step(s.get()) != SQLITE_ROW) w.fail("no geometry column registered for '" + table + "'");
        f.srs_id = sqlite3_column_int(s.get(), 0);
        f.geometry_column = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1));
    }

    // GDAL keeps gpkg_ogr_contents' count with a trigger that runs an UPDATE per inserted
    // row (a third of the time of a bulk insert); it is set out of its way, the count
    // written once below, and the trigger put back as it was.
    {
        Statement s = w.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                                "AND name LIKE 'trigger_insert_feature_count_%'");
        w.bind_ok(sqlite3_bind_text(s.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT));
        while (sqlite3_step(s.get()) == SQLITE_ROW)
            f.count_triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)),
                                        reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1)));
    }
    for (const auto& [name, sql] : f.count_triggers) w.execute("DROP TRIGGER " + sql_identifier(name));

    // The R-tree GDAL made (unless asked not to) is filled in one pass after the rows
    // (bulk_load_rtree), not by its insert trigger a row at a time; the trigger is put
    // back for whoever edits the file later.
    f.rtree = "rtree_" + table + "_" + f.geometry_column;
    bool has_rtree = false;
    {
        Statement s = w.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
        w.bind_ok(sqlite3_bind_text(s.get(), 1, f.rtree.c_str(), -1, SQLITE_TRANSIENT));
        has_rtree = sqlite3_step(s.get()) == SQLITE_ROW;
    }
    if (has_rtree) {
        Statement s = w.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        const std::string name = f.rtree + "_insert";
        w.bind_ok(sqlite3_bind_text(s.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT));
        if (sqlite3_step(s.get()) != SQLITE_ROW) w.fail("no insert trigger for the R-tree '" + f.rtree + "'");
        f.rtree_insert_trigger = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
        w.execute("DROP TRIGGER " + sql_identifier(name));
    }

    // Row ids are given, not left to AUTOINCREMENT, so that the R-tree can name them.
    {
        Statement s = w.prepare("SELECT name FROM pragma_table_info(?) WHERE pk = 1");
        w.bind_ok(sqlite3_bind_text(s.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT));
        if (sqlite3_step(s.get()) != SQLITE_ROW) w.fail("no primary key in '" + table + "'");
        f.fid_column = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
        Statement m = w.prepare("SELECT coalesce(max(" + sql_identifier(f.fid_column) + "), 0) + 1 FROM " +
                                sql_identifier(table));
        if (sqlite3_step(m.get()) != SQLITE_ROW) w.fail("cannot read the row ids of '" + table + "'");
        f.first_fid = sqlite3_column_int64(m.get(), 0);
    }

    return f;
}

/// Puts the triggers back, as GDAL made them, for whoever edits the file later.
void restore_triggers(Writer& w, const TableFacts& facts) {
    for (const auto& [name, sql] : facts.count_triggers) w.execute(sql);
    if (!facts.rtree_insert_trigger.empty()) w.execute(facts.rtree_insert_trigger);
}

}  // namespace

void append_point_rows(const std::filesystem::path& file, const std::filesystem::path& out, const PointTable& points,
                       GDALProgressFunc progress, void* progress_data) {
    points.check();
    Writer w(file, out);
    if (!register_rtree_functions(w.handle())) w.fail("cannot register the R-tree trigger functions");
    // The file is a temporary one renamed only on success: no journal is needed.
    w.execute("PRAGMA journal_mode = OFF");
    w.execute("PRAGMA synchronous = OFF");
    w.execute("PRAGMA locking_mode = EXCLUSIVE");
    w.execute("PRAGMA cache_size = -262144");  // 256 MiB of pages: the B-tree stays in memory while it grows

    const TableFacts facts = set_triggers_aside(w, points.name);
    const std::string& table = facts.table;
    const std::string& geometry_column = facts.geometry_column;
    const std::string& fid_column = facts.fid_column;
    const std::string& rtree = facts.rtree;
    const std::int32_t srs_id = facts.srs_id;
    const std::int64_t first_fid = facts.first_fid;
    const bool has_rtree = !facts.rtree_insert_trigger.empty();

    // Many rows a statement: SQLite's fixed cost per statement (starting the program, and
    // AUTOINCREMENT's sqlite_sequence row read and written) is then paid once per batch.
    const std::size_t per_row = points.columns.size() + 2;
    auto insert_sql = [&](std::size_t rows) {
        std::string row = "(?, ?";
        for (std::size_t k = 0; k < points.columns.size(); ++k) row += ", ?";
        row += ")";
        std::string sql = "INSERT INTO " + sql_identifier(table) + " (" + sql_identifier(fid_column) + ", " +
                          sql_identifier(geometry_column);
        for (const auto& c : points.columns) sql += ", " + sql_identifier(c.definition.name);
        sql += ") VALUES ";
        for (std::size_t r = 0; r < rows; ++r) sql += (r ? ", " : "") + row;
        return sql;
    };
    const std::size_t batch = std::max<std::size_t>(1, std::min<std::size_t>(kRowsPerStatement, kMaxParameters / per_row));
    Statement full_batch = w.prepare(insert_sql(batch));
    std::vector<GeometryBlob> blobs(batch, GeometryBlob(srs_id, points.cell_m));

    auto bind_row = [&](sqlite3_stmt* s, int first, std::size_t i, GeometryBlob& blob) {
        const double x = points.x[i], y = points.y[i];
        w.bind_ok(sqlite3_bind_int64(s, first, first_fid + static_cast<std::int64_t>(i)));
        w.bind_ok(sqlite3_bind_blob(s, first + 1, blob.at(x, y), blob.size(), SQLITE_STATIC));
        for (std::size_t k = 0; k < points.columns.size(); ++k) {
            const PointColumn& c = points.columns[k];
            const int at = first + static_cast<int>(k) + 2;
            int rc = SQLITE_OK;
            switch (c.kind) {
                case PointColumn::Kind::Real:
                    rc = std::isfinite(c.reals[i]) ? sqlite3_bind_double(s, at, c.reals[i]) : sqlite3_bind_null(s, at);
                    break;
                case PointColumn::Kind::Integer:
                    rc = c.integers[i] == kNullInteger ? sqlite3_bind_null(s, at) : sqlite3_bind_int64(s, at, c.integers[i]);
                    break;
                case PointColumn::Kind::Text:
                    rc = c.texts[i].empty() ? sqlite3_bind_null(s, at)
                                            : sqlite3_bind_text(s, at, c.texts[i].data(), static_cast<int>(c.texts[i].size()),
                                                                SQLITE_STATIC);
                    break;
                case PointColumn::Kind::Coded: {
                    const std::int32_t code = c.codes[i];
                    rc = code < 0 ? sqlite3_bind_null(s, at)
                                  : sqlite3_bind_text(s, at, c.labels[code].data(), static_cast<int>(c.labels[code].size()),
                                                      SQLITE_STATIC);
                    break;
                }
            }
            w.bind_ok(rc);
        }
    };

    // The R-tree is packed on another core while SQLite takes the rows on this one.
    std::future<PackedRtree> packed_rtree;
    if (has_rtree) {
        const std::size_t node_size = empty_rtree_node_size(w.handle(), out, rtree);
        packed_rtree = std::async(std::launch::async, [&points, node_size, first_fid] {
            const double half = points.cell_m > 0 ? points.cell_m / 2 : 0.0;
            std::vector<RtreeEntry> entries(points.size());
            for (std::size_t i = 0; i < points.size(); ++i)
                entries[i] = {first_fid + static_cast<std::int64_t>(i), points.x[i] - half, points.x[i] + half,
                              points.y[i] - half, points.y[i] + half};
            return pack_rtree(std::move(entries), node_size);
        });
    }

    double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    const double half_cell = points.cell_m > 0 ? points.cell_m / 2 : 0.0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        min_x = std::min(min_x, points.x[i] - half_cell);
        min_y = std::min(min_y, points.y[i] - half_cell);
        max_x = std::max(max_x, points.x[i] + half_cell);
        max_y = std::max(max_y, points.y[i] + half_cell);
    }
    w.execute("BEGIN");
    std::size_t in_transaction = 0;
    for (std::size_t start = 0; start < points.size(); start += batch) {
        const std::size_t rows = std::min(batch, points.size() - start);
        Statement last_batch;
        if (rows < batch) last_batch = w.prepare(insert_sql(rows));
        sqlite3_stmt* s = rows == batch ? full_batch.get() : last_batch.get();
        for (std::size_t r = 0; r < rows; ++r) bind_row(s, static_cast<int>(r * per_row) + 1, start + r, blobs[r]);
        w.step_done(s, "cannot write points " + std::to_string(start + 1) + " to " + std::to_string(start + rows) +
                           " of '" + table + "'");
        sqlite3_reset(s);
        in_transaction += rows;
        if (progress && (start / batch) % 64 == 0 &&
            !progress(static_cast<double>(start + rows) / static_cast<double>(points.size()), "writing rows", progress_data))
            throw OutputError(out.string() + ": cancelled");
        if (in_transaction >= kRowsPerTransaction) {
            w.execute("COMMIT");
            w.execute("BEGIN");
            in_transaction = 0;
        }
    }
    w.execute("COMMIT");

    if (has_rtree) {
        const PackedRtree tree = packed_rtree.get();
        const PhaseTimer phase("R-tree of " + table);
        w.execute("BEGIN");
        write_rtree(w.handle(), out, rtree, tree);
        w.execute("COMMIT");
    }
    restore_triggers(w, facts);

    if (points.size() > 0) {
        Statement extent = w.prepare("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?");
        w.bind_ok(sqlite3_bind_double(extent.get(), 1, min_x));
        w.bind_ok(sqlite3_bind_double(extent.get(), 2, min_y));
        w.bind_ok(sqlite3_bind_double(extent.get(), 3, max_x));
        w.bind_ok(sqlite3_bind_double(extent.get(), 4, max_y));
        w.bind_ok(sqlite3_bind_text(extent.get(), 5, table.c_str(), -1, SQLITE_TRANSIENT));
        w.step_done(extent.get(), "cannot record the extent of '" + table + "'");
    }
    // GDAL's own count of features (its gpkg_ogr_contents extension), when the file has it.
    bool has_counts = false;
    {
        Statement s = w.prepare("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'");
        has_counts = sqlite3_step(s.get()) == SQLITE_ROW;
    }
    if (has_counts) {
        Statement count = w.prepare("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)");
        w.bind_ok(sqlite3_bind_int64(count.get(), 1, static_cast<sqlite3_int64>(points.size())));
        w.bind_ok(sqlite3_bind_text(count.get(), 2, table.c_str(), -1, SQLITE_TRANSIENT));
        w.step_done(count.get(), "cannot record the feature count of '" + table + "'");
    }
}

}  // namespace hearth
