#include "hearth/export/postgis_writer.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>

#include <libpq-fe.h>
#include <ogr_geometry.h>

#include "hearth/core/errors.hpp"
#include "hearth/export/atomic_output.hpp"
#include "hearth/export/qgis_style.hpp"

namespace hearth {

namespace {

struct ConnectionCloser {
    void operator()(PGconn* c) const { PQfinish(c); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
struct ResultClearer {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

std::string first_line(const char* message) {
    std::string m = message ? message : "";
    if (const auto nl = m.find('\n'); nl != std::string::npos) m.erase(nl);
    while (!m.empty() && (m.back() == ' ' || m.back() == '\r')) m.pop_back();
    if (m.rfind("ERROR:  ", 0) == 0) m.erase(0, 8);
    if (m.rfind("FATAL:  ", 0) == 0) m.erase(0, 8);
    return redact_secrets(m);
}

/// One run's session: every error names the server, the schema and the table at hand.
class Session {
public:
    explicit Session(const PostgisTarget& target) : target_(target) {
        conn_.reset(PQconnectdb(target.connection.c_str()));
        if (!conn_) throw OutputError("PostGIS: out of memory connecting");
        server_ = describe_server();
        if (PQstatus(conn_.get()) != CONNECTION_OK) {
            const std::string why = first_line(PQerrorMessage(conn_.get()));
            const bool auth = why.find("authentication") != std::string::npos || why.find("password") != std::string::npos;
            throw OutputError("PostGIS " + server_ + ": " + (auth ? "authentication failed: " : "server not reachable: ") + why);
        }
        server_ = describe_server();
        exec("SET client_min_messages = warning", "set up the session");
    }

    const std::string& server() const { return server_; }
    PGconn* get() const { return conn_.get(); }

    [[noreturn]] void fail(const std::string& table, const std::string& what) const {
        throw OutputError("PostGIS " + server_ + ": schema '" + target_.schema + "'" +
                          (table.empty() ? "" : ": table '" + table + "'") + ": " + what);
    }

    Result exec(const std::string& sql, const std::string& what, const std::string& table = {}) const {
        Result r(PQexec(conn_.get(), sql.c_str()));
        check(r, what, table);
        return r;
    }

    Result exec_params(const std::string& sql, const std::vector<std::string>& values, const std::vector<bool>& nulls,
                       const std::string& what, const std::string& table) const {
        std::vector<const char*> params;
        for (std::size_t i = 0; i < values.size(); ++i) params.push_back(nulls.size() > i && nulls[i] ? nullptr : values[i].c_str());
        Result r(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr, params.data(), nullptr,
                              nullptr, 0));
        check(r, what, table);
        return r;
    }

    std::string identifier(const std::string& name) const {
        char* quoted = PQescapeIdentifier(conn_.get(), name.c_str(), name.size());
        if (!quoted) fail(name, "cannot quote the name: " + first_line(PQerrorMessage(conn_.get())));
        std::string out = quoted;
        PQfreemem(quoted);
        return out;
    }

    std::string literal(const std::string& text) const {
        char* quoted = PQescapeLiteral(conn_.get(), text.c_str(), text.size());
        if (!quoted) fail({}, "cannot quote a value: " + first_line(PQerrorMessage(conn_.get())));
        std::string out = quoted;
        PQfreemem(quoted);
        return out;
    }

private:
    void check(const Result& r, const std::string& what, const std::string& table) const {
        const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) return;
        const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
        const std::string message = first_line(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
        if (state && std::strcmp(state, "42501") == 0) fail(table, "cannot " + what + ": permission denied (" + message + ")");
        fail(table, "cannot " + what + ": " + message);
    }

    /// user@host:port/database, from what libpq resolved (the string, PG* variables,
    /// a service file): never the password.
    std::string describe_server() const {
        const char* host = PQhost(conn_.get());
        const char* port = PQport(conn_.get());
        const char* db = PQdb(conn_.get());
        const char* user = PQuser(conn_.get());
        std::string s;
        if (user && *user) s += std::string(user) + "@";
        s += host && *host ? host : "localhost";
        if (port && *port) s += std::string(":") + port;
        if (db && *db) s += std::string("/") + db;
        return redact_secrets(s);
    }

    const PostgisTarget& target_;
    Connection conn_;
    std::string server_;
};

const char* postgis_type(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
        case wkbPoint: return "Point";
        case wkbMultiPoint: return "MultiPoint";
        case wkbLineString: return "LineString";
        case wkbMultiLineString: return "MultiLineString";
        case wkbPolygon: return "Polygon";
        case wkbMultiPolygon: return "MultiPolygon";
        default: return "Geometry";
    }
}

const char* column_type(FieldType type) {
    switch (type) {
        case FieldType::Integer: return "bigint";
        case FieldType::Real: return "double precision";
        case FieldType::String: return "text";
    }
    return "text";
}

int srid_of(const OGRSpatialReference& crs) {
    OGRSpatialReference copy(crs);
    const char* authority = copy.GetAuthorityName(nullptr);
    if (!authority || std::strcmp(authority, "EPSG") != 0) copy.AutoIdentifyEPSG();
    authority = copy.GetAuthorityName(nullptr);
    const char* code = copy.GetAuthorityCode(nullptr);
    if (!authority || std::strcmp(authority, "EPSG") != 0 || !code) return 0;
    return std::atoi(code);
}

// ---- COPY binary format (PostgreSQL's documented "binary file format"): the server reads
// numbers and geometries (EWKB, geometry_recv) without parsing text.

void put_be(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

class BinaryRow {
public:
    explicit BinaryRow(std::string& out) : out_(out) {}
    void begin(int fields) { put_be(out_, static_cast<std::uint16_t>(fields), 2); }
    void null() { put_be(out_, 0xffffffffu, 4); }
    void int8(std::int64_t v) {
        put_be(out_, 8, 4);
        put_be(out_, static_cast<std::uint64_t>(v), 8);
    }
    void float8(double v) {
        if (!std::isfinite(v)) return null();
        std::uint64_t bits = 0;
        std::memcpy(&bits, &v, 8);
        put_be(out_, 8, 4);
        put_be(out_, bits, 8);
    }
    void text(const std::string& v) {
        put_be(out_, static_cast<std::uint32_t>(v.size()), 4);
        out_ += v;
    }
    void bytes(const unsigned char* b, std::size_t n) {
        put_be(out_, static_cast<std::uint32_t>(n), 4);
        out_.append(reinterpret_cast<const char*>(b), n);
    }
    void value(const FieldValue& v) {
        if (std::holds_alternative<std::monostate>(v)) null();
        else if (const auto* i = std::get_if<std::int64_t>(&v)) int8(*i);
        else if (const auto* d = std::get_if<double>(&v)) float8(*d);
        else text(std::get<std::string>(v));
    }
    /// EWKB: OGR's little-endian WKB (the old OGC variant, whose Z flag is EWKB's) with
    /// the SRID flag and the SRID after the type.
    void ewkb(const OGRGeometry& g, int srid, std::vector<unsigned char>& buffer) {
        buffer.resize(static_cast<std::size_t>(g.WkbSize()) + 4);
        if (g.exportToWkb(wkbNDR, buffer.data() + 4, wkbVariantOldOgc) != OGRERR_NONE)
            throw std::runtime_error("a geometry cannot be written as WKB");
        // Move the byte-order mark and the type 4 bytes forward, then put the SRID after them.
        std::memmove(buffer.data(), buffer.data() + 4, 5);
        std::uint32_t type = 0;
        std::memcpy(&type, buffer.data() + 1, 4);
        type |= 0x20000000u;
        const auto s = static_cast<std::uint32_t>(srid);
        std::memcpy(buffer.data() + 1, &type, 4);
        std::memcpy(buffer.data() + 5, &s, 4);
        bytes(buffer.data(), buffer.size());
    }
    void point(double x, double y, int srid) {
        unsigned char b[25];
        b[0] = 1;
        const std::uint32_t type = 1u | 0x20000000u, s = static_cast<std::uint32_t>(srid);
        std::memcpy(b + 1, &type, 4);
        std::memcpy(b + 5, &s, 4);
        std::memcpy(b + 9, &x, 8);
        std::memcpy(b + 17, &y, 8);
        bytes(b, sizeof b);
    }

private:
    std::string& out_;
};

/// Streams rows into COPY ... FROM STDIN (FORMAT binary) in chunks of about a megabyte.
class CopyStream {
public:
    CopyStream(const Session& session, const std::string& sql, const std::string& table)
        : session_(session), table_(table) {
        session.exec(sql, "start copying rows", table);
        buffer_.append("PGCOPY\n\377\r\n\0", 11);
        put_be(buffer_, 0, 4);  // flags
        put_be(buffer_, 0, 4);  // header extension length
    }
    BinaryRow row() { return BinaryRow(buffer_); }
    void row_done() {
        if (buffer_.size() > (1u << 20)) flush();
    }
    void finish() {
        put_be(buffer_, 0xffff, 2);  // trailer
        flush();
        if (PQputCopyEnd(session_.get(), nullptr) != 1)
            session_.fail(table_, "cannot end the copy: " + first_line(PQerrorMessage(session_.get())));
        Result r(PQgetResult(session_.get()));
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
            session_.fail(table_, "cannot copy the rows: " + first_line(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(session_.get())));
        while (PGresult* rest = PQgetResult(session_.get())) PQclear(rest);
    }

private:
    void flush() {
        if (buffer_.empty()) return;
        if (PQputCopyData(session_.get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1)
            session_.fail(table_, "cannot copy the rows: " + first_line(PQerrorMessage(session_.get())));
        buffer_.clear();
    }
    const Session& session_;
    std::string table_;
    std::string buffer_;
};

const char* kLayerStylesTable = R"(CREATE TABLE IF NOT EXISTS public.layer_styles (
  id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
  f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean,
  description text, owner varchar(63) DEFAULT CURRENT_USER, ui xml,
  update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar))";

}  // namespace

bool is_postgis_output(const std::string& out) { return out.rfind("PG:", 0) == 0; }

PostgisTarget postgis_target(const std::string& out, const std::string& schema, bool overwrite) {
    if (!is_postgis_output(out)) throw std::invalid_argument("not a PG: output");
    PostgisTarget t;
    t.connection = out.substr(3);
    if (!schema.empty()) t.schema = schema;
    t.overwrite = overwrite;
    // libpq reads an empty string as "every default" (PG* variables, the service file):
    // that is a connection, so it is allowed.
    return t;
}

void write_postgis(const PostgisTarget& target, const std::vector<StyledLayer>& layers, GDALProgressFunc progress,
                   void* progress_data) {
    handle_stop_signals();  // a stopped run ends, its connection goes, the server rolls back
    Session session(target);
    {
        const Result r = session.exec("SELECT extversion FROM pg_extension WHERE extname = 'postgis'", "look for PostGIS");
        if (PQntuples(r.get()) == 0)
            session.fail({}, "the PostGIS extension is not installed in this database (CREATE EXTENSION postgis)");
    }
    const std::string schema = session.identifier(target.schema);
    std::size_t total_rows = 0, done_rows = 0;
    for (const auto& l : layers) total_rows += l.points ? l.points->size() : l.table->features.size();

    session.exec("BEGIN", "begin a transaction");
    // Runs writing into one schema wait for each other here (the lock ends with the
    // transaction), so their CREATE SCHEMA and style rows never collide.
    session.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", {"hearth schema " + target.schema}, {}, "lock the schema", {});
    session.exec("CREATE SCHEMA IF NOT EXISTS " + schema, "create the schema");
    {
        // QGIS's style table, created by the first run that finds it missing; runs into
        // other schemas creating it at the same moment wait for each other here.
        const Result exists = session.exec("SELECT to_regclass('public.layer_styles') IS NOT NULL", "look for public.layer_styles");
        if (std::strcmp(PQgetvalue(exists.get(), 0, 0), "t") != 0) {
            session.exec("SELECT pg_advisory_xact_lock(hashtext('hearth public.layer_styles'))", "lock public.layer_styles");
            session.exec(kLayerStylesTable, "create public.layer_styles (QGIS's style table)");
        }
    }

    std::vector<unsigned char> wkb;
    for (const auto& l : layers) {
        // A point table's layer as the GeoPackage writer sees it: one description of it.
        const FeatureTable point_schema = l.points ? point_table_schema(*l.points) : FeatureTable{};
        const FeatureTable& shape = l.points ? point_schema : *l.table;
        const std::string table = schema + "." + session.identifier(shape.name);
        const Result exists = session.exec_params("SELECT to_regclass($1) IS NOT NULL", {table}, {}, "look for the table", shape.name);
        if (std::strcmp(PQgetvalue(exists.get(), 0, 0), "t") == 0) {
            if (!target.overwrite) session.fail(shape.name, "the table exists; --overwrite replaces it");
            session.exec("DROP TABLE " + table, "drop the table it replaces", shape.name);
            session.exec_params("DELETE FROM public.layer_styles WHERE f_table_schema = $1 AND f_table_name = $2",
                                {target.schema, shape.name}, {}, "remove the replaced table's style", shape.name);
        }
        const bool spatial = shape.has_geometry();
        const int srid = spatial ? srid_of(shape.crs) : 0;
        if (spatial && srid == 0) session.fail(shape.name, "the layer's CRS has no EPSG code for PostGIS");

        std::string create = "CREATE TABLE " + table + " (fid bigint PRIMARY KEY";
        std::string columns = "fid";
        for (const auto& f : shape.fields) {
            create += ", " + session.identifier(f.name) + " " + column_type(f.type);
            columns += ", " + session.identifier(f.name);
        }
        if (spatial) {
            create += std::string(", geom geometry(") + postgis_type(shape.geometry_type) + ", " + std::to_string(srid) + ")";
            columns += ", geom";
        }
        session.exec(create + ")", "create the table", shape.name);

        CopyStream copy(session, "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)", shape.name);
        const int row_fields = 1 + static_cast<int>(shape.fields.size()) + (spatial ? 1 : 0);
        auto tick = [&] {
            if (progress && ++done_rows % 65536 == 0 && total_rows)
                progress(static_cast<double>(done_rows) / total_rows, "writing to PostGIS", progress_data);
        };
        if (l.points) {
            const PointTable& p = *l.points;
            for (std::size_t i = 0; i < p.size(); ++i) {
                BinaryRow row = copy.row();
                row.begin(row_fields);
                row.int8(static_cast<std::int64_t>(i + 1));
                for (const auto& c : p.columns) {
                    switch (c.kind) {
                        case PointColumn::Kind::Real: row.float8(c.reals[i]); break;
                        case PointColumn::Kind::Integer:
                            if (c.integers[i] == kNullInteger) row.null();
                            else row.int8(c.integers[i]);
                            break;
                        case PointColumn::Kind::Text:
                            if (c.texts[i].empty()) row.null();
                            else row.text(c.texts[i]);
                            break;
                        case PointColumn::Kind::Coded:
                            if (c.codes[i] < 0) row.null();
                            else row.text(c.labels[static_cast<std::size_t>(c.codes[i])]);
                            break;
                    }
                }
                if (p.cell_m > 0) {
                    const double h = p.cell_m / 2;
                    OGRMultiPolygon cell;
                    OGRPolygon square;
                    OGRLinearRing ring;
                    ring.addPoint(p.x[i] - h, p.y[i] - h);
                    ring.addPoint(p.x[i] + h, p.y[i] - h);
                    ring.addPoint(p.x[i] + h, p.y[i] + h);
                    ring.addPoint(p.x[i] - h, p.y[i] + h);
                    ring.addPoint(p.x[i] - h, p.y[i] - h);
                    square.addRing(&ring);
                    cell.addGeometry(&square);
                    row.ewkb(cell, srid, wkb);
                } else {
                    row.point(p.x[i], p.y[i], srid);
                }
                copy.row_done();
                tick();
            }
        } else {
            const FeatureTable& t = *l.table;
            std::int64_t fid = 0;
            for (const auto& f : t.features) {
                BinaryRow row = copy.row();
                row.begin(row_fields);
                row.int8(++fid);
                for (const auto& v : f.values) row.value(v);
                if (spatial) {
                    if (!f.geometry || f.geometry->IsEmpty()) {
                        row.null();
                    } else if (wkbFlatten(f.geometry->getGeometryType()) != wkbFlatten(t.geometry_type) &&
                               std::strcmp(postgis_type(t.geometry_type), "Geometry") != 0) {
                        // A polygon in a multipolygon layer (GeoPackage takes both; a typed
                        // PostGIS column takes its own type only).
                        OGRGeometryUniquePtr forced(OGRGeometryFactory::forceTo(f.geometry->clone(), t.geometry_type));
                        row.ewkb(*forced, srid, wkb);
                    } else {
                        row.ewkb(*f.geometry, srid, wkb);
                    }
                }
                copy.row_done();
                tick();
            }
        }
        copy.finish();

        if (spatial) session.exec("CREATE INDEX ON " + table + " USING gist (geom)", "create the spatial index", shape.name);
        session.exec("COMMENT ON TABLE " + table + " IS " + session.literal(layer_description(shape)), "describe the table", shape.name);
        for (const auto& f : shape.fields)
            if (!f.description.empty())
                session.exec("COMMENT ON COLUMN " + table + "." + session.identifier(f.name) + " IS " + session.literal(f.description),
                             "describe a column", shape.name);
        if (spatial && l.style)
            session.exec_params(
                "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                "stylename, styleqml, stylesld, useasdefault, description, owner, ui, update_time) "
                "VALUES (current_database(), $1, $2, 'geom', $3, XMLPARSE(DOCUMENT $4), NULL, true, $5, current_user, NULL, "
                "CURRENT_TIMESTAMP)",
                {target.schema, shape.name, shape.name, qgis_style_qml(*l.style, symbol_kind(shape.geometry_type)),
                 "Hearth default style for " + shape.name},
                {}, "write the layer's style", shape.name);
        session.exec("ANALYZE " + table, "analyse the table", shape.name);
    }
    // For the tests of all-or-nothing: a run stopped here (killed, Ctrl-C) must leave the
    // schema as it was.
    if (const char* pause = std::getenv("HEARTH_TEST_PAUSE_BEFORE_COMMIT_S"))
        std::this_thread::sleep_for(std::chrono::duration<double>(std::atof(pause)));
    session.exec("COMMIT", "commit");
    if (progress) progress(1.0, "written to PostGIS", progress_data);
}

}  // namespace hearth
